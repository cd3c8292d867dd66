"""Cue words for the guardrail's trained screen: what a message does, named the same way in
every language it is written in.

Character and word n-grams learn an attack family's wording; they carry poorly to a paraphrase
family never seen, or to a language whose overrides the training data has few of. A cue names
the act instead ("drops rules", "asks to reveal", "knows where staff are", "speaks of the
customer's own words"), from small multilingual lexicons, and each pair of cues present is a
token too, so the linear model can learn that an override of rules is an attack while an
override of the customer's own words is not. Every lexicon is one regex pass over the text.
The shape of a request, whatever its topic, is `nodes.guardrail_shapes`.
"""

from __future__ import annotations

import re
from itertools import combinations

from nodes.guardrail_rules import DEVICE
from nodes.guardrail_shapes import shape_cues
from nodes.guardrail_threats import MENACE

_NOT_MINE = (
    r"(?<!\bmy\s)(?<!\bour\s)(?<!\bmi\s)(?<!\bmis\s)(?<!\bnuestra\s)(?<!\bnuestro\s)"
    r"(?<!\bmon\s)(?<!\bma\s)(?<!\bnotre\s)(?<!\bmein\s)(?<!\bmeine\s)(?<!\bmeiner\s)"
    r"(?<!\bmeinem\s)(?<!\bmeinen\s)(?<!\bunsere\s)(?<!\bminha\s)(?<!\bmeu\s)(?<!\bmia\s)"
    r"(?<!\bmio\s)"
)
"""Not after a possessive of the customer's: "my assistant", "meine Assistentin", "mi
asistente" is the customer's own secretary, a person, not the AI."""

