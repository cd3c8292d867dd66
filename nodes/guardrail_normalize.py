"""Normalisation before screening: one canonical text, and the payloads hidden in it.

Attackers hide instructions from rules with characters a reader never sees (zero-width and
Unicode tag characters), letters that only look Latin, unusual dashes in a customer id, text
typed backwards inside a right-to-left override (it displays forwards), and encodings (base64,
rot13, text spelled in tag characters). Every check reads the canonical
form, and every hidden payload is screened like a message of its own. Each step is one pass
over the text (translate tables and regexes without backtracking), so screening stays linear.
"""

from __future__ import annotations

import base64
import binascii
import re
import unicodedata
from urllib.parse import unquote

_TAG_FIRST, _TAG_LAST = 0xE0000, 0xE007F
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\U000e0000-\U000e007f\U000e0100-\U000e01ef]"
)
_DASHES = str.maketrans(
    dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63", "-")
)
_QUOTES = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u02bc": "'", "\u201c": '"', "\u201d": '"'}
)
# Letters of other scripts that render like Latin ones (Unicode's confusables, the common
# subset): Cyrillic, Greek, Armenian and IPA look-alikes.
_CONFUSABLES = str.maketrans(
    "аеорсухіјѕԁһӏԛԝьвтмнкгпАВЕКМНОРСТХЅІЈԌαβεικνορτυχΑΒΕΗΙΚΜΝΟΡΤΧΥΖօոսհɑɡɩɪʟᴄᴅᴇᴋᴍᴏᴘᴛᴜᴠᴡʏ",
    "aeopcyxijsdhlqwbbtmhkrnABEKMHOPCTXSIJGabeikvoptuxABEHIKMNOPTXYZonuhagiilcdekmoptuvwy",
)
_BASE64 = re.compile(r"(?<![\w+/=-])[A-Za-z0-9+/_-]{16,}={0,2}")


_FLAG_TAGS = re.compile("\U0001f3f4[\U000e0030-\U000e0039\U000e0061-\U000e007a]{2,7}\U000e007f")
"""A subdivision flag emoji (England, Scotland, Wales): the one honest use of tag characters."""


def tag_payload(text: str) -> str:
    """Text spelled in Unicode tag characters (U+E0020-E007E mirror printable ASCII): invisible
    on screen, read by a model."""
    return "".join(
        chr(ord(c) - _TAG_FIRST)
        for c in _FLAG_TAGS.sub("", text)
        if _TAG_FIRST + 0x20 <= ord(c) <= _TAG_FIRST + 0x7E
    )


def has_hidden_text(text: str) -> bool:
    """Whether the message spells words in tag characters. No customer types those (outside a
    flag emoji), so their presence is itself a sign of an instruction meant for a model."""
    return sum(c.isalpha() for c in tag_payload(text)) >= 2


def normalize(text: str) -> str:
    """NFKC, invisible and tag characters removed, quotes and dashes unified. Scripts other
    than Latin are kept as written: look-alikes are folded by `fold_confusables`."""
    plain = unicodedata.normalize("NFKC", text)
    return _INVISIBLE.sub("", plain).translate(_QUOTES).translate(_DASHES)


_RIGHT_TO_LEFT = re.compile("[\u202b\u202e\u2067]([^\u202a-\u202e\u2066-\u2069\n]*)")
"""A right-to-left override, embedding or isolate (RLO, RLE, RLI) and the text it governs, up
to its pop (PDF, PDI), the next direction control, or the line's end."""


def displayed_order(text: str) -> str | None:
    """`text` in the order a screen shows it, or None when nothing in it is reordered: an
    instruction typed backwards inside RLO ... PDF displays forwards to a reader (and to a
    model reading the rendered page) while its stored characters read backwards to the rules.
    One pass; the text a control governs is reversed."""
    if _RIGHT_TO_LEFT.search(text) is None:
        return None
    return normalize(_RIGHT_TO_LEFT.sub(lambda m: m.group(1)[::-1], text))


def fold_confusables(text: str) -> str:
    """Look-alike letters of other scripts replaced by the Latin letters they imitate. A form
    of its own: the written form stays, for the Cyrillic and Greek that customers write."""
    return text.translate(_CONFUSABLES)


