"""The FAQ verifier: an answer counts only when it says what one help-center entry says."""

from __future__ import annotations

import pytest

from nodes.grounding import is_grounded
from state.outputs import NO_ANSWER
from state.settings import Settings
from state.stores.help_center import HelpCenterEntry, load_help_center


@pytest.fixture(scope="module")
def entries() -> dict[str, HelpCenterEntry]:
    found = load_help_center(Settings().data_dir / "help_center.yaml")
    return {e.id: e for e in found}


@pytest.fixture
def late_fees(entries: dict[str, HelpCenterEntry]) -> HelpCenterEntry:
    entry = entries["faq-003"]
    assert "$10 late fee" in entry.answer
    return entry


def test_every_entrys_own_answer_is_grounded(entries: dict[str, HelpCenterEntry]) -> None:
    assert [e.id for e in entries.values() if not is_grounded(e.answer, e)] == []


def test_a_short_answer_in_the_entrys_words_is_grounded(late_fees: HelpCenterEntry) -> None:
    assert is_grounded("A $10 late fee is added to your next bill.", late_fees)


@pytest.mark.parametrize("answer", [NO_ANSWER, "No_Answer", f"  {NO_ANSWER}\n", "", "   "])
def test_no_answer_is_never_grounded(answer: str, late_fees: HelpCenterEntry) -> None:
    assert not is_grounded(answer, late_fees)


def test_an_answer_with_a_figure_the_entry_does_not_give_is_rejected(
    late_fees: HelpCenterEntry,
) -> None:
    altered = late_fees.answer.replace("$10 late fee", "$25 late fee")

    assert altered != late_fees.answer
    assert not is_grounded(altered, late_fees)


def test_an_answer_from_another_entry_is_rejected(
    entries: dict[str, HelpCenterEntry], late_fees: HelpCenterEntry
) -> None:
    assert not is_grounded(entries["faq-038"].answer, late_fees)


def test_unrelated_text_is_rejected(late_fees: HelpCenterEntry) -> None:
    made_up = "Our technicians will visit tomorrow morning and replace your modem for free."

    assert not is_grounded(made_up, late_fees)
