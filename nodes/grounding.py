"""The FAQ verifier: deterministic, so a model cannot talk its way past it."""

from __future__ import annotations

import re

from state.outputs import NO_ANSWER
from state.stores.help_center import HelpCenterEntry

_TOKEN = re.compile(r"[a-z0-9]+(?:[.,][0-9]+)?")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "if",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "with",
        "by",
        "from",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "you",
        "your",
        "we",
        "our",
        "can",
        "will",
        "may",
        "do",
        "does",
        "not",
        "no",
        "so",
        "as",
        "than",
        "then",
        "there",
        "here",
        "what",
        "when",
        "where",
        "which",
        "who",
        "how",
        "any",
        "all",
        "each",
        "also",
        "just",
        "only",
        "into",
        "about",
    ]
)
MIN_SUPPORTED_SHARE = 0.7


def _content_words(text: str) -> set[str]:
    return {w for w in _TOKEN.findall(text.lower()) if w not in _STOP and len(w) > 1}


def is_grounded(answer: str, entry: HelpCenterEntry) -> bool:
    """True when every figure and most content words of the answer come from the entry."""
    if not answer.strip() or answer.strip().lower() == NO_ANSWER:
        return False
    source = f"{entry.question} {entry.answer} {' '.join(entry.tags)}"
    if not set(_NUMBER.findall(answer)) <= set(_NUMBER.findall(source)):
        return False
    words = _content_words(answer)
    if not words:
        return False
    supported = words & _content_words(source)
    return len(supported) / len(words) >= MIN_SUPPORTED_SHARE
