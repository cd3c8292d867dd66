"""Where a rejoining client's replay starts, whatever `Last-Event-ID` it sends."""

from __future__ import annotations

import pytest

from api.runs.event_log import after_id


@pytest.mark.parametrize("sent", [None, "", "-1", "-", "0", "not-an-id", "abc"])
def test_no_id_or_a_foreign_one_replays_from_the_start(sent: str | None) -> None:
    assert after_id(sent) == "0-0"


def test_a_stream_entry_id_replays_what_came_after_it() -> None:
    assert after_id("1764633600000-3") == "1764633600000-3"
    assert after_id("1764633600000") == "1764633600000-0"