_LEXICONS: dict[str, str] = {
    "override": (
        r"\b(?:ignor\w*|disregard\w*|forget|overrid\w*|bypass\w*|set\s+aside|drop|void|"
        r"revok\w*|lifted|suspended|no\s+longer\s+(?:apply|valid|count|matter)|cancell?ed|annul\w*|"
        r"olvid\w*|omit\w*|descart\w*|ya\s+no\s+(?:valen|cuentan|tienes)|sin\s+efecto|oubli\w*|"
        r"ne\s+comptent\s+plus|lev[ée]es|vergiss\w*|missacht\w*|aufgehoben|gelten\s+nicht\s+mehr|"
        r"esque[cç]\w*|cancelad\w*|desconsider\w*|pasa\s+de|passer\s+outre|passe\s+outre|"
        r"laisse\s+tomber|mets?\s+de\s+c[ôo]t[ée]|deja\s+de\s+lado|deixe?\s+de\s+lado|beiseite|"
        r"ya\s+no\s+se\s+aplica|ne\s+s'applique\s+plus|gelten\s+keine|n[ãa]o\s+se\s+aplica|"
        r"dimentic\w*|revocat\w*|non\s+valgono|negeer\w*|vergeet|"
        r"забудь\w*|игнорир\w*|недействительн\w*|сняты|unut\w*|yok\s+say|ge[çc]erli\s+de[ğg]il|"
        r"zignoruj|zapomnij|nie\s+obowi[aą]zuj\w*|abaikan|lupakan|b[ỏo]\s+qua|qu[êe]n\s+đi)\b"
        r"|무시|잊어|잊고|없던\s*걸로|효력이\s*없|해제|無視|忘れて|リセット|解除|無効|忽略|无视|忘记|忘掉|作废|失效|"
        r"别再按照|不再适用|不用管|别管|不必遵守|守る必要はない|もう関係ない|"
        r"ไม่ต้องสนใจ|ลืม"
    ),
    "rules": (
        r"\b(?:instructions?|rules|guidelines|polic(?:y|ies)|prompts?|directives?|restrictions|"
        r"filters|guardrails?|programming|constraints|guidance|"
        r"instrucciones|reglas|normas|pol[ií]ticas|directrices|restricciones|"
        r"indicaciones|consignes|r[eè]gles|anweisungen|regeln|vorgaben|richtlinien|"
        r"einschr[aä]nkungen|instru[cç][oõ]es|regras|diretrizes|istruzioni|regole|"
        r"restrizioni|instructies|regels|инструкц\w*|правил\w*|указани\w*|настройк\w*|"
        r"ограничени\w*|talimat\w*|kural\w*|polece\w*|zasad\w*|instrukcj\w*|aturan|"
        r"instruksi|orienta[cç][oõ]es|consignas|politiques?|directivas?|diretivas?|direttiv\w*|"
        r"garde-fous|filtros|filtres|sicherheitsregeln|regelkram)\b"
        r"|지시|지침|규칙|제한|프롬프트|指示|命令|ルール|制限|制約|规则|规定|指令|设定|限制|要求|提示词?|条条框框|安全策略|ポリシー|安全ルール|정책"
    ),
    "reveal": (
        r"\b(?:show|print|reveal|display|dump|repeat|copy|output|recite|quote|echo|paste|"
        r"verbatim|word\s+for\s+word|tell\s+me|muestra\w*|mu[ée]strame|ense[ñn]a\w*|dime|"
        r"palabra\s+por\s+palabra|montre\w*|affiche\w*|recopi\w*|mot\s+pour\s+mot|zeig\w*|"
        r"nenn\w*|wortw[öo]rtlich|mostr\w*|dimmi|покажи|выведи|g[öo]ster|wypisz|poka[żz])\b"
        r"|보여|출력|알려|읊어|그대로|表示|見せ|教え|そのまま|告诉|发给|显示|输出|原封不动|贴出"
    ),
    "hidden": (
        r"\b(?:hidden|internal|secret|initial|original|system|backend|starting|opening|"
        r"preamble|briefing|ocult\w*|intern(?:a|as|o|os|e|es|en|er|i)?|inicial\w*|secret\w*|cach[ée]\w*|d[ée]part|"
        r"d[ée]marrage|versteckt\w*|urspr[üu]nglich\w*|geheim\w*|скрыт\w*|исходн\w*|системн\w*)\b"
        r"|숨겨진|내부|처음|원래|시스템|隠|内部|最初|システム|隐藏|原始|初始|后台|系统"
    ),
    "assistant": (
        # "ai" in lower case is also Vietnamese for "who" ("nếu không ai trả lời"): the word
        # counts when capitalised, or next to a word that makes it the machine
        r"(?-i:\bAI\b)|\b(?:the|an|your|this|you're|you\s+are|are\s+you)\s+ai\b|"
        r"\bai\s+(?:assistant|bot|model|agent|chat\w*)\b|"
        rf"{_NOT_MINE}\b(?:assistant|bot|a\.i\.|chatbot|model|llm|gpt|virtual\s+agent|automated|"
        r"asistente|robot|rob[ôo]|assistent\w*|ki|(?:l'|la\s+|a\s+|une\s+|uma\s+)ia)\b|봇|챗봇|인공지능|어시스턴트|アシスタント|ボット|助手|机器人"
    ),
    "from_now": (
        r"\b(?:from\s+now\s+on|from\s+this\s+(?:message|point)|a\s+partir\s+de\s+(?:ahora|este|"
        r"maintenant|agora)|desde\s+ahora|[àa]\s+partir\s+de\s+maintenant|ab\s+sofort|ab\s+jetzt|"
        r"da\s+(?:ora|adesso|questo\s+momento)|\u0441\s+этого\s+момента|od\s+teraz|art[\u0131i]k)\b"
        r"|지금부터|이제부터|これから|今後|从现在开始|从现在起"
    ),
    "own_words": (
        r"\b(?:i\s+(?:said|wrote|typed|asked|sent|gave|mentioned|meant)|my\s+(?:last|previous|"
        r"earlier|first)\s+(?:message|question|request|note)|what\s+i\s+(?:said|wrote|typed|asked)|"
        r"lo\s+que\s+(?:te\s+)?(?:dije|escrib[ií])|mi\s+mensaje|ce\s+que\s+j'ai|mon\s+message|"
        r"ma\s+question|was\s+ich|meine\s+(?:letzte|vorige)|o\s+que\s+eu|minha\s+mensagem|"
        r"quello\s+che\s+ho|il\s+mio\s+messaggio|я\s+написал\w*|мо[её]\s+(?:прошлое|предыдущее)|"
        r"me\s+refer[ií]a|i\s+meant|j'ai\s+(?:[ée]crit|dit)|escrevi|eu\s+disse|ich\s+(?:schrieb|"
        r"geschrieben|gesagt))\b|我写的|我说的|我说错|내가\s*쓴|제가\s*쓴|私が書いた"
        r"|제가|내가|아까|방금|앞에서\s*말씀|さっき|先ほど|前のメッセージ|我刚才|我之前|刚才那条|ข้อความก่อนหน้า|ที่ฉันพูด"
    ),
    "received": (
        r"\b(?:letter|notice|e-?mail|sms|text\s+message|mail|carta|courrier|brief|schreiben|"
        r"lettera|bericht|письмо|mektup)\b[^.!?\n]{0,40}\b(?:says?|said|told|dice|dit|disant|"
        r"steht|diz|dice|zegt|говорит)\b|우편|안내문|문자가|手紙|通知|短信|来信"
    ),
    "channel": (
        r"\[\s*(?:system|sistema|syst[eè]me|systeme|sys)\s*\]|<<\s*sys\s*>>|</?\s*(?:tool|system|sys)"
        r"\w*\s*>|\b(?:tool_?(?:output|result)|function_?result|resultado_herramienta|"
        r"sa[ií]da\s+da\s+ferramenta|r[ée]sultat\s+de\s+l'outil|systemnachricht|"
        r"mensagem\s+do\s+sistema|mensaje\s+del\s+sistema|message\s+syst[eè]me)\b|"
        r"^\s*(?:system|sistema|syst[eè]me)\s*:|システム通知|システムメッセージ|ツール出力|系统消息|"
        r"系统通知|工具返回|시스템\s*메시지"
    ),
    "role": (
        r"\b(?:(?:new|old|original|former)\s+role|(?:tu|su)\s+(?:nuevo\s+)?papel|"
        r"(?:seu|teu)\s+(?:novo\s+)?papel|(?:ton|votre)\s+(?:nouveau\s+|ancien\s+)?r[ôo]le|"
        r"(?:deine|ihre)\s+(?:neue|alte)\s+rolle|(?:tuo|nuovo)\s+ruolo)\b|役割|角色|역할"
    ),
    "insult": (
        r"\b(?:idiot\w*|stupid\w*|moron\w*|dumb|"
        r"est[úu]pid\w*|imb[ée]cil\w*|mierda|connard\w*|d[ée]bile|"
        r"conne|dumm\w*|bl[öo]d\w*|schei[sß]\w*|burr[oa]|"
        r"cretin\w*|schifo|halt\s+die\s+klappe|c[áa]llate|ta\s+gueule|ferme-la|cala\s+a\s+boca)\b"
        r"|バカ|馬鹿|黙れ|黙ってろ|废物|蠢|笨蛋|滚|闭嘴|멍청|바보|꺼져|닥쳐"
    ),
    "warning": (
        r"\b(?:regret\w*|lamentar[aá]s?|arrepentir\w*|regretter\w*|regretterez|bereuen|"
        r"arrepender\w*|be\s+careful|ten\s+cuidado|fais\s+attention|faites\s+attention|"
        r"pass\s+auf|vorsichtig|cuidado|would\s+be\s+a\s+shame|ser[ií]a\s+una\s+pena|"
        r"ce\s+serait\s+dommage|w[äa]re\s+schade|seria\s+uma\s+pena|peccato|ci\s+vediamo|"
        r"je\s+passerai|visita|visite)\b|後悔|后悔|후회|気をつけ|小心|조심|痛い目|找上门|찾아가"
    ),
    "knows_where": (
        r"\b(?:i\s+know\s+(?:where|your)|s[ée]\s+d[óo]nde|sei\s+onde|sei\s+a\s+que\s+horas|"
        r"so\s+dove|conosco|je\s+connais|ich\s+wei[sß]+,?\s+wo|ich\s+kenne)\b"
        r"|場所は知|住所は知|我知道你们|我知道.{0,12}(?:在哪|住|几点)|어디\s*사는지|주소\s*알아"
    ),
    "schoolwork": (
        r"\b(?:homework|essay|equation|solve|deberes|tarea|ensayo|redacci[oó]n|ecuaci[oó]n|"
        r"resuelve\w*|devoirs|dissertation|[ée]quation|r[ée]sous|hausaufgaben?|aufsatz|gleichung|"
        r"l[öo]se|dever\s+de\s+casa|reda[cç][aã]o|equa[cç][aã]o|resolva|resumo|trabalho\s+da\s+"
        r"escola|compito|compiti|tema|traduci|riassunto)\b|宿題|作业|作文|方程|解いて|숙제|과제|"
        # "풀어" is also lifting a suspension ("정지 풀어 주세요"): solving counts for a problem
        r"(?:문제|수학|방정식|공식|시험)\S{0,16}\s*(?:\S{1,16}\s+)?풀어"
    ),
    "sport": (
        r"\b(?:match|game|score|won|winner|champions?|league|goals?|football|soccer|partido|"
        r"gan[óo]|campe[óo]n\w*|liga|f[úu]tbol|buts|ligue|bundesliga|spiel|fu[sß]ball|tore|"
        r"futebol|jogo|gols|brasileir[ãa]o|serie\s+a|marcatore|nba|nfl|copa)\b"
        r"|野球|試合|足球|比赛|球队|冠军|축구|경기|야구"
    ),
    "invest": (
        r"\b(?:stocks?|shares|invest\w*|invert\w*|investir|anlegen|etfs?|bitcoin|crypto\w*|"
        r"acciones|a[çc][õo]es|aktien|bourse|b[öo]rse|bolsa|ahorros|[ée]pargne|ersparnisse|"
        r"altersvorsorge|tesouro|oro|gold)\b|株|股票|A股|코인|주식|투자"
    ),
    "creative": (
        r"\b(?:poem|poema|po[èe]me|gedicht|poesia|story|cuento|histoire|geschichte|conto|"
        r"recipe|receta|recette|rezept|receita|ricetta|capital\s+(?:of|de)|hauptstadt|capitale|"
        r"python|script|skript|resep|рецепт\w*|przepis\w*\s+na|tarifi)\b|故事|物語|レシピ|菜谱|食谱|레시피|観光|旅游"
        r"|c[ôo]ng\s+th[ứu]c\s+n[ấa]u|रेसिपी|बनाने\s+की\s+विधि|وصفة|สูตร(?:ทำ|อาหาร)"
    ),
    "guide": (
        r"\b(?:manual|guide|manuel|notice|anleitung|handbuch|installation|instalaci[oó]n|"
        r"instala[cç][aã]o|configuration|configuraci[oó]n|configura[cç][aã]o|suivi|suivies|"
        r"segu[ií]|befolgt|segui|seguito|setup|sms|leaflet|box)\b|説明書|说明书|설명서|取扱"
    ),
    "task": (
        r"\b(?:payment|pay|paid|return\w*|shipping|delivery|install\w*|autopay|invoice|bill\w*|"
        r"pago|paiement|zahlung|pagamento|devoluci[oó]n|retour|r[üu]cksendung|factura|facture|"
        r"rechnung|fatura)\b|납부|요금|반품|支払い|付款|账单"
    ),
    "staff": (
        r"\b(?:technicians?|tech|agents?|reps?|representatives?|staff|installers?|employees?|"
        r"cashiers?|managers?|engineers?|t[ée]cnico|technicien|techniker|mitarbeiter\w*|"
        r"conseiller|empleados?|employ[ée]s|angestellt\w*|funcion[áa]rios?|dipendenti|"
        r"сотрудник\w*|[çc]al[\u0131i][şs]an\w*|pracownik\w*|karyawan|nhân\s+viên)\b"
        r"|상담원|상담사|기사|직원|スタッフ|店員|员工|店员|技术员|موظف\w*|कर्मचारी|พนักงาน"
    ),
    "watch": (
        r"\b(?:know\s+(?:where|when|what\s+time|which)|which\s+(?:door|car|bus|route|school|"
        r"house)|plate|parks?|walks?\s+(?:home|to)|leaves?\s+(?:work|the)|kids|children|"
        r"daughter|son|family|home\s+address|s[ée]\s+(?:d[óo]nde|a\s+qu[ée]\s+hora)|je\s+sais\s+"
        r"(?:o[ùu]|quand|quelle)|ich\s+wei[sß]+,?\s+(?:wo|wann|welch)|ich\s+kenne)\b"
        r"|퇴근|출근|차\s*번호|사는\s*곳|집\s*주소|아이가|어느\s*학교|住在哪|どこに住"
    ),
    "other_person": (
        r"\b(?:neighbou?rs?|ex|ex-\w+|boss|co-?workers?|colleagues?|landlord|tenants?|"
        r"roommates?|someone\s+else|somebody\s+else|another\s+customer|other\s+(?:customers?|"
        r"subscribers?|users?|people)|vecin[oa]s?|otros\s+clientes|abonados|"
        r"suscriptores|voisin\w*|autres\s+clients|abonn[ée]s|nachbar\w*|anderen\s+kunden|kunden\w*|"
        r"assinantes|clienti|wife|husband|girlfriend|boyfriend|sister|brother|cousin|aunt|uncle|"
        r"in-laws?|\w+-in-law|esposa|esposo|marido|mujer|novi[oa]|ex-?novi[oa]|cu[ñn]ad[oa]|"
        r"suegr[oa]|prim[oa]|herman[oa]|femme|mari|copine|copain|belle-s[œo]eur|beau-fr[èe]re|"
        r"cousine?|fr[èe]re|s[œo]eur|ehefrau|ehemann|freundin|schw[äa]ger\w*|cousin\w*|"
        r"bruder|schwester|cunhad[oa]|namorad[oa]|cognat[oa]|fidanzat[oa]|moglie|schoonzus|"
        r"schoonbroer|жена|муж|бывш\w*|невестк\w*|невістк\w*|сестр\w*|брат\w*|коллег\w*|"
        r"sevgili\w*|yenge\w*|kar[\u0131i]m|kocam|szwagier\w*|była|były|[żz]ona|m[ąa][żz]|"
        r"mantan|ipar|istri|suami|người\s+yêu\s+cũ|vợ|chồng|chị\s+dâu|đồng\s+nghiệp|"
        r"svägersk\w*|švagr\w*|kollega)\b|옆집|이웃|다른\s*고객|가입자|남의|전\s*여자친구|전\s*남자친구|"
        r"전\s*여친|전\s*남친|형수|처제|시누이|동서|아내|남편|동료|元カノ|元カレ|義理の|同僚|妻|夫|"
        r"他の顧客|顧客名簿|其他客户|用户|前女友|前男友|老婆|老公|嫂子|同事|طليق\w*|زوج\w*|"
        r"भाभी|पत्नी|पति|एक्स|พี่สะใภ้|แฟนเก่า"
    ),
    "private": (
        r"\b(?:balance|bill|invoices?|address|call\s+(?:log|logs|history|records)|phone\s+numbers?|"
        r"numbers|e-?mails?|usage|location|pin|payments?|details|records|saldo|factura|"
        r"direcci[oó]n|correos?|tel[ée]fonos?|solde|adresse|num[ée]ros|rechnung|adressen|"
        r"telefonnummern|messages|texts|ubicaci[oó]n|localisation|standort|facture|fatura|"
        r"bolletta|rekening|rachunek|faktur\w*|сч[её]т|рахунок|сообщени\w*|faturas\w*|"
        r"mesaj\w*|sms\w*|tagihan|h[óo]a\s+đơn|tin\s+nhắn|lokalizacj\w*|konum\w*)\b"
        r"|주소|전화번호|연락처|요금|잔액|통화\s*내역|문자|위치|住所|電話番号|請求|メッセージ|現在地|"
        r"手机号|地址|短信|账单|位置|فاتورة|الرسائل|बिल|मैसेज|บิล"
    ),
    "harm": (
        r"\b(?:accidents?|accidentes?|acidentes?|incidenti|unf[äa]ll\w*|wypadk\w*|kaza\w*|"
        r"несчастн\w*|случа\w*|think\s+about\s+it|pi[ée]nsalo|pense\s+nisso|r[ée]fl[ée]chissez|"
        r"denkt?\s+(?:mal\s+)?dar[üu]ber|przemy[śs]lcie|d[üu][şs][üu]n[üu]n|pensateci|"
        r"tai\s+nạn|kecelakaan)\b|사고|잘\s*생각|事故|よく考え|意外|好好想想|حادث|दुर्घटना|อุบัติเหตุ"
    ),
    "terms": (
        r"\b(?:roaming|contracts?|porting|trial|warranty|early\s+termination|"
        r"rescisi[oó]n|cancelaci[oó]n|r[ée]siliation|r[ée]silier|k[üu]ndig\w*|cancelamento|"
        r"disdetta|opzeggen|proefperiode|iptal|s[öo]zle[şs]me\w*|contrato|contrat|vertrag\w*|"
        r"itinerancia|itin[ée]rance|返品)\b|解约|解約|漫游|ローミング|契约|契約|해지|로밍|약정|위약금|"
        r"返品|退货"
    ),
    "signup": (
        r"\b(?:sign\s+up|join|switch\s+to\s+you|register|recommend|suggest|darse\s+de\s+alta|"
        r"s'abonner|anmelden|wechseln|aderir|iscriversi|g[ợo]i\s+[ýy]|đăng\s+ký)\b"
        r"|乗り換え|おすすめ|推荐|办你们|가입하고|추천"
    ),
    "mine": (
        r"\b(?:my|our)\s+(?:own\s+)?(?:family\s+|shared\s+|household\s+)?(?:plan|account|lines?|"
        r"contract)\b|\bmi\s+plan\b|\bmon\s+forfait\b|\bplan\s+familiar\b|\bnuestro\s+plan\b|"
        r"\bmis\s+l[ií]neas\b|\b(?:meu|nosso)\s+plano\b|\bplano\s+fam[ií]lia\b|\bnotre\s+forfait\b|"
        r"\bforfait\s+famille\b|\bfamilientarif\b|\bpiano\s+famiglia\b|家族プラン|가족\s*요금제|우리\s*가족|家庭套餐|私の|我的"
        r"|(?:제|내)\s*(?:계정|요금|번호|회선)"
    ),
}
_CUES = tuple((name, re.compile(pattern, re.I)) for name, pattern in _LEXICONS.items())


def cues(text: str) -> list[str]:
    """The names of the cues present in `text`."""
    found = [name for name, pattern in _CUES if pattern.search(text)]
    if DEVICE.search(text):
        found.append("device")
    if MENACE.search(text):
        found.append("menace")
    return [*found, *shape_cues(text)]


def cue_words(text: str) -> str:
    """Cue tokens for the classifier: one per cue present and one per pair of them, spelled
    so no message contains them ("qqoverride", "qqoverride_rules")."""
    found = cues(text)
    pairs = [f"{a}_{b}" for a, b in combinations(found, 2)]
    return " ".join(f"qq{name}" for name in [*found, *pairs])
