"""The switch models: safe defaults, partial changes, nothing unknown accepted."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from state.settings import Settings
from state.stores.switches import MemorySwitchBoard, SwitchChange, Switches


async def test_a_change_touches_only_the_switches_it_names() -> None:
    board = MemorySwitchBoard()
    assert await board.current() == Switches(sensitive_actions="active", assistant="on")
    await board.change(SwitchChange(assistant="off"))
    await board.change(SwitchChange(sensitive_actions="paused"))
    assert await board.current() == Switches(sensitive_actions="paused", assistant="off")


@pytest.mark.parametrize("body", [{"assistant": "sideways"}, {"kill_everything": True}])
def test_unknown_switches_and_values_are_refused(body: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        SwitchChange.model_validate(body)


@pytest.mark.parametrize(
    ("written", "seconds"), [("90", 90), ("90s", 90), ("30m", 1800), ("24h", 86400), ("2d", 172800)]
)
def test_approval_timeout_reads_durations(written: str, seconds: float) -> None:
    assert Settings(approval_timeout=written).approval_timeout == seconds


def test_approval_timeout_defaults_to_a_day_and_refuses_nonsense() -> None:
    assert Settings().approval_timeout == 86400
    with pytest.raises(ValidationError):
        Settings(approval_timeout="soon")
