"""The training data: the blind held-out sets stay blind (none of their messages is in it),
and every help-center entry is taught in the registers customers write in.

Only the sets written by someone who changed no code and measured once (`heldout_queries6`,
`heldout_queries_ko4`) are held to it; older sets were used for error analysis and a few of
their texts are also training paraphrases.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nodes.llm.examples import load_examples
from state.settings import Settings
from state.stores.help_center import load_help_center

BLIND_SETS = ("heldout_queries6.jsonl", "heldout_queries_ko4.jsonl")
TEST_DATA = Path(__file__).parents[3] / "data"


def _normal(text: str) -> str:
    return " ".join(text.lower().split())


def _texts(path: Path) -> list[str]:
    return [json.loads(line)["text"] for line in path.read_text("utf-8").splitlines() if line]


@pytest.mark.parametrize("name", BLIND_SETS)
def test_no_blind_held_out_message_is_trained_on(settings: Settings, name: str) -> None:
    trained = {_normal(t) for t in _texts(settings.data_dir / "training" / "examples.jsonl")}
    held_out = _texts(TEST_DATA / name)
    assert len(held_out) >= 40
    assert [t for t in held_out if _normal(t) in trained] == []


REGISTERS = ("casual", "story")
"""Paraphrase families every help-center entry has, in English and in Korean: texting, lower
case, no punctuation and typos (casual), and a long story that ends in the question (story)."""


def test_every_help_center_entry_has_casual_and_story_families_in_both_languages(
    settings: Settings,
) -> None:
    entries = [e.id for e in load_help_center(settings.data_dir / "help_center.yaml")]
    examples = load_examples(settings.data_dir / "training" / "examples.jsonl")
    families = {(x.faq_id, x.family) for x in examples if x.route == "faq" and x.family}
    missing = [
        f"{language}-{faq_id}-{register}"
        for faq_id in entries
        for language in ("en", "ko")
        for register in REGISTERS
        if (faq_id, f"{language}-{faq_id}-{register}") not in families
    ]
    assert missing == []
