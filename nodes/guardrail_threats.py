"""The guardrail's threat rules: harm named or implied against staff, in English, Korean and
the other languages customers write in. Threats phrased calmly name no harm, so they are
recognised by their shape ("it would be a shame if...", "I know where your technician lives")."""

from __future__ import annotations

import re

THREAT = re.compile(
    r"\b(?:i(?:'ll| will) (?:find|hurt|kill|come for)|come for you|burn (?:it|you|your)"
    r"|kill you)\b"
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
    r"|(?:밤길|퇴근길|출근길)\s*조심",
    re.IGNORECASE,
)
WHEREABOUTS = re.compile(
    r"\b(?:i\s+know|i've\s+got|i\s+have|i\s+found)\s+(?:where|which\s+(?:house|car|street)|what\s+"
    r"car|the\s+address|your\s+[\w\s']{0,25}?(?:home\s+)?address)"
    r"|(?:주소|위치|사는\s*곳|어디\s*사는지|집)\S*\s*(?:다\s*)?알고\s*(?:있|있습)",
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
    r"|(?:퇴근|출근)\s*(?:시간|길)\S*\s*(?:\S+\s*){0,3}?(?:알|적어|기억)|(?:차|차량)\s*번호\S*\s*(?:\S+\s*){0,2}?"
    r"(?:적어|알|기억)|(?:아이|가족|자녀)\S*\s*(?:\S+\s*){0,3}?(?:알고|봤)",
    re.IGNORECASE,
)
"""Knowing staff's movements, car or family: a threat together with `MENACE`."""
STAFF_MOVEMENTS = re.compile(
    r"\bi(?:'ve|\s+have)?\s+(?:simply\s+|just\s+|already\s+|even\s+)?(?:know|noted|found\s+out|"
    r"worked\s+out|figured\s+out)\s+(?:exactly\s+)?(?:when|what\s+time|which\s+(?:door|exit|way|"
    r"route|car|bus))\b[^.!?\n]{0,90}\b(?:he|she|they|staff|agents?|technicians?|employees?|"
    r"reps?|installers?|workers?)\s+(?:\w+\s+){0,2}?(?:leaves?|leaving|parks?|walks?|go(?:es)?\s+home|"
    r"gets?\s+off|finish(?:es)?)\b"
    r"|(?:몇\s*시에|언제)\s*(?:\S+\s*){0,2}?퇴근하는지\s*(?:\S+\s*){0,2}?알",
    re.IGNORECASE,
)
"""Knowing when and by which door staff leave: a threat by itself."""
"""Knowing where staff are: a threat only together with `MENACE`."""
MENACE = re.compile(
    r"\b(?:think\s+about\s+(?:that|it|them|this)|shame|careful|regret|happen|watch|accident|"
    r"waiting|visit|remember|just\s+saying|consider\s+that|before\s+you\s+(?:refuse|say\s+no|"
    r"decide)|shall\s+we|let'?s\s+(?:get|keep|sort)|just\s+so\s+you\s+know|up\s+to\s+you|"
    r"you(?:'ll|\s+will)\s+(?:understand|see)|solo\s+lo\s+(?:comento|digo)|je\s+dis\s+[çc]a|"
    r"[üu]berlegen\s+sie|[üu]berleg\s+dir)\b"
    r"|잘\s*생각|조심|각오|후회|무슨\s*일|좋게\s*해결|어떻게\s*될지|잘\s*아실|알아서\s*하|서로\s*편하|생각해\s*보",
    re.IGNORECASE,
)
