"""The blind held-out sets stay blind: none of their messages is in the training data.

Only the sets written by someone who changed no code and measured once (`heldout_queries6`,
`heldout_queries_ko4`) are held to it; older sets were used for error analysis and a few of
their texts are also training paraphrases.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from state.settings import Settings

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
