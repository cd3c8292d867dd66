"""How the guardrail reads a message: every plain form of it, so obfuscation (Unicode tricks,
invisible and tag characters, look-alike letters, leetspeak, spaced letters, base64, rot13)
does not hide what it asks for. Normalisation itself is `nodes/guardrail_normalize.py`."""

from __future__ import annotations

import codecs
import re
from typing import NamedTuple

from nodes.guardrail_normalize import (
    displayed_order,
    fold_confusables,
    has_hidden_text,
    hidden_payloads,
    normalize,
)

_LEET = str.maketrans("013457@$!", "oieastasi")
_LEET_WORD = re.compile(r"(?<![\w@$!])(?=[\w@$!]*[a-z])(?=[\w@$!]*[\d@$!])[\w@$!]*\w[\w@$]*", re.I)
"""A word mixing letters with digits or @ $ ! ("d!sr3g@rd"); a trailing "!" stays punctuation."""
_SPACED = re.compile(r"(?<!\w)\w([ ._*|/+-])\w(?:\1\w)+(?!\w)")
# Keywords spelled out letter by letter with no gap between the words ("i g n o r e a l l").
SPELLED = re.compile(
    r"ignore(?:all|any|the|your)*(?:previous|prior|above|earlier)?(?:instructions|rules|prompts?)"
    r"|disregard(?:all|any|the|your)*(?:previous|prior)?(?:instructions|rules|guidelines)"
    r"|(?:system|hidden)prompt|developermode|jailbreak|godmode|reveal(?:your|the)|show(?:me)?"
    r"your(?:system|hidden)",
    re.I,
)


_COMMON = re.compile(
    r"\b(?:the|and|you|your|to|is|my|of|for|me|all|it|in|this|that|what|how|can|please|show|"
    r"tell|give|ignore|reveal|prompt|rules|instructions|customer|account|"
    # the same few words in the other languages a rot13 payload is written in
    r"und|die|der|das|du|deine|alle|ist|nicht|ignoriere|anweisungen|regeln|el|los|las|tus|"
    r"que|todas|instrucciones|et|les|tes|tu|vous|consignes)\b",
    re.I,
)


def _rot13_reads_better(text: str, rotated: str) -> bool:
    """rot13 is worth screening only when it reads more like English than the text does: one
    cheap count instead of every rule run over a form no normal message needs."""
    return len(_COMMON.findall(rotated)) > len(_COMMON.findall(text))


BACKWARDS = re.compile(
    r"\b(?:backwards?|in\s+reverse(?:\s+order)?|reversed|from\s+right\s+to\s+left|"
    r"end\s+to\s+(?:start|beginning)|r[uü]ckw[aä]rts|von\s+hinten(?:\s+nach\s+vorne?)?|"
    r"umgekehrt\w*|al\s+rev[ée]s|de\s+atr[aá]s\s+(?:hacia|para)\s+adelante|invertid\w*|"
    r"[àa]\s+l'envers|de\s+droite\s+[àa]\s+gauche|invers[ée]\w*|de\s+tr[aá]s\s+para\s+"
    r"(?:a\s+)?frente|ao\s+contr[aá]rio|al\s+contrario|all'incontrario)\b"
    r"|거꾸로|뒤에서부터|역순|逆から|逆さ|逆順|反过来|倒着|倒过来|倒序|从右往左|從右往左",
    re.I,
)
"""A message that asks for text to be read backwards: its reversed form is read too."""


class Reading(NamedTuple):
    """A message in every plain form the checks read."""

    forms: list[str]
    spelled: str
    """The letters of the message's spaced-out runs, joined."""
    tagged: bool = False
    """Words spelled in invisible tag characters: a hidden instruction, whatever it says."""


def read(text: str) -> Reading:
    """The message as written and as its obfuscations read once undone: compatibility forms,
    invisible characters, look-alike letters, leetspeak, spaced letters, rot13, base64, text
    spelled in tag characters, right-to-left overrides in the order they display, and the
    whole message reversed when it asks to be read backwards. The first form is the written
    one, normalised."""
    plain = normalize(text)
    latin = fold_confusables(plain)
    deleet = _LEET_WORD.sub(lambda m: m.group(0).lower().translate(_LEET), latin)
    runs = [m.group(0) for m in _SPACED.finditer(deleet)]
    # words joined by underscores ("{your_system_prompt}") read as words once spacing is undone
    despaced = re.sub(r"[ \t_]+", " ", _SPACED.sub(lambda m: m.group(0)[::2], deleet))
    # a payload is screened as written too: folding is for look-alikes in Latin text, and it
    # turns a decoded Cyrillic or Greek instruction into letters no check reads
    hidden = [form for p in hidden_payloads(text) for form in (p, fold_confusables(p))]
    rotated = codecs.encode(latin, "rot13")
    rot13 = [rotated] if _rot13_reads_better(latin, rotated) else []
    shown = displayed_order(text)
    displayed = [shown, fold_confusables(shown)] if shown is not None else []
    reversed_ = [latin[::-1]] if BACKWARDS.search(latin) else []
    forms = [plain, latin, deleet, despaced, *rot13, *hidden, *displayed, *reversed_]
    spelled = re.sub(r"[\W\d_]", "", "".join(runs))
    return Reading(list(dict.fromkeys(forms)), spelled, has_hidden_text(text))
