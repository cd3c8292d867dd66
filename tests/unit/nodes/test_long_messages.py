"""Rules and readers stay linear on the longest message a run accepts, however it repeats.

Patterns with nested or unbounded repeats ("should be ... $1 ... but", a word skipped with
optional spaces) take time that grows with a power of the length when a fragment they start on
repeats without the text they end on: a 16,000-character message could hold a worker for
minutes. Each case here took from 12 s to several minutes before the repeats were bounded.
"""

from __future__ import annotations

import pytest

from api.http.run_input import MAX_MESSAGE_CHARS
from nodes.guardrail import deterministic_block
from nodes.guardrail_model import GuardrailModel, load_guardrail_model
from nodes.llm import extract
from state.settings import Settings
from state.stores.customers import CustomerDirectory

FRAGMENTS = [
    "should be $1 ",
    "should be $1.1.1 ",
    "역할",
    "너설정",
    "퇴근시간",
    "이제부터너는",
    "승인절차",
]


@pytest.fixture(scope="module")
def model(settings: Settings) -> GuardrailModel:
    return load_guardrail_model(settings.data_dir, settings.cache_dir)


@pytest.mark.timeout(60)
@pytest.mark.parametrize("fragment", FRAGMENTS)
def test_a_repeated_fragment_is_read_in_linear_time(
    fragment: str, customers: CustomerDirectory, model: GuardrailModel
) -> None:
    text = fragment * (MAX_MESSAGE_CHARS // len(fragment))
    deterministic_block(text, "C-1001", customers, model)
    extract.reports_dispute(text)
    extract.asks_whether(text)
    extract.asks_to_cancel(text)
    extract.plan_target(text)
