"""Entities the offline backend reads from a message before it proposes an action."""

from __future__ import annotations

import pytest

from nodes.llm.extract import plan_target


@pytest.mark.parametrize(
    ("text", "plan"),
    [
        ("데이터가 부족해서 Unlimited로 올리고 싶어요", "Nimbus Unlimited"),
        ("요금이 부담돼서 Lite로 낮춰 주세요", "Nimbus Lite"),
        ("Fiber 300으로 내려 주세요", "Fiber 300"),
        ("인터넷 2기가로 올려 주세요", "Fiber 2 Gig"),
        ("Unlimited에서 Lite로 바꿔 주세요", "Nimbus Lite"),
        ("move me from Plus to Lite", "Nimbus Lite"),
        ("upgrade my fiber to 1 gig", "Fiber 1 Gig"),
    ],
)
def test_a_plan_is_found_before_a_korean_particle_and_after_to(text: str, plan: str) -> None:
    assert plan_target(text) == plan


@pytest.mark.parametrize(
    "text", ["요금제 바꾸고 싶은데요", "pluses", "I have a question about my plan"]
)
def test_no_plan_is_read_where_none_is_named(text: str) -> None:
    assert plan_target(text) is None
