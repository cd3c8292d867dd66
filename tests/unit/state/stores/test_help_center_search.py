"""Help-center retrieval: a customer's misspelt, inflected or Korean-particled word still finds
the entry, and an index built from other features is never taken for this one."""

from __future__ import annotations

from collections import defaultdict
from functools import cache

import pytest

from nodes.llm.examples import load_examples
from state.settings import Settings
from state.stores import help_center
from state.stores.help_center import (
    HelpCenterEmbedder,
    HelpCenterEntry,
    MemoryHelpCenterIndex,
    load_help_center,
)


def _entries() -> list[HelpCenterEntry]:
    return load_help_center(Settings(redis_url=None).data_dir / "help_center.yaml")


@cache
def _index() -> MemoryHelpCenterIndex:
    settings = Settings(model_backend="offline", redis_url=None)
    entries = _entries()
    phrasings: dict[str, list[str]] = defaultdict(list)
    for example in load_examples(settings.data_dir / "training" / "examples.jsonl"):
        if example.faq_id:
            phrasings[example.faq_id].append(example.text)
    return MemoryHelpCenterIndex(entries, HelpCenterEmbedder(entries, phrasings))


def _entry_about(word: str) -> str:
    return next(e.id for e in _entries() if word in e.question.lower())


@pytest.mark.parametrize(
    ("query", "about"),
    [
        ("voicemial", "voicemail"),  # a typo: no word of it is in the vocabulary
        ("paymnet methds", "payment methods"),
        ("unlocking", "unlock"),  # an inflection the entry never uses
        ("roamng", "abroad"),
    ],
)
async def test_a_word_written_differently_still_finds_its_entry(query: str, about: str) -> None:
    found = await _index().search(query, k=3)
    assert found, query
    assert found[0].entry.id == _entry_about(about), [r.entry.id for r in found]


async def test_a_korean_word_with_its_particle_finds_the_entry_of_the_bare_word() -> None:
    entries = _entries()
    phrasings = {e.id: [] for e in entries}
    phrasings[entries[0].id] = ["요금제 변경"]
    phrasings[entries[1].id] = ["유심 교체"]
    index = MemoryHelpCenterIndex(entries, HelpCenterEmbedder(entries, phrasings))
    assert [r.entry.id for r in await index.search("요금제를", k=1)] == [entries[0].id]
    assert [r.entry.id for r in await index.search("유심이", k=1)] == [entries[1].id]


def test_the_index_fingerprint_changes_with_the_character_features(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A Redis index built with other features must be rebuilt, not reused: the fingerprint
    covers each block's parameters as well as its vocabulary."""
    entries = _entries()[:6]
    before = HelpCenterEmbedder(entries).vocabulary_digest
    chars = {**help_center.CHAR_FEATURES, "ngram_range": (3, 5)}
    monkeypatch.setattr(
        help_center,
        "FEATURES",
        tuple((name, chars if name == "chars" else params, weight)
              for name, params, weight in help_center.FEATURES),
    )  # fmt: skip
    assert HelpCenterEmbedder(entries).vocabulary_digest != before
