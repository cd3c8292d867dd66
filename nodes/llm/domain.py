"""How much of an English message is about what a telecom's support talks about.

The guardrail classifier learns off-topic requests from the domains its examples cover
(sports, homework, recipes...); a request from a domain it has never seen (a legal question, a
cooking tip) shares no n-grams with them and falls back to "ok". This vocabulary gives the
other half of the picture: the content words the help center and the support examples use. A
message whose content words are mostly foreign to them is not about the service, whatever its
domain.

Only English is judged: a message with letters outside ASCII (Korean, Spanish, German...) or
in which English function words are rare is left to the classifier, since its words would
all look foreign. Capitalised words inside a sentence are names (a person, a store, a team)
and say nothing about the domain, so they are not counted; words are compared by a crude
stem (`stem`), so "resetting" is known from "reset".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

WORD = re.compile(r"[A-Za-z]{2,}")
SENTENCE_START = re.compile(r"(?:^|[.!?]\s+)([A-Za-z]+)")
SUFFIXES = ("ing", "ed", "ly", "es", "er", "s")
MIN_CONTENT_WORDS = 2
"""Fewer content words than this say too little to judge ("thanks", "hello there")."""
MIN_ENGLISH_SHARE = 0.12
"""Share of a message's words that must be English function words for it to be judged."""
SHARED_FUNCTION_WORDS = frozenset(
    {"a", "am", "an", "con", "de", "do", "in", "me", "no", "per", "so", "un"}
)
"""English stop words that are also common Italian, Spanish, Portuguese or French words: they
do not show that a message is English, so an Italian message is not judged as off-topic
English because of its "con", "un" and "in"."""
SERVICE_WORDS = frozenset({"bill", "call", "move"})
"""Words on scikit-learn's English stop list that are what customers ask a telecom about:
content words here, so "is it expensive to call my gran in Suriname" keeps the word the
help center knows ("call") and a place name alone does not make it foreign."""
STOP_WORDS = ENGLISH_STOP_WORDS - SERVICE_WORDS


@dataclass(frozen=True)
class DomainReading:
    known_share: float
    """Share of the content words the support vocabulary has."""
    content_words: int
    core: bool
    """Whether a content word is one the help center's questions and tags use ("bill",
    "router", "roaming"): such a message is about the service, however it is worded."""


@dataclass(frozen=True)
class DomainVocabulary:
    words: frozenset[str]
    core: frozenset[str]

    @classmethod
    def learn(cls, texts: Iterable[str], core_texts: Iterable[str]) -> DomainVocabulary:
        core = _stems(core_texts)
        return cls(_stems(texts) | core, core)

    def read(self, text: str) -> DomainReading | None:
        """The share of known content words, or None when the message cannot be judged."""
        if not text.isascii():
            return None
        starts = {m.start(1) for m in SENTENCE_START.finditer(text)}
        tokens = [
            m.group().lower()
            for m in WORD.finditer(text)
            if m.start() in starts or not m.group()[0].isupper()
        ]
        content = [w for w in tokens if w not in STOP_WORDS]
        if len(content) < MIN_CONTENT_WORDS:
            return None
        english = sum(1 for w in tokens if w in STOP_WORDS and w not in SHARED_FUNCTION_WORDS)
        if english / len(tokens) < MIN_ENGLISH_SHARE:
            return None
        stems = [stem(w) for w in content]
        known = sum(1 for w in stems if w in self.words)
        core = any(w in self.core for w in stems)
        return DomainReading(known / len(content), len(content), core)


def _stems(texts: Iterable[str]) -> frozenset[str]:
    words = (w.lower() for text in texts for w in WORD.findall(text))
    return frozenset(stem(w) for w in words if w not in STOP_WORDS)


def stem(word: str) -> str:
    """A crude stem: one common suffix off, a doubled last letter or a final "e" dropped
    ("resetting", "resets", "reset" -> "reset"; "names", "name" -> "nam")."""
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    if len(word) > 3 and (word[-1] == word[-2] or word[-1] == "e"):
        word = word[:-1]
    return word
