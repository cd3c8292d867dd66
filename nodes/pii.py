"""PII masking applied before any model or checkpoint sees a customer's message."""

from __future__ import annotations

import re

_CARD = re.compile(r"(?<!\d)(?:\d[ -]?){12,18}\d(?!\d)")
_NATIONAL_ID = re.compile(r"(?<!\d)\d{3}-\d{2}-\d{4}(?!\d)")


def luhn_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def _mask_card(match: re.Match[str]) -> str:
    """The widest Luhn-valid run of whole digit groups, so a card followed or preceded by
    other digits ("4111 1111 1111 1111 12/27") is still found inside the greedy match."""
    run = match.group(0)
    groups = [g.span() for g in re.finditer(r"\d+", run)]
    for width in range(len(groups), 0, -1):
        for first in range(len(groups) - width + 1):
            start, end = groups[first][0], groups[first + width - 1][1]
            digits = re.sub(r"\D", "", run[start:end])
            if 13 <= len(digits) <= 19 and luhn_valid(digits):
                return f"{run[:start]}[card ending {digits[-4:]}]{run[end:]}"
    return run


def mask_pii(text: str) -> str:
    """Card numbers (Luhn-checked) and national-ID-like numbers, replaced by placeholders."""
    text = _CARD.sub(_mask_card, text)
    return _NATIONAL_ID.sub("[id number]", text)
