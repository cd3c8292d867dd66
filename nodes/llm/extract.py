"""Argument extraction for the offline backend: entities a tool call needs, read from text."""

from __future__ import annotations

import re

from state.stores.customers import INTERNET_TIERS, MOBILE_PLANS

_MONEY = re.compile(r"\$\s?(\d+(?:\.\d{1,2})?)")
_PLAN_MENTIONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b(?:nimbus\s+)?lite\b", re.I), MOBILE_PLANS[0]),
    (re.compile(r"\b(?:nimbus\s+)?plus\b", re.I), MOBILE_PLANS[1]),
    (re.compile(r"\b(?:nimbus\s+)?unlimited\b", re.I), MOBILE_PLANS[2]),
    (re.compile(r"\b(?:fiber\s+)?300\b", re.I), INTERNET_TIERS[0]),
    (re.compile(r"\b(?:fiber\s+)?(?:1|one)\s?(?:gig|gbps|gigabit)\b", re.I), INTERNET_TIERS[1]),
    (re.compile(r"\b(?:fiber\s+)?(?:2|two)\s?(?:gig|gbps|gigabit)\b", re.I), INTERNET_TIERS[2]),
)
_TARGET_MARKER = re.compile(r"\b(?:to|into|onto|for)\s+(?:the\s+)?$", re.I)
_INTERNET_WORDS = re.compile(r"\b(fiber|internet|wi-?fi|broadband|home\s+service)\b", re.I)
_ACCOUNT_WORDS = re.compile(r"\b(account|everything|all\s+(?:my\s+)?services|completely)\b", re.I)
_ESIM_WORDS = re.compile(r"\be-?sim\b", re.I)


def money_amount(text: str) -> float | None:
    match = _MONEY.search(text)
    return float(match.group(1)) if match else None


def plan_target(text: str) -> str | None:
    """The plan or tier the customer wants: one named after 'to', else the last one named."""
    mentions: list[tuple[int, str]] = []
    for pattern, name in _PLAN_MENTIONS:
        mentions += [(m.start(), name) for m in pattern.finditer(text)]
    if not mentions:
        return None
    mentions.sort()
    for start, name in mentions:
        if _TARGET_MARKER.search(text[max(0, start - 12) : start]):
            return name
    return mentions[-1][1]


def cancel_target(text: str) -> str:
    if _ACCOUNT_WORDS.search(text) and not _INTERNET_WORDS.search(text):
        return "account"
    if _INTERNET_WORDS.search(text):
        return "internet"
    return "mobile"


def sim_type(text: str) -> str:
    return "esim" if _ESIM_WORDS.search(text) else "physical"