_CHUNKED = re.compile(
    r"(?<![\w+/=-])(?:[A-Za-z0-9+/_-]+={0,2}\s+)+[A-Za-z0-9+/_-]+={0,2}(?![\w+/=-])"
)
"""Runs of base64-alphabet words with spaces or line breaks between them: a payload split in
chunks ("aWdub3Jl IGFsbCBw ...") so that no run is long enough to look encoded."""
_ENCODED_LOOKING = re.compile(r"\d|[+/=]|[a-z][A-Z]|[A-Z]{2}[a-z]")
"""A chunk of an encoding: a digit, a symbol of the alphabet or a capital inside a word. A
sentence's words (and its capitalised first word) have none, so they are trimmed off a run."""


def _decoded(run: str) -> str | None:
    """The readable text a base64 run (standard or url-safe, padded or not) decodes to."""
    raw = run.rstrip("=").replace("-", "+").replace("_", "/")
    try:
        plain = base64.b64decode(raw + "=" * (-len(raw) % 4), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    if any(c.isalpha() for c in plain) and all(c.isprintable() or c in "\n\t" for c in plain):
        return normalize(plain)
    return None


def _chunk_runs(text: str) -> list[str]:
    """The chunked runs of `text` joined, without the plain words at either end."""
    runs = []
    for match in _CHUNKED.finditer(text):
        words = match.group(0).split()
        marked = [i for i, word in enumerate(words) if _ENCODED_LOOKING.search(word)]
        if len(marked) >= 2:
            joined = "".join(words[marked[0] : marked[-1] + 1])
            if len(joined) >= 16:
                runs.append(joined)
    return runs


def decoded_base64(text: str) -> list[str]:
    """Base64 runs that decode to readable text: whole runs, and runs split in chunks."""
    found = (_decoded(run) for run in [*_BASE64.findall(text), *_chunk_runs(text)])
    return list(dict.fromkeys(plain for plain in found if plain is not None))


_PERCENT = re.compile(r"%[0-9A-Fa-f]{2}")
_BACKSLASH_X = re.compile(r"(?:\\x[0-9A-Fa-f]{2})+")
_HEX_BYTES = re.compile(r"(?<![0-9A-Fa-f])(?:[0-9A-Fa-f]{2}[ :]?){8,}(?![0-9A-Fa-f])")
"""Bytes written as escapes: URL (percent) encoding, "\\xNN" runs, and plain hex pairs
("49676e6f7265", "49 67 6e 6f"). Eight pairs at least: a PIN or a reference is shorter."""
_MIN_ESCAPES = 4


def _readable(raw: bytes) -> str | None:
    """`raw` as text when it reads as words: UTF-8, printable, mostly letters and spaces (the
    digits of an IMEI or a serial decode to control characters or symbols)."""
    try:
        plain = raw.decode()
    except UnicodeDecodeError:
        return None
    words = sum(c.isalpha() or c.isspace() for c in plain)
    if plain.isprintable() and words * 2 >= len(plain) and any(c.isalpha() for c in plain):
        return normalize(plain)
    return None


def decoded_escapes(text: str) -> list[str]:
    """Text spelled as escaped bytes, decoded: a percent-encoded message ("%49%67%6E..."),
    "\\x69\\x67" runs and hex byte strings. Each is one regex pass or `unquote`: linear."""
    found: list[str | None] = []
    if len(_PERCENT.findall(text)) >= _MIN_ESCAPES:
        found.append(_readable(unquote(text).encode()))
    for match in _BACKSLASH_X.finditer(text):
        if len(match.group(0)) >= 4 * _MIN_ESCAPES:
            found.append(_readable(bytes.fromhex(match.group(0).replace("\\x", ""))))
    for match in _HEX_BYTES.finditer(text):
        digits = re.sub(r"[ :]", "", match.group(0))
        found.append(_readable(bytes.fromhex(digits[: len(digits) // 2 * 2])))
    return list(dict.fromkeys(plain for plain in found if plain is not None))


def hidden_payloads(text: str) -> list[str]:
    """What a message carries that a reader does not see as text: tag-character spelling,
    base64 and escaped bytes. (rot13 is a form of the whole message; see
    `guardrail_reading.read`.)"""
    tagged = tag_payload(text)
    plain = normalize(text)
    hidden = [normalize(tagged)] if tagged.strip() else []
    return hidden + decoded_base64(plain) + decoded_escapes(plain)
