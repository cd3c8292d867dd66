"""Cues of a message's shape for the guardrail's trained screen: what kind of request it is,
whatever its topic.

Topic words do not carry between topics: a screen that learned "homework" and "match score"
misses a poem, a recipe or a coding question it never saw. What off-topic requests share is
their shape: a request for a task (write, solve, translate, explain, calculate, recommend)
whose object has nothing of a telecom account or service in it. "Explain my bill", "write down
my new APN settings" or "translate the help article into Spanish" are in scope: the task is
about the customer's service, so an anchor word is present and the request is not unanchored.

Calm threats share a shape too: harm made conditional or left to others ("it would be a shame
if...", "I know people who...", "I can't be responsible for what happens"), aimed at staff,
premises or the network. A customer's legitimate levers (cancelling, leaving, a regulator, a
review, a lawyer, "you'll regret losing a customer") are threats to the business, never to
people, and are named as such so the screen learns them apart. A frustrated customer asking
for a person is named as well: it is a support request in every language.

Each lexicon is one regex pass over the text, so the cues stay linear in its length.
"""

from __future__ import annotations

import re

_LEXICONS: dict[str, str] = {
    "task_ask": (
        r"\b(?:write|compose|draft|solve|translate|explain|calculate|compute|recommend|"
        r"summari[sz]e|generate|code|debug|proofread|rewrite|prove|brainstorm|suggest|"
        r"tell\s+me\s+(?:a|an|about|who|what|how)|give\s+me\s+(?:a|an|some|ideas|tips)|"
        r"help\s+me\s+(?:with|write|solve|plan|study|choose|pick|cook|fix\s+my\s+code)|"
        r"what\s+should\s+i|should\s+i|which\s+(?:is|are)\s+(?:the\s+)?(?:best|better)|"
        r"how\s+(?:do|can|should)\s+i\s+(?:cook|bake|make|learn|lose|get|write|plan)|"
        r"who\s+(?:won|is|was|invented|wrote)|what\s+is\s+the\s+(?:capital|meaning|formula|"
        r"difference|best)|plan\s+(?:a|my)|"
        # es / pt / it
        r"escr[ií]be\w*|redact\w*|resuelv\w*|resolv\w*|traduc\w*|trad[uú]z\w*|traduz\w*|"
        r"traduci\w*|expl[ií]ca\w*|expliqu\w*|spiega\w*|calcul\w*|recomi[eé]nd\w*|"
        r"recomend\w*|recomend[ae]\w*|consiglia\w*|res[uú]me\w*|resum\w*|riassum\w*|genera\w*|"
        r"gere|crie|crea(?:me)?|hazme|haz\s+un|fa[çc]a|fammi|scrivi\w*|escreva|escreve|dame|"
        r"d[aá]me|me\s+d[aá]|dammi|ay[uú]dame\s+a|me\s+ajud[ae]\s+a|aiutami\s+a|"
        r"qui[eé]n\s+gan[oó]|quem\s+ganhou|chi\s+ha\s+vinto|deber[ií]a|devo|dovrei|"
        r"who\s+(?:scored|will\s+win|is\s+the\s+best)|qui\s+(?:a\s+marqu[ée]|va\s+gagner)|"
        r"quem\s+(?:vai\s+ganhar|marcou)|chi\s+(?:[èe]\s+il\s+miglior|ha\s+segnato|vincer[àa])|"
        r"wer\s+(?:gewinnt|hat\s+(?:die\s+meisten|mehr)\s+tore)|qui[ée]n\s+(?:marc[óo]|va\s+a\s+ganar)|"
        r"qu[ée]\s+me\s+recomiendas|c[oó]mo\s+(?:hago|se\s+hace|preparo|se\s+prepara|cocino)|"
        r"come\s+si\s+(?:prepara|fa|cucina)|recipes?|receta|receita|ricetta|recette|rezept|"
        # fr / de
        r"[ée]cris\w*|[ée]crivez|r[ée]dige\w*|r[ée]sou\w*|tradui\w*|explique\w*|calcule\w*|"
        r"recommand\w*|conseill\w*|r[ée]sume\w*|g[ée]n[èe]re\w*|cr[ée]e\w*|fais-moi|"
        r"donne-moi|aide-moi\s+[àa]|devrais-je|qui\s+a\s+gagn[ée]|"
        r"schreib\w*|verfass\w*|l[öo]s(?:e|t)|[üu]bersetz\w*|erkl[äa]r\w*|berechne\w*|"
        r"empfiehl\w*|empfehl\w*|fass\w*\s+zusammen|erstell\w*|generier\w*|hilf\s+mir|"
        r"sollte\s+ich|wer\s+hat\s+gewonnen|wie\s+(?:macht\s+man|koche|backe|lange\s+muss))\b"
        # ja / zh / ko
        r"|書いて|作って|解いて|翻訳して|訳して|説明して|計算して|おすすめ|お勧め|要約して|考えて|"
        r"作成して|教えて|べき|"
        r"写一|帮我写|帮我|翻译|解释|计算|推荐|总结|生成|讲一个|讲个|告诉我|解答|应该|"
        r"써\s*줘|써\s*주|작성해|풀어|번역해|설명해|계산해|추천해|요약해|만들어|알려\s*줘|알려\s*주|"
        r"짜\s*줘|할까|좋을까"
    ),
    "anchor": (
        r"\b(?:bills?|billing|invoices?|charges?|charged|fees?|data|roaming|e?sim|apn|"
        r"(?<!to\s)(?<!me\s)(?<!us\s)plans?|"
        r"router|modem|wi-?fi|internet|broadband|fib(?:er|re)|network|signal|coverage|[345]g|"
        r"lte|phones?|mobile|lines?|numbers?|accounts?|nimbus|contracts?|outages?|speed|refunds?|"
        r"payments?|autopay|voicemail|sms|texts?|calls?|calling|minutes|port(?:ing)?|devices?|"
        r"handsets?|hotspot|tethering|puk|pin|upgrade|downgrade|cancel\w*|subscriptions?|tariff|"
        r"orders?|delivery|technician|installation|help\s+(?:article|center|centre|page)|"
        r"support|tickets?|settings|usage|balance|due|credit|discount|promo\w*|"
        # es / pt / it / fr / de
        r"facturas?|fatura\w*|bolletta|fattura|facture\w*|rechnung\w*|cargos?|tarifa\w*|"
        r"tariffa|forfaits?|tarif\w*|planes|plano\w*|piano|offerta|datos|dados|dati|donn[ée]es|"
        r"daten|l[ií]neas?|linha\w*|linea|ligne\w*|leitung|tel[ée]fono|telefone|telefono|"
        r"t[ée]l[ée]phone|telefon\w*|m[óo]vil|celular|cellulare|portable|handy|red|rede|rete|"
        r"r[ée]seau|netz\w*|se[ñn]al|sinal|segnale|empfang|cobertura|copertura|couverture|"
        r"roteador|routeur|cuenta|conta|conto|compte|konto|contrato|contratto|contrat|vertrag\w*|"
        r"reembolso|rimborso|remboursement|erstattung|pago|pagamento|paiement|zahlung|fibra|"
        r"glasfaser|llamadas|chamadas|chiamate|appels|anrufe|n[úu]mero|numero|num[ée]ro|nummer|"
        r"abonnement|abbonamento|assinatura|art[ií]culo\s+de\s+ayuda|artigo\s+de\s+ajuda|"
        r"article\s+d'aide|hilfeartikel|articolo)\b"
        # ja / zh / ko
        r"|請求|料金|プラン|データ|回線|電話|スマホ|携帯|ネット|電波|ルーター|アカウント|契約|返金|"
        r"支払|光回線|番号|解約|ヘルプ|通信|ギガ|Wi-?Fi|"
        r"账单|话费|套餐|流量|线路|电话|手机|网络|网速|信号|路由器|账户|账号|合同|退款|付款|宽带|号码|"
        r"帮助中心|帮助文章|漫游|"
        r"요금|청구|데이터|회선|전화|휴대폰|핸드폰|폰|인터넷|네트워크|신호|공유기|라우터|계정|약정|"
        r"환불|납부|번호|로밍|유심|와이파이|고객센터|도움말|설정|개통|해지|명세서|"
        # a line suspended or barred, and lifted again ("정지 풀어 준다더니")
        r"정지|일시\s*정지|이용\s*정지|차단"
    ),
    "conditional_harm": (
        r"\b(?:(?:would|it'?d)\s+be\s+(?:a\s+|such\s+a\s+)?(?:real\s+|great\s+|terrible\s+)?"
        r"(?:shame|pity|sad|unfortunate|terrible)|"
        r"i'?d\s+hate\s+(?:for|to\s+see)|hate\s+to\s+see|for\s+your\s+(?:own\s+)?sake|"
        r"you\s+(?:don'?t|wouldn'?t)\s+want\s+(?:that|to\s+find\s+out|anything)|"
        r"things\s+(?:could|might|will|can)\s+(?:get|turn)\s+(?:ugly|messy|bad|nasty|"
        r"complicated)|or\s+else|i\s+know\s+(?:some\s+)?(?:people|guys|folks)\s+who|"
        r"i\s+have\s+(?:some\s+)?(?:friends|people|cousins|contacts)\s+who|friends\s+of\s+mine|"
        r"people\s+who\s+know\s+where|(?:can'?t|cannot|won'?t)\s+(?:be\s+responsible|guarantee|"
        r"promise)|not\s+responsible\s+for\s+what|last\s+(?:warning|chance|time\s+i\s+ask)|"
        r"final\s+warning|next\s+time\s+i\s+won'?t\s+(?:be\s+)?ask|you'?ve\s+been\s+warned|"
        r"let'?s\s+keep\s+(?:this|it)\s+(?:friendly|civil|nice|simple)|"
        r"(?:something|anything)\s+(?:happen|happened|happening)|"
        r"(?:accidents?|bad\s+things|things)\s+(?:can\s+|do\s+|tend\s+to\s+)?happen\s+to|"
        r"accidentes\s+(?:les\s+)?pasan|accidents,?\s+[çc]a\s+arrive|unf[äa]lle\s+passieren|"
        r"acidentes\s+acontecem|incidenti\s+capitano|будет\s+жаль|случа\w+\s+неприятност\w*|"
        r"yaz[\u0131i]k\s+olur|kazalar\s+gelir|szkoda\s+by\s+by[łl]o|zdarzaj[ąa]\s+si[ęe]\s+wypadki|"
        r"sayang\s+sekali\s+kalau|kecelakaan\s+bisa|ongelukken\s+overkomen|"
        r"d[ễe]\s+g[ặa]p\s+tai\s+n[ạa]n|before\s+i\s+(?:do|try)\s+something|"
        r"(?:we|there)\s+(?:won'?t|will\s+not)\s+(?:have|be)\s+(?:a|any)\s+problems?|"
        r"(?:better|best)\s+for\s+every(?:one|body)|for\s+every(?:one|body)'?s\s+sake|"
        r"(?:someone|somebody)\s+(?:will\s+|might\s+|could\s+)?gets?\s+hurt|"
        r"(?:something|what)\s+you\s+(?:won'?t|will\s+not)\s+like|"
        r"pay\w*\s+(?:you|him|her|them|your\s+\w+)\s+a\s+(?:little\s+)?visit|"
        r"(?:outside|at)\s+(?:his|her|their)\s+(?:house|home|door)|something\s+bad|"
        r"a\s+su\s+casa|algo\s+malo|chez\s+(?:lui|elle|eux)|quelque\s+chose\s+de\s+grave|"
        r"bei\s+(?:ihm|ihr|ihnen)\s+zu\s+hause|etwas\s+schlimmes|na\s+casa\s+(?:dele|dela)|"
        r"algo\s+de\s+ruim|a\s+casa\s+sua|qualcosa\s+di\s+brutto|"
        r"mejor\s+para\s+todos|alguien\s+(?:saldr[áa]|va\s+a\s+salir)\s+herido|"
        r"no\s+(?:te|os|les)\s+va\s+a\s+gustar|mieux\s+pour\s+tout\s+le\s+monde|"
        r"quelqu'un\s+va\s+(?:[êe]tre\s+bless[ée]|le\s+regretter)|ne\s+va\s+pas\s+vous\s+plaire|"
        r"rendre\s+(?:une\s+petite\s+)?visite|besser\s+f[üu]r\s+alle|jemand\s+wird\s+verletzt|"
        r"wird\s+euch\s+nicht\s+gefallen|einen\s+besuch\s+ab|zu\s+hause\s+(?:besuchen|aufsuchen)|"
        r"melhor\s+para\s+todos|algu[ée]m\s+(?:vai\s+)?sair\s+ferido|n[ãa]o\s+v[ãa]o\s+gostar|"
        r"meglio\s+per\s+tutti|qualcuno\s+si\s+far[àa]\s+male|non\s+vi\s+piacer[àa]|"
        r"antes\s+de\s+que\s+haga\s+algo|avant\s+que\s+je\s+(?:fasse|tente)\s+quelque\s+chose|"
        r"bevor\s+ich\s+etwas\s+(?:unternehme|tue|mache)|antes\s+que\s+eu\s+fa[çc]a\s+alguma|"
        r"prima\s+che\s+(?:io\s+)?faccia\s+qualcosa|"
        # es / pt / it / fr / de
        r"ser[ií]a\s+una\s+(?:pena|l[áa]stima)|conozco\s+(?:a\s+)?(?:gente|personas|a\s+unos)|"
        r"tengo\s+amigos\s+que|por\s+tu\s+(?:propio\s+)?bien|o\s+si\s+no|si\s+no,|"
        r"atente\s+a\s+las\s+consecuencias|no\s+respondo\s+de|[úu]ltim[oa]\s+(?:advertencia|"
        r"aviso)|seria\s+uma\s+pena|conhe[çc]o\s+(?:gente|pessoas|uns\s+caras)|"
        r"tenho\s+amigos\s+que|para\s+o\s+seu\s+(?:pr[óo]prio\s+)?bem|sen[ãa]o|"
        r"n[ãa]o\s+respondo\s+por|sarebbe\s+un\s+peccato|conosco\s+(?:gente|persone|dei\s+tipi)|"
        r"ho\s+(?:degli\s+)?amici\s+che|per\s+il\s+(?:tuo|vostro)\s+bene|altrimenti|"
        r"non\s+rispondo\s+(?:di|delle)|ultimo\s+avvertimento|ce\s+serait\s+dommage|"
        r"je\s+connais\s+des\s+(?:gens|personnes|types)|j'ai\s+des\s+amis\s+qui|"
        r"pour\s+votre\s+(?:propre\s+)?bien|sinon|je\s+ne\s+r[ée]ponds\s+(?:plus\s+)?de\s+rien|"
        r"dernier\s+avertissement|w[äa]re\s+(?:doch\s+)?schade|ich\s+kenne\s+leute|"
        r"ich\s+habe\s+freunde,?\s+die|zu\s+ihrem\s+(?:eigenen\s+)?besten|sonst|"
        r"letzte\s+warnung|f[üu]r\s+nichts\s+garantieren)\b"
        # ja / zh / ko
        r"|残念なことに|知り合いが|知り合いに|どうなっても知ら|身のため|さもないと|最後の警告|"
        r"何が起きても|何かあったら|事故が起き|出意外|من\s+المؤسف|الحوادث\s+تقع|अफ़सोस\s+होगा|"
        r"家まで|悪いこと|家に行|家里|不好的事|집까지|집에\s*찾아|안\s*좋은\s*일|みんなのため|誰かが怪我|有人会受伤|对大家都好|找人算账|找上门|누가\s*다칠|서로\s*좋|"
        r"게\s*좋을\s*(?:텐데|거예요|겁니다)|何かする前に|在我动手之前|我动手|무슨\s*짓|사고\s*(?:가|나)|무슨\s*일이\s*생기|那就可惜了|可惜了|我认识一些人|我认识几个|我有朋友|为你好|否则|后果自负|别怪我|"
        r"出了什么事|出点什么事|最后一次警告|안타까운\s*일|아는\s*사람들?이|아는\s*형님|신상에\s*좋|"
        r"그렇지\s*않으면|안\s*그러면|무슨\s*일이\s*생겨도|책임\s*못|마지막\s*경고"
    ),
    "staff_target": (
        r"\b(?:staff|employees?|technicians?|tech|agents?|reps?|workers?|managers?|installers?|"
        r"cashiers?|your\s+(?:people|family|kids|children)|empleados|t[ée]cnicos?|encargad[oa]|"
        r"gerente|funcion[áa]rios|dipendenti|tecnic[oi]|responsabile|direttore|employ[ée]s|"
        r"technicien\w*|g[ée]rant\w*|conseill[eè]re?|mitarbeiter\w*|techniker|"
        r"filialleiter\w*|medewerkers?|filiaalmanager|kierownik\w*|pracownik\w*|"
        r"m[üu]d[üu]r\w*|[çc]al[\u0131i][şs]an\w*|управляющ\w*|сотрудник\w*|керівник\w*|"
        r"manajer|pegawai|karyawan|qu[ảa]n\s+l[ýy]|nh[âa]n\s+vi[êe]n)\b"
        r"|店長|店长|점장|スタッフ|社員|店員|员工|店员|技术员|직원|기사|상담원|상담사|"
        r"مدير|موظف|मैनेजर|कर्मचारी|ผู้จัดการ|พนักงาน"
    ),
    "premises": (
        r"\b(?:your\s+(?:office|store|shop|branch|building|towers?|cables?|equipment|vans?|"
        r"cars?|network|servers?|antennas?|masts?|headquarters|hq)|towers?|antennas?|masts?|"
        r"cables|store|shop|branch|office|tienda|oficina|sucursal|antenas?|loja|escrit[óo]rio|"
        r"negozio|ufficio|antenn[ae]|boutique|agence|bureau|filiale|laden|b[üu]ro|masten|"
        r"winkel|sklep\w*|ma[ğg]aza\w*|toko\w*|c[ửu]a\s+h[àa]ng|магазин\w*|офис\w*)\b"
        r"|متجر\w*|دكان|दुकान|ร้าน|你们店|店里|店铺|あなたの店|お宅の店|店の場所|店舗|お店|事務所|基地局|アンテナ|门店|营业厅|办公室|基站|매장|대리점|사무실|기지국|안테나"
    ),
    "knowing": (
        r"\b(?:i\s+know\s+(?:which|what|where|when|exactly)|i\s+found\s+out|"
        r"s[ée]\s+(?:qu[ée]|d[óo]nde|cu[áa]ndo|a\s+qu[ée])|je\s+sais\s+(?:quel\w*|o[ùu]|quand)|"
        r"ich\s+wei[sß]+,?\s+(?:welch\w*|wo|wann)|eu\s+sei\s+(?:qual|onde|quando|a\s+que)|"
        r"so\s+(?:quale|dove|quando|a\s+che)|ik\s+weet\s+(?:in\s+)?(?:welke|waar|wanneer)|"
        r"wiem,?\s+(?:jak\w*|gdzie|kiedy)|biliyorum|я\s+знаю|tôi\s+biết|saya\s+tahu)\b"
        r"|知っている|知ってる|我知道|알아요|알고\s*있|أعرف|पता\s+है|ฉันรู้"
    ),
    "legit_lever": (
        r"\b(?:cancel\w*|leav(?:e|ing)\s+(?:you|nimbus|for)|switch(?:ing)?\s+(?:to|provider|"
        r"carrier)|competitor|another\s+(?:provider|carrier|company)|regulator|ombudsman|fcc|"
        r"ofcom|review\w*|stars?|social\s+media|twitter|facebook|lawyer|attorney|court|"
        r"small\s+claims|chargeback|consumer\s+(?:protection|rights|association)|bbb|"
        r"complain\w*|complaint|los(?:e|ing)\s+(?:a|an|me\s+as\s+a|your)\s+(?:\w+\s+){0,2}?"
        r"(?:customer|client)|lose\s+my\s+business|business\s+elsewhere|"
        r"darme\s+de\s+baja|baja|cambiarme|competencia|reclamaci[oó]n|rese[ñn]a|abogad\w*|"
        r"denuncia\w*|consumo|r[ée]silie\w*|r[ée]siliation|concurrent|plainte|avis|avocat|"
        r"m[ée]diateur|k[üu]ndig\w*|anbieter\w*|beschwerde|bewertung|anwalt|"
        r"verbraucherzentrale|bundesnetzagentur|operadora|reclama[çc][ãa]o|procon|anatel|"
        r"avalia[çc][ãa]o|advogad\w*|disdi\w*|operatore|reclamo|recensione|avvocato|agcom|"
        r"cliente\s+(?:de|da)|perder\s+un\s+cliente|perdre\s+un\s+client|kunden\s+verlieren|"
        r"perder\s+um\s+cliente|perdere\s+un\s+cliente)\b"
        r"|客を失|顧客を失|失去.{0,6}客户|고객\s*(?:을|를)?\s*잃|乗り換え|消費者センター|口コミ|レビュー|弁護士|総務省|換运营商|换运营商|投诉|工信部|差评|律师|"
        r"携号转网|해지|통신사\s*(?:를\s*)?바꾸|옮기|민원|방통위|소비자원|리뷰|후기|변호사|신고"
    ),
    "wants_human": (
        r"\b(?:humans?|real\s+person|live\s+(?:agent|person|chat)|someone\s+real|"
        r"(?:talk|speak|chat)\s+(?:to|with)\s+(?:someone|somebody|an?\s+(?:agent|rep|person|"
        r"operator|representative))|(?:connect|transfer|put)\s+me\s+(?:to|through|with)|"
        r"(?:hablar|comunicarme)\s+con\s+(?:una\s+persona|un\s+humano|alguien|un\s+agente|"
        r"un\s+operador|un\s+asesor)|p[áa]s(?:ame|adme|enme)\s+con|persona\s+real|"
        r"alguien\s+de\s+verdad|parler\s+[àa]\s+(?:un\s+humain|une\s+personne|quelqu'un|"
        r"un\s+conseiller|un\s+agent)|passez-moi|vrai\s+conseiller|vraie\s+personne|"
        r"(?:sprechen|reden|verbinden)\b[^.!?\n]{0,30}\bmit|mit\s+einem\s+(?:menschen|"
        r"mitarbeiter)|echten\s+menschen|falar\s+com\s+(?:uma\s+pessoa|um\s+humano|algu[ée]m|"
        r"um\s+atendente)|me\s+passa\s+(?:pra|para)|pessoa\s+de\s+verdade|"
        r"parlare\s+con\s+(?:una\s+persona|un\s+operatore|un\s+umano|qualcuno)|"
        r"passami|persona\s+vera)\b"
        r"|人間と|人と話|オペレーター|有人|担当者と|人工客服|转人工|真人|人工服务|"
        r"상담원|상담사|사람이랑|사람과|사람하고|사람\s*(?:좀\s*)?연결"
    ),
}
_SHAPES = tuple((name, re.compile(pattern, re.I)) for name, pattern in _LEXICONS.items())


