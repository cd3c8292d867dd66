"""The guardrail's threat rules: harm named or implied against staff, in English, Korean and
the other languages customers write in. Threats phrased calmly name no harm, so they are
recognised by their shape ("it would be a shame if...", "I know where your technician lives")."""

from __future__ import annotations

import re

THREAT = re.compile(
    r"\b(?:i(?:'ll| will) (?:kill|come for)|come for you|burn (?:it|you|your)|kill you)\b"
    # "I will find you" is a threat; "I'll find your store on the map" is a visit
    r"|\bi(?:'ll|\s+will|'m\s+going\s+to|\s+am\s+going\s+to)\s+(?:find|track\s+down|hunt\s+down)\s+"
    r"you(?:\s+people|\s+guys|\s+all)?(?=\s*(?:[.!,;]|$|and\b|wherever\b|one\s+day|eventually))"
    r"|\bi(?:'ll|\s+will|'m\s+going\s+to)\s+find\s+out\s+where\s+(?:you|your\s+\w+|he|she|they)\s+"
    r"(?:\w+\s+)?(?:lives?|works?|parks?|sleeps?)\b"
    # calm threats: harm implied, never named
    r"|\b(?:shame|pity|unfortunate)\s+if\s+(?:something|anything)\s+(?:happened|were\s+to|bad)"
    r"|\b(?:shame|pity|unfortunate|l[áa]stima|dommage|schade)\s+(?:if|si|wenn|que)\b[^.!?\n]{0,60}"
    r"\b(?:broke|broken|smashed|damaged|burn\w*|on\s+fire|caught\s+fire|hurt|vandali[sz]ed|"
    r"slashed|keyed|pasara\s+algo|arrivait\s+quelque|passiert\w*)"
    r"|\b(?:something|anything)\s+(?:bad\s+)?(?:could|might|would|will|may)\s+happen\s+to\s+"
    r"(?:you|your)\b|\bwatch\s+your\s+back\b|\blook\s+over\s+your\s+shoulder\b"
    r"|\bbe\s+careful\s+(?:walking|driving|going|leaving|when\s+you\s+leave|tonight|out\s+there)"
    r"|\b(?:you|your\s+\w+)\s+(?:to\s+)?(?:have|has|had|get|having)\s+(?:an?\s+)?accident"
    r"|\b(?:make\s+sure|see\s+to\s+it\s+that)\s+(?:somebody|someone|you|your\s+\w+|they|he|she|"
    r"people)\s+(?:gets?|will\s+get|is|are|ends?\s+up)\s+(?:hurt|injured|harmed)\b"
    r"|\b(?:somebody|someone)\s+(?:gets?|will\s+get|is\s+going\s+to\s+get)\s+hurt\b"
    r"|\baccidents\s+happen\s+to\b|\bpay\s+(?:you|your\s+\w+)\s+a\s+visit\b"
    r"|\b(?:tend|going)\s+to\s+regret\s+it\b|\bi'?ll\s+be\s+waiting\s+(?:outside|for\s+you)"
    r"|조심하(?:시는|는)\s*게\s*좋을|무슨\s*일이\s*(?:생겨도|생길지)|가만\s*(?:안\s*놔?[두둘둔]|놔?두지\s*않)"
    # "가만 안 둘 거야", "가만 안 둔다": the tenses spell the verb with other syllables (둘, 둔)
    r"|(?:밤길|퇴근길|출근길)\s*조심"
    # made to answer for it in person: harm implied by who pays, not named
    r"|\banswer\s+for\s+(?:it|this|that|what\s+(?:he|she|they|you)\s+did)\s+"
    r"(?:in\s+person|personally|physically|face\s+to\s+face|with\s+(?:his|her|their|your)\s+"
    r"(?:face|health|bones))"
    r"|\bfaire\s+payer\b[^.!?\n]{0,20}\b(?:physiquement|en\s+personne)|\bresponder\w*"
    r"\s+(?:por\s+(?:esto|eso|ello)\s+)?(?:en\s+persona|personalmente|f[ií]sicamente)"
    r"|\bpers[öo]nlich\s+(?:daf[üu]r\s+)?(?:b[üu][sß]+en|geradestehen)\b",
    re.IGNORECASE,
)
WHEREABOUTS = re.compile(
    r"\b(?:i\s+know|i've\s+got|i\s+have|i\s+found)\s+(?:where|which\s+(?:house|car|street)|what\s+"
    r"car|the\s+address|your\s+[\w\s']{0,25}?(?:home\s+)?address)"
    r"|(?:주소|위치|사는\s*곳|어디\s*사는지|집)\S{0,16}\s*(?:다\s*)?알고\s*(?:있|있습)"
    r"|(?:店|店舗|事務所|オフィス|家|自宅|住所|場所|どこ)[^。、.!?]{0,8}(?:知って|分かって|わかって|把握して)"
    # a member of staff's home looked up, in the other languages: the staff word is required,
    # since a store's address looked up is a visit
    r"|(?:店長|スタッフ|社員|店員|担当者?|技術者|作業員)[^。.!?]{0,10}(?:自宅|家|住所)[^。.!?]{0,12}"
    r"(?:調べ|突き止め|特定|分かって|わかって|知って)"
    r"|(?:店长|经理|员工|店员|技术员|客服|师傅)[^。.!?]{0,8}(?:家庭住址|住址|家在|住在|地址)[^。.!?]{0,12}"
    r"(?:查到|找到|知道|掌握|查出|打听)"
    r"|\b(?:tenemos|tengo|sabemos|conseguimos|encontramos|averiguamos|temos|tenho|sabemos|"
    r"descobrimos|encontr[aá]mos|abbiamo|ho\s+trovato|nous\s+avons|j'ai|wir\s+haben|ich\s+habe)\s+"
    r"(?:ya\s+|j[aá]\s+|gi[aà]\s+|d[ée]j[aà]\s+|schon\s+|bereits\s+)?(?:trouv[ée]\s+|"
    r"trovato\s+)?(?:la|el|o|a|l'|il|die)\s*(?:direcci[oó]n|domicilio|casa|endere[cç]o|indirizzo|"
    r"adresse|privatadresse|wohnadresse)\b[^.!?\n]{0,40}\b(?:gerente|encargad[oa]|t[ée]cnic[oa]|"
    r"emplead[oa]|funcion[áa]ri[oa]|atendente|responsabile|tecnico|direttore|dipendente|"
    r"g[ée]rant\w*|technicien\w*|employ[ée]\w*|conseill\w+|responsable|filialleiter\w*|"
    r"mitarbeiter\w*|techniker\w*|verk[äa]ufer\w*)"
    r"|\b(?:privatadresse|wohnadresse|adresse\s+personnelle|direcci[oó]n\s+(?:particular|de\s+su\s+casa)|"
    r"endere[cç]o\s+residencial|indirizzo\s+di\s+casa)\b[^.!?\n]{0,40}\b(?:herausgefunden|"
    r"gefunden|trouv[ée]|conseguido|encontrad[oa]|descobert[oa]|trovato)",
    re.IGNORECASE,
)
LIVES = re.compile(
    r"\bi\s+know\s+where\s+(?:your|the|he|she|they)\b[^.!?\n]{0,30}\blives?\b"
    r"|\bs[ée]\s+d[óo]nde\s+(?:vive|viven)\b|\bje\s+sais\s+o[ùu]\s+(?:habite|vit|vivent)\b"
    r"|\bich\s+wei[sß]+,?\s+wo\b[^.!?\n]{0,30}\bwohn|\beu\s+sei\s+onde\s+mora"
    r"|\bso\s+dove\s+abita|\bweet\s+waar\b[^.!?\n]{0,30}\bwoon|\bwiem,?\s+gdzie\b[^.!?\n]{0,30}"
    r"\bmieszka|знаю,?\s+где\s+(?:живёт|живет|живут)|nerede\s+(?:oturdu\w*|ya\w*d\w*)\s+biliyorum"
    r"|tahu\s+di\s+mana\b[^.!?\n]{0,30}\btinggal|biết\s+[^.!?\n]{0,30}\bsống\s+ở\s+đâu"
    r"|어디\s*사는지\s*(?:다\s*)?알|住在哪|どこに住んで",
    re.IGNORECASE,
)
"""Knowing where staff live: a threat by itself, in any language."""
STAFF_WATCHED = re.compile(
    r"\bi(?:'ve|\s+have)?\s+(?:simply\s+|just\s+|already\s+|even\s+)?(?:know|noted|wrote\s+down|"
    r"written\s+down|found\s+out|looked\s+up|saw|seen|got)\s+(?:down\s+)?(?:where|when|what\s+time|"
    r"which\s+\w+|what\s+car|the\s+name|the\s+plate|the\s+car)\b[^.!?\n]{0,60}\b(?:he|she|they|"
    r"staff|agents?|technicians?|tech|employees?|reps?|installers?|managers?|workers?|people)\b"
    r"|\b(?:your|the|that)\s+(?:technician|tech|agent|rep|installer|engineer|employee|manager|"
    r"cashier|staff\s+member)s?\s+(?:has|have|with)\s+(?:\w+\s+)?(?:kids|children|a\s+family|a\s+wife|"
    r"a\s+husband|a\s+daughter|a\s+son|family)\b"
    r"|(?:퇴근|출근)\s*(?:시간|길)\S{0,16}\s*(?:\S{1,16}\s+){0,3}?(?:알|적어|기억)|(?:차|차량)\s*번호\S{0,16}\s*(?:\S{1,16}\s+){0,2}?"
    r"(?:적어|알|기억)|(?:아이|가족|자녀)\S{0,16}\s*(?:\S{1,16}\s+){0,3}?(?:알고|봤)"
    # when staff go home, known: "何時に帰るか知っています", "几点下班我都知道"
    r"|(?:何時に|いつ)[^。]{0,12}(?:帰る|帰宅|退勤|店を出る|上がる)か[^。]{0,8}(?:知って|分かって|わかって|把握)"
    r"|(?:几点|什么时候|何时)(?:下班|回家|离开|走)[^。]{0,8}(?:知道|清楚|了解)|(?:我|都)(?:知道|清楚)"
    r"[^。]{0,20}(?:几点|什么时候)(?:下班|回家|离开)"
    r"|\bs[ée]\s+a\s+qu[ée]\s+hora\b|\bje\s+sais\s+(?:[àa]\s+)?quelle\s+heure\b|\bich\s+wei[sß]+,?\s+"
    r"(?:genau\s+)?(?:wann|um\s+wie\s+viel\s+uhr)\b|\beu\s+sei\s+(?:a\s+)?que\s+horas\b",
    re.IGNORECASE,
)
"""Knowing staff's movements, car or family: a threat together with `MENACE`."""
STAFF_MOVEMENTS = re.compile(
    r"\bi(?:'ve|\s+have)?\s+(?:simply\s+|just\s+|already\s+|even\s+)?(?:know|noted|found\s+out|"
    r"worked\s+out|figured\s+out)\s+(?:exactly\s+)?(?:when|what\s+time|which\s+(?:door|exit|way|"
    r"route|car|bus))\b[^.!?\n]{0,90}\b(?:he|she|they|staff|agents?|technicians?|employees?|"
    r"reps?|installers?|workers?)\s+(?:\w+\s+){0,2}?(?:leaves?|leaving|parks?|walks?|go(?:es)?\s+home|"
    r"gets?\s+off|finish(?:es)?)\b"
    r"|(?:몇\s*시에|언제)\s*(?:\S{1,16}\s+){0,2}?퇴근하는지\s*(?:\S{1,16}\s+){0,2}?알",
    re.IGNORECASE,
)
"""Knowing when and by which door staff leave: a threat by itself."""
MENACE = re.compile(
    r"\b(?:think\s+about\s+(?:that|it|them|this)|shame|careful|regret|happen|watch|accident|"
    r"waiting|visit|remember|just\s+saying|consider\s+that|before\s+you\s+(?:refuse|say\s+no|"
    r"decide)|shall\s+we|let'?s\s+(?:get|keep|sort)|just\s+so\s+you\s+know|up\s+to\s+you|"
    r"you(?:'ll|\s+will)\s+(?:understand|see)|solo\s+lo\s+(?:comento|digo)|je\s+dis\s+[çc]a|"
    r"[üu]berlegen\s+sie|[üu]berleg\s+dir)\b"
    # the consequence left open: "who knows what happens", "you'll regret it", in each language
    r"|\bwho\s+knows\s+what\b|\bqui[eé]n\s+sabe\b|\bqui\s+sait\b|\bwer\s+wei[sß]+\b|"
    r"\bchi\s+lo\s+sa\b|\bquem\s+sabe\b|\barrepentir\w*|\bregrett\w*|\bbereu\w*|\bpentir\w*|"
    r"\bdommage\b|\bschade\b|\b(?:una|que|qu[eé])\s+pena\b|\bl[áa]stima\b|\bpeccato\b"
    r"|잘\s*생각|조심|각오|후회|무슨\s*일|좋게\s*해결|어떻게\s*될지|잘\s*아실|알아서\s*하|서로\s*편하|생각해\s*보"
    r"|今夜|今晩|夜に|待って(?:いろ|ろ|て)|覚えて(?:おけ|ろ)|後悔|気をつけ|会いに行|訪ねて(?:いく|行く)"
    r"|どうなるか(?:分|わ|知)|どうなっても|何が起き|何が起こ|残念な"
    r"|会发生什么|会怎么样|不好说|后悔|可惜|小心|别怪我"
    # the rest left to the imagination
    r"|\b(?:(?:leave|let)\s+(?:the\s+rest\s+)?to\s+your\s+imagination|(?:i'?ll\s+)?let\s+you\s+"
    r"imagine|imagine\s+the\s+rest|use\s+your\s+imagination|draw\s+your\s+own\s+conclusions|"
    r"(?:lo\s+dem[aá]s|el\s+resto)\s+(?:te\s+lo\s+|se\s+lo\s+)?imagin\w*|je\s+(?:vous|te)\s+laisse\s+"
    r"imaginer|den\s+rest\s+(?:k[öo]nnen\s+sie\s+sich|kannst\s+du\s+dir)\s+(?:denken|vorstellen)|"
    r"o\s+resto\s+(?:voc[eê]\s+)?imagin\w*)\b"
    r"|想像に(?:お任せ|おまかせ|任せ|まかせ)|ご想像|後はどうなるか|상상에\s*맡|알아서\s*상상|상상해\s*보|"
    r"自己想象|你们?自己想|剩下的[^。]{0,6}想",
    re.IGNORECASE,
)

