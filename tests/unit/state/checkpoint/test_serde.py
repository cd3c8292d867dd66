"""The checkpoint serializer gives back what the graph stored, and revives no other classes."""

from __future__ import annotations

from langchain_core.messages import AIMessage, HumanMessage
from pydantic import BaseModel

from state.checkpoint.serde import SupportRedisSerializer
from state.schema import SupportState, TurnStatus


class Foreign(BaseModel):
    """A model the serializer was not told about."""

    name: str = "x"


def test_a_stored_state_comes_back_as_the_state() -> None:
    """A subgraph's input checkpoint holds the parent's state whole; it came back as the
    constructor envelope (a dict with none of the state's keys)."""
    state = SupportState(
        messages=[HumanMessage("Upgrade me", id="m1"), AIMessage("", id="m2")],
        customer_id="C-1001",
        status=TurnStatus.AWAITING_APPROVAL,
        tool_calls={"change_plan": 1},
        pending_jobs={"job-1": {"tool": "t", "tool_call_id": "c", "route": "billing"}},
    )
    serde = SupportRedisSerializer()

    revived = serde.loads_typed(serde.dumps_typed({"__start__": state}))

    assert isinstance(revived["__start__"], SupportState)
    assert revived["__start__"] == state


def test_a_model_outside_the_state_is_not_revived() -> None:
    serde = SupportRedisSerializer()

    revived = serde.loads_typed(serde.dumps_typed(Foreign()))

    assert not isinstance(revived, Foreign)
