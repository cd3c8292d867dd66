"""How the guardrail reads a message: every plain form of it, so obfuscation (Unicode tricks,
invisible characters, look-alike letters, leetspeak, spaced letters, base64, rot13) does not
hide what it asks for."""

from __future__ import annotations

import base64
import binascii
import codecs
import re
import unicodedata
from typing import NamedTuple

_INVISIBLE = re.compile("[\u00ad\u034f\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
_LOOKALIKES = str.maketrans(
    "аеорсухіјѕԁһӏԛԝАВЕКМНОРСТХЅІЈαβεικνορτυχΑΒΕΗΙΚΜΝΟΡΤΧΥΖ",
    "aeopcyxijsdhlqwABEKMHOPCTXSIJabeikvoptuxABEHIKMNOPTXYZ",
)
_LEET = str.maketrans("013457@$", "oieastas")
_LEET_WORD = re.compile(r"(?<![\w@$])(?=[\w@$]*[a-z])(?=[\w@$]*[\d@$])[\w@$]+", re.I)
_SPACED = re.compile(r"(?<!\w)\w([ ._*|/+-])\w(?:\1\w)+(?!\w)")
_BASE64 = re.compile(r"(?<![\w+/=-])[A-Za-z0-9+/_-]{16,}={0,2}")
# Keywords spelled out letter by letter with no gap between the words ("i g n o r e a l l").
SPELLED = re.compile(
    r"ignore(?:all|any|the|your)*(?:previous|prior|above|earlier)?(?:instructions|rules|prompts?)"
    r"|(?:system|hidden)prompt|developermode|jailbreak|godmode|reveal(?:your|the)",
    re.I,
)


class Reading(NamedTuple):
    """A message in every plain form the checks read."""

    forms: list[str]
    spelled: str
    """The letters of the message's spaced-out runs, joined."""


def _plain(text: str) -> str:
    return _INVISIBLE.sub("", unicodedata.normalize("NFKC", text)).translate(_QUOTES)


def _decoded(text: str) -> list[str]:
    """Base64 runs that decode to readable text."""
    found = []
    for run in _BASE64.findall(text):
        raw = run.rstrip("=").replace("-", "+").replace("_", "/")
        try:
            plain = base64.b64decode(raw + "=" * (-len(raw) % 4), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            continue
        if any(c.isalpha() for c in plain) and all(c.isprintable() or c in "\n\t" for c in plain):
            found.append(_plain(plain))
    return found


def read(text: str) -> Reading:
    """The message as written and as its obfuscations read once undone: compatibility forms,
    invisible characters, look-alike letters, leetspeak, spaced letters, rot13 and base64.
    The first form is the written one, Unicode-normalised."""
    plain = _plain(text)
    latin = plain.translate(_LOOKALIKES)
    deleet = _LEET_WORD.sub(lambda m: m.group(0).lower().translate(_LEET), latin)
    runs = [m.group(0) for m in _SPACED.finditer(deleet)]
    despaced = re.sub(r"[ \t]+", " ", _SPACED.sub(lambda m: m.group(0)[::2], deleet))
    forms = [plain, latin, deleet, despaced, codecs.encode(latin, "rot13"), *_decoded(plain)]
    return Reading(list(dict.fromkeys(forms)), re.sub(r"[\W\d_]", "", "".join(runs)))
