"""The language a customer writes in, per message, so every reply can answer in it.

Script counting, not a model: Hangul is unambiguous, and the product answers in English or
Korean only, so anything that is not mostly Hangul is answered in English.
"""

from __future__ import annotations

from typing import Literal

Language = Literal["en", "ko"]

KOREAN_SHARE = 0.3
"""Share of a message's letters that are Hangul from which it is Korean: a Korean message
often carries Latin plan names, ids or e-mail addresses."""


def _is_hangul(char: str) -> bool:
    return (
        "\uac00" <= char <= "\ud7a3" or "\u1100" <= char <= "\u11ff" or "\u3130" <= char <= "\u318f"
    )


def detect_language(text: str) -> Language:
    """'ko' when enough of the message's letters are Hangul, else 'en'."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return "en"
    hangul = sum(1 for c in letters if _is_hangul(c))
    return "ko" if hangul / len(letters) >= KOREAN_SHARE else "en"