_TARGET = (
    r"(?:you(?!r)\b(?!\s+(?:an?\s+)?(?:e-?mail|text|message|line|note|dm|link|screenshot|photo|"
    r"pic|call|review)\b)|your\s+(?:\w+\s+)?(?:staff|employees?|technicians?|techs?|agents?|people|"
    r"workers?|reps?|installers?|managers?|boss|ceo|store|shop|office|branch|building|headquarters|"
    r"hq|kids|family|team|guys?|drivers?|engineers?|cashiers?|face)\b|whoever|everyone|everybody|"
    r"(?:all|every\s+one|each)\s+of\s+you|him\b|her\b|them\b|the\s+(?:next\s+)?(?:\w+\s+)?"
    r"(?:person|guy|agent|employee|tech|technician|rep|manager|installer|driver|cashier|staff|"
    r"store|shop|office|branch|one|woman|man)\b|that\s+(?:\w+\s+)?(?:agent|guy|tech|technician|"
    r"rep|woman|man|person|store|office|manager)\b)"
)
OVERT_THREAT = re.compile(
    # English: the speaker's intent, a harm verb, then a person or a place of the company's;
    # "I'll hurt your ratings", "shoot you an email", "this bill is killing me" name no target
    r"\b(?:i(?:'ll|\s+will|'m\s+going\s+to|\s+am\s+going\s+to|'m\s+gonna|\s+am\s+gonna|"
    r"\s+gonna|'d|\s+would|\s+want\s+to|\s+shall)|we(?:'ll|\s+will|'re\s+going\s+to)|gonna)\s+"
    r"(?:\w+\s+){0,2}?(?:stab|shoot|kill|murder|strangle|choke|punch|beat|smack|slap|attack|"
    r"assault|hurt|stomp|torch|firebomb|bomb|knife|slash|cut|burn(?:\s+down)?|blow\s+up|"
    r"smash|break)(?:\s+the\s+\w+\s+out\s+of|\s+up|\s+down)?\s+" + _TARGET +
    # weapons brought along or held
    r"|\b(?:i\s+(?:have|'ve\s+got|got|own|carry|'ll\s+bring|will\s+bring)|with|bringing|"
    r"i(?:'m|\s+am)\s+(?:going\s+to|gonna)\s+bring|i\s+gonna\s+bring)\s+"
    r"(?:a|my|an)\s+(?:baseball\s+)?(?:gun|knife|bat|machete|axe|pistol|rifle|shotgun|blade|"
    r"crowbar|hammer|weapon)s?\b(?!\s+(?:sharpener|case|holder|emoji))"
    r"|\bbreak\s+(?:your|his|her|their)\s+(?:legs?|neck|face|arms?|jaw|bones?|teeth)\b"
    # the harm chained after another step: "I will find his house and hurt him"
    r"|\bi(?:'ll|\s+will|'m\s+going\s+to|'m\s+gonna)\b[^.!?\n]{0,60}\band\s+(?:then\s+)?"
    r"(?:stab|shoot|kill|murder|punch|beat|hurt|attack|strangle|smash)\s+(?:him|her|them|you)\b"
    r"|\b(?:find|track\s+down|hunt\s+down|look\s+up|get\s+hold\s+of)\s+(?:the|that|this|your|him|"
    r"her|them|you)\b[^.!?\n]{0,60}\band\s+(?:then\s+)?(?:make\s+(?:him|her|them|you)\s+"
    r"(?:pay|regret|suffer|sorry)(?!\s+(?:for\s+the|back|the|what\s+(?:i|we)\s+owe))|do\s+"
    r"something\s+to\s+(?:him|her|them|you)|teach\s+(?:him|her|them|you)\s+a\s+lesson|"
    r"show\s+(?:him|her|them|you)\s+what\s+happens)"
    # the same chain in German, French, Spanish, Italian, Portuguese, Japanese, Chinese, Korean
    r"|\b(?:finde|finden|aufsp[üu]ren|ausfindig)\b[^.!?\n]{0,60}\bund\s+(?:dann\s+)?(?:\w+\s+){0,2}?"
    r"(?:ihm|ihr|ihnen|dir|euch|ihn|dich)\s+(?:\w+\s+){0,2}?(?:weh\s*tun|wehzutun|antun|"
    r"heimzahlen|b[üu][sß]en\s+lassen|zahlen\s+lassen|eine\s+lektion|verpr[üu]geln)"
    r"|\b(?:mache|mach|tue)\s+ich\s+(?:ihm|ihr|ihnen|dir|euch)\s+(?:was|etwas)(?=\s*(?:[.!,;]|$))"
    r"|\b(?:trouver|retrouver|trouverai|retrouverai)\b[^.!?\n]{0,60}\bet\s+(?:je\s+vais\s+)?"
    r"(?:lui|leur|te|vous|le|la|les)\s+(?:faire\s+(?:du\s+mal|payer|regretter|quelque\s+chose)|"
    r"r[ée]gler\s+son\s+compte|apprendre\s+la\s+vie)"
    r"|\b(?:encontrar|encontrar[eé]|buscar[eé]?|localizar[eé]?|dar\s+con)\b[^.!?\n]{0,60}\by\s+"
    r"(?:le\s+|la\s+|les\s+|lo\s+|te\s+|os\s+)?(?:voy\s+a\s+|vamos\s+a\s+)?(?:hacer(?:le|les|te)?"
    r"\s+(?:da[ñn]o|pagar|algo|arrepentir)|har[eé]\s+(?:da[ñn]o|pagar|algo|que\s+se\s+arrepienta)|"
    r"me\s+las\s+(?:va|van)\s+a\s+pagar|ense[ñn]ar(?:le|les|te)\s+una\s+lecci[oó]n)"
    r"|\b(?:trover[oò]|trovare|rintracciare|rintraccer[oò])\b[^.!?\n]{0,60}\be\s+(?:gli|le|ti|vi)\s+"
    r"(?:far[oò]|faccio|devo\s+fare)\s+(?:del\s+male|pagare|qualcosa|passare\s+un\s+brutto)"
    r"|\bgliela\s+(?:far[oò]|faccio)\s+pagare\b"
    r"|\b(?:encontrar|achar|localizar|ir\s+atr[aá]s)\b[^.!?\n]{0,60}\be\s+(?:vou\s+|vamos\s+)?"
    r"(?:machuc\w+|fazer\s+(?:ele|ela|eles|voc[eê]s?)?\s*pagar|faz[eê]-l[oa]s?\s+pagar|"
    r"fazer\s+mal|dar\s+uma\s+li[cç][aã]o|fazer\s+alguma\s+coisa)"
    r"|見つけ(?:て|出して|出し|たら)[^。.!?]{0,20}(?:痛い目|思い知らせ|ただじゃ(?:済ま|おか)|何かして|"
    r"後悔させ|償わせ|報いを)"
    r"|(?:找到|找出|找上|查到)[^。.!?]{0,20}(?:让|叫)(?:他|她|你)们?(?:付出代价|好看|吃苦头|后悔)"
    r"|찾아(?:내서|가서|낸\s*다음|서)[^.!?]{0,20}(?:손\s*봐|혼내|대가를|갚아\s*주|본때)"
    # wishing death on staff
    r"|\bhope\s+(?:you|u)\s+(?:all\s+|guys\s+)?(?:die|rot|burn)\b(?!\s+(?:laughing|of\s+laughter))|\bojal[aá]\s+(?:os|te|se|"
    r"les)\s+mu[eé]r\w*|\bj'esp[eè]re\s+que\s+(?:vous|tu)\s+(?:allez\s+|vas\s+)?(?:\w+\s+)?"
    r"(?:cr[eè]v\w+|mour\w+)|\bhoffentlich\s+(?:sterbt|krepiert|verreckt)\s+ihr\b"
    # Spanish, Portuguese, Italian, French, German ("pegar" is also "to paste": left out)
    r"|\b(?:voy|vamos|juro\s+que\s+voy)\s+a\s+(?:ir\s+a\s+)?(?:mat|apuñal|golpe|quem|dispar|"
    r"acuchill|reventar|partir)\w*"
    r"|\b(?:te|os|les|le|lo|la)\s+(?:voy|vamos)\s+a\s+(?:mat|apuñal|golpe|quem|dispar|pegar|partir)\w*"
    r"|\b(?:una|otra)\s+paliza\b|\b(?:pegarle|pegarles|pegarte|golpearle|golpearles|golpearte)\b"
    r"|\b(?:le|les|te|os)\s+(?:pego|pegar[eé]|golpeo|golpear[eé]|reviento|parto\s+la\s+cara)\b"
    r"|\b(?:tengo|llevo|traigo|levo|tenho)\s+(?:un|una|uma|um)\s+(?:pistola|cuchillo|navaja|arma|"
    r"faca|revólver|revolver|machete)\b"
    r"|\bvou\s+(?:\w+\s+)?(?:matar|esfaquear|espancar|queimar|bater\s+n)"
    r"|\b(?:ti|vi)\s+(?:ammazzo|uccido|accoltello|sparo)|\bvengo\s+a\s+(?:ucciderti|picchiarti)"
    r"|\bje\s+vais\s+(?:\w+\s+){0,2}?(?:tuer|frapper|poignarder|buter|cogner|brûler|défoncer|"
    r"casser\s+la\s+gueule)"
    # "je viens casser la figure au technicien"; "se casser la figure" is to fall, or to fail
    r"|(?<!\bse\s)(?<!\bme\s)(?<!\bte\s)(?<!\bs')(?<!\bm')\b(?:casser|p[ée]ter|d[ée]foncer|"
    r"exploser|refaire)\s+(?:la\s+(?:figure|gueule|tronche)|le\s+portrait)\s+(?:[àa]\s+(?:la\s+|l'|ce\s+|cette\s+|"
    r"votre\s+|ton\s+|ta\s+|vos\s+|tous\s+vos\s+)?|au\s+|aux\s+)(?:technicien\w*|conseill\w*|"
    r"vendeu\w*|g[ée]rant\w*|responsable\w*|livreu\w*|mec|type|employ[ée]\w*|agent\w*|"
    r"directeur\w*|directrice\w*|patron\w*|installateur\w*|standardiste\w*|manager\w*|chef\w*|"
    r"personnel|gars|toi|vous|eux)\b"
    r"|\bje\s+(?:vais\s+|viens\s+)?(?:te|lui|leur|vous)\s+(?:casser|casse|p[ée]ter|p[èe]te|"
    r"d[ée]foncer|d[ée]fonce|exploser|explose|refaire|refais)\s+(?:la\s+(?:figure|gueule|tronche)|"
    r"le\s+portrait)"
    r"|\bich\s+(?:werde|will)\b[^.!?\n]{0,40}?\b(?:verprügeln|umbringen|töten|erstechen|"
    r"abstechen|erschießen|anzünden|abfackeln|zusammenschlagen|schlagen)\b"
    r"|\bbring\w*\s+(?:dich|euch|sie|ihn)\s+um\b"
    r"|\b(?:z[üu]nde|z[üu]nden|fackle|fackeln|brenne|brennen)\b[^.!?\n]{0,40}\b(?:laden|shop|"
    r"filiale|gesch[äa]ft|b[üu]ro|store|zentrale|geb[äa]ude|hauptsitz)\w*\s+(?:an|ab|nieder)\b"
    r"|\b(?:laden|shop|filiale|gesch[äa]ft|b[üu]ro|zentrale|geb[äa]ude)\w*\s+(?:\w+\s+){0,2}?"
    r"(?:in\s+brand|anz[üu]nden|abfackeln|niederbrennen|abbrennen)"
    r"|\b(?:feuer|brand)\s+(?:legen|lege|stecken|setzen)\b|\b(?:lege|legen|legt)\s+(?:\w+\s+)?feuer\b"
    r"|\b(?:vi\s+|ti\s+|gli\s+)?(?:spacco|sfascio|distruggo|devasto|spaccher[oò]|"
    r"distrugger[oò]|sfascer[oò]|rompo|romper[oò])\s+(?:\w+\s+){0,2}?(?:negozio|ufficio|sede|"
    r"vetrin\w+|faccia|testa|muso|ossa|gambe)\b|\bspacc(?:o|are|her[oò]|hiamo)\s+tutto\b"
    # Russian, Turkish, Vietnamese ("đánh giá" is a rating), Indonesian, Arabic
    r"|\b(?:убью|убьём|убьем|прибью|зарежу|переломаю|сожгу|спалю|изобью|побью|застрелю|порежу|"
    r"прикончу|урою)\b"
    r"|\b\w*(?:öldürece\w*|öldürürüm|gebertece\w*|yakacağ\w*|döveceğ\w*|bıçaklayacağ\w*|"  # noqa: RUF001
    r"keseceğim)"
    r"|\b(?:sẽ|phải|muốn)\b[^.!?\n]{0,40}?\b(?:giết|đâm|chém|đốt|đập|đánh(?!\s+(?:giá|máy|số|"
    r"dấu|thức|răng)))\b"
    r"|\b(?:akan|mau|bakal|ingin)\b[^.!?\n]{0,20}?\b(?:membunuh|bunuh|menusuk|tusuk|memukul|pukul|"
    r"membakar|bakar|menghajar|hajar)\b"
    r"|سأ(?:حرق|قتل|ضرب|طعن|ذبح|كسر|فجر)|سوف\s+أ(?:حرق|قتل|ضرب|طعن|ذبح|فجر)|(?:أقتل|أذبح)(?:ك|كم)"
    # Chinese ("杀手级" is a killer deal, "死机" a crashed phone), Japanese, Korean
    r"|放火|纵火|一把火|烧了(?:你们|你|他|她|那家|这家)|烧掉(?:你们|你)|把(?:你们|你)的?[^。,\uff0c]{0,6}烧了"
    r"|砍人|砍死|杀了你|杀人|捅死|捅你|弄死|打死|揍你|揍他|烧了你们|炸了你们|我有刀|我有枪|带刀|带枪|让(?:你|他|她)们?好看"
    r"|殺す|殺して(?:やる|やろう)|ぶっ殺|刺して(?:やる|やろう)|刺す|殴って(?:やる|やろう)|火をつけ(?:る|てやる)"
    r"|燃やして(?:やる|やろう)"
    r"|죽여\s*버리|죽여\s*버릴|죽여\s*줄|죽이(?:겠|러|고\s*말|고\s*싶)|찔러\s*버|패\s*버리|불\s*질러",
    re.IGNORECASE,
)
"""Harm named against staff, a store or an office, in the languages customers write in: a harm
verb in the speaker's intent and a target, or a weapon brought along. Figures of speech ("a
killer deal", "my phone is dead", "this bill is killing me") name no target, and pressure by
review ("I'll hurt your ratings") is a customer's right."""
