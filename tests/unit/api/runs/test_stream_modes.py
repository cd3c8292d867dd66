"""Stream modes: which the server streams, which it refuses by name, and the Platform's
accumulated `messages` events."""

from __future__ import annotations

import pytest
from langchain_core.messages import AIMessage, AIMessageChunk

from api.runs.stream_modes import StreamEvents, check_stream_modes


def test_every_streamable_mode_the_sdk_names_is_accepted_once() -> None:
    modes = ["values", "messages", "messages-tuple", "tasks", "checkpoints", "events", "values"]
    assert check_stream_modes(modes) == modes[:-1]
    assert check_stream_modes([]) == ["values"]


@pytest.mark.parametrize("mode", ["tools", "lifecycle", "bogus"])
def test_a_mode_it_cannot_stream_is_refused_by_name(mode: str) -> None:
    with pytest.raises(ValueError, match=f"stream mode '{mode}'"):
        check_stream_modes(["values", mode])


def test_messages_mode_sends_metadata_once_then_the_message_so_far() -> None:
    shaping = StreamEvents(["messages"])
    meta = {"langgraph_node": "faq"}
    first = shaping.events("messages", (), (AIMessageChunk(content="Dial ", id="m1"), meta))
    second = shaping.events("messages", (), (AIMessageChunk(content="*86", id="m1"), meta))

    assert [e for e, _ in first] == ["messages/metadata", "messages/partial"]
    assert first[0][1] == {"m1": {"metadata": meta}}
    assert [e for e, _ in second] == ["messages/partial"]
    assert second[0][1][0]["content"] == "Dial *86"
    assert second[0][1][0]["type"] == "ai"


def test_a_whole_message_is_complete_and_subgraph_events_name_their_namespace() -> None:
    shaping = StreamEvents(["messages", "messages-tuple"])
    found = shaping.events("messages", ("account:1",), (AIMessage(content="Done", id="m2"), {}))

    assert [e for e, _ in found] == [
        "messages|account:1",
        "messages/metadata|account:1",
        "messages/complete|account:1",
    ]


def test_modes_nobody_asked_for_send_nothing() -> None:
    shaping = StreamEvents(["updates"])
    assert shaping.events("values", (), {"status": "x"}) == []
    assert shaping.events("messages", (), (AIMessage(content="x", id="m"), {})) == []
    assert shaping.events("updates", (), {"faq": {}}) == [("updates", {"faq": {}})]


def test_events_mode_names_each_node_start_and_end_as_langchain_does() -> None:
    shaping = StreamEvents(["events"])
    start = shaping.events("tasks", (), {"id": "t1", "name": "faq", "input": {}, "triggers": []})
    end = shaping.events("tasks", (), {"id": "t1", "name": "faq", "result": {"x": 1}})

    assert [e for e, _ in start] == ["events"]
    assert start[0][1]["event"] == "on_chain_start"
    assert start[0][1]["metadata"]["langgraph_node"] == "faq"
    assert end[0][1]["event"] == "on_chain_end"
    assert end[0][1]["data"] == {"output": {"x": 1}}
    assert (
        StreamEvents(["tasks"]).events("tasks", (), {"name": "faq", "input": {}})[0][0] == "tasks"
    )
