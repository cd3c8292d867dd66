"""The state schema takes message objects as they are and validates everything else."""

from __future__ import annotations

import pytest
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from pydantic import ValidationError

from state.schema import InputState, SupportState, TurnStatus, turn_reset


def test_message_objects_are_taken_as_they_are_in_a_list_of_their_own() -> None:
    history = [HumanMessage("hi", id="h1"), AIMessage("hello", id="a1")]
    state = SupportState(messages=history)
    assert all(kept is given for kept, given in zip(state.messages, history, strict=True))
    state.messages.append(ToolMessage("x", tool_call_id="c1"))
    assert len(history) == 2, "the node's list is not the channel's list"


def test_dicts_and_mixed_lists_are_still_validated_into_messages() -> None:
    state = SupportState(messages=[{"type": "human", "content": "hi"}, AIMessage("hello")])
    assert [type(m).__name__ for m in state.messages] == ["HumanMessage", "AIMessage"]
    with pytest.raises(ValidationError):
        InputState(messages=[{"type": "nonsense", "content": "hi"}])
    with pytest.raises(ValidationError):
        InputState(messages="not a list")  # type: ignore[arg-type]


def test_the_messages_reducer_is_still_found_by_langgraph() -> None:
    from langgraph.graph import StateGraph

    graph = StateGraph(SupportState)
    channel = graph.channels["messages"]
    assert type(channel).__name__ == "BinaryOperatorAggregate"


def test_a_new_turn_clears_only_what_the_last_turn_left_set() -> None:
    fresh = SupportState(messages=[HumanMessage("hi", id="h1")])
    after_block = SupportState(
        messages=[HumanMessage("hi", id="h1")],
        status=TurnStatus.BLOCKED,
        block_reason="injection",
        handoffs=2,
    )

    assert turn_reset(fresh) == {}
    assert turn_reset(after_block) == {"status": None, "block_reason": None, "handoffs": 0}