def shape_cues(text: str) -> list[str]:
    """The shapes of `text`, named so each says what the parts add up to: a task with or
    without an anchor (`unanchored_task`, `anchored_task`); pressure through a legitimate
    lever aimed at no one (`lever`, however conditional its wording: the business is its
    target), conditional harm aimed at staff or premises (`harm_to_people`) or at nothing
    named (`conditional_harm`), knowing something of a member of staff (`knows_staff`: where
    they live, what they drive); and `wants_human`. The parts alone (a store named, a task
    verb, an anchor word) say nothing, so they are not cues of their own."""
    has = {name for name, pattern in _SHAPES if pattern.search(text)}
    found = ["wants_human"] if "wants_human" in has else []
    if "task_ask" in has:
        found.append("anchored_task" if "anchor" in has else "unanchored_task")
    conditional, knowing, lever = (
        name in has for name in ("conditional_harm", "knowing", "legit_lever")
    )
    person, place = "staff_target" in has, "premises" in has
    if lever and not (person or place):
        found.append("lever")
    elif conditional and (person or place):
        found.append("harm_to_people")
    elif conditional:
        found.append("conditional_harm")
    if knowing and person and not lever:
        # what a customer knows of a store is its hours; of a person, a threat
        found.append("knows_staff")
    return found
