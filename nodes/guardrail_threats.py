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
    r"|\b(?:something|anything)\s+(?:bad\s+)?(?:could|might|would|will|may)\s+happen\s+to\s+"
    r"(?:you|your)\b|\bwatch\s+your\s+back\b|\blook\s+over\s+your\s+shoulder\b"
    r"|\bbe\s+careful\s+(?:walking|driving|going|leaving|when\s+you\s+leave|tonight|out\s+there)"
    r"|\b(?:you|your\s+\w+)\s+(?:to\s+)?(?:have|has|had|get|having)\s+(?:an?\s+)?accident"
    r"|\baccidents\s+happen\s+to\b|\bpay\s+(?:you|your\s+\w+)\s+a\s+visit\b"
    r"|\b(?:tend|going)\s+to\s+regret\s+it\b|\bi'?ll\s+be\s+waiting\s+(?:outside|for\s+you)"
    r"|조심하(?:시는|는)\s*게\s*좋을|무슨\s*일이\s*(?:생겨도|생길지)|가만\s*(?:안\s*두|두지\s*않)"
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
"""Knowing where staff are: a threat only together with `MENACE`."""
MENACE = re.compile(
    r"\b(?:think\s+about\s+(?:that|it)|shame|careful|regret|happen|watch|accident|waiting|"
    r"visit|remember|just\s+saying|consider\s+that)\b|잘\s*생각|조심|각오|후회|무슨\s*일",
    re.IGNORECASE,
)
