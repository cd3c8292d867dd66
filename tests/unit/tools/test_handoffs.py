"""Handoff tools: a Command that moves the conversation, with a ToolMessage for the call."""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langchain_core.tools import BaseTool
from langgraph.prebuilt import ToolRuntime
from langgraph.types import Command

from nodes.router import FALLBACK, verified_handoff
from state.schema import ROUTES, TurnStatus
from tools.handoffs import BACK_TO_ROUTER, MAX_HANDOFFS_PER_TURN, make_handoff_tool


def _runtime(state: dict[str, Any], call_id: str = "call_handoff_1") -> ToolRuntime[Any, Any]:
    return ToolRuntime(
        state=state,
        context=None,
        config={"configurable": {"thread_id": "handoff-tests"}},
        stream_writer=lambda _chunk: None,
        tool_call_id=call_id,
        store=None,
    )


async def _hand_off(tool: BaseTool, state: dict[str, Any], call_id: str = "call_1") -> Command[Any]:
    arguments = {"reason": "the customer needs it", "runtime": _runtime(state, call_id)}
    result = await tool.ainvoke(arguments)
    assert isinstance(result, Command)
    return result


def _update(command: Command[Any]) -> dict[str, Any]:
    assert isinstance(command.update, dict)
    return command.update


@pytest.mark.parametrize("target", ROUTES)
async def test_a_handoff_from_the_router_goes_to_its_target_in_the_same_graph(target: str) -> None:
    command = await _hand_off(make_handoff_tool(target, from_subgraph=False), {"messages": []})

    assert command.goto == target
    assert command.graph is None
    update = _update(command)
    assert update["route"] == target
    assert update["handoffs"] == 1


async def test_the_handoff_answers_its_own_tool_call() -> None:
    tool = make_handoff_tool("billing", from_subgraph=False)

    update = _update(await _hand_off(tool, {"messages": []}, call_id="call_abc"))

    [message] = update["messages"]
    assert isinstance(message, ToolMessage)
    assert message.tool_call_id == "call_abc"
    assert message.name == "transfer_to_billing"
    assert "billing" in message.text


async def test_a_handoff_from_a_specialist_targets_the_parent_graph_and_carries_its_messages() -> (
    None
):
    call = {"name": "transfer_to_account", "args": {"reason": "plans"}, "id": "call_sub"}
    history = [HumanMessage("Which plan am I on?", id="h1"), AIMessage("", tool_calls=[call])]
    tool = make_handoff_tool("account", from_subgraph=True)

    command = await _hand_off(tool, {"messages": history, "handoffs": 1}, call_id="call_sub")

    assert command.graph == Command.PARENT
    assert command.goto == "account"
    update = _update(command)
    assert update["handoffs"] == 2
    assert update["messages"][:2] == history
    answer = update["messages"][-1]
    assert isinstance(answer, ToolMessage)
    assert answer.tool_call_id == "call_sub"


async def test_back_to_the_router_leaves_the_route_for_the_router_to_set() -> None:
    command = await _hand_off(make_handoff_tool("router", from_subgraph=True), {"messages": []})

    assert command.goto == "router"
    assert command.graph == Command.PARENT
    assert "route" not in _update(command)
    assert _update(command)["messages"][-1].name == BACK_TO_ROUTER


async def test_a_handoff_to_a_human_marks_the_turn_handed_to_human() -> None:
    command = await _hand_off(make_handoff_tool("human", from_subgraph=False), {"messages": []})

    assert _update(command)["status"] == TurnStatus.HANDED_TO_HUMAN


async def test_the_last_handoff_within_the_budget_still_goes_to_its_target() -> None:
    state = {"messages": [], "handoffs": MAX_HANDOFFS_PER_TURN - 1}

    command = await _hand_off(make_handoff_tool("technical", from_subgraph=True), state)

    assert command.goto == "technical"


@pytest.mark.parametrize("target", ["billing", "router", "human"])
async def test_a_handoff_past_the_budget_goes_to_triage(target: str) -> None:
    state = {"messages": [], "handoffs": MAX_HANDOFFS_PER_TURN}

    command = await _hand_off(
        make_handoff_tool(target, from_subgraph=True), state, call_id="call_n"
    )

    assert command.goto == "triage"
    assert command.graph == Command.PARENT
    update = _update(command)
    assert update["route"] == "triage"
    assert update["handoffs"] == MAX_HANDOFFS_PER_TURN + 1
    assert "status" not in update
    note = update["messages"][-1]
    assert note.tool_call_id == "call_n"
    assert "triage" in note.text


@pytest.mark.parametrize("target", ["sales", "guardrail", ""])
def test_an_unknown_target_raises(target: str) -> None:
    with pytest.raises(ValueError, match="unknown handoff target"):
        make_handoff_tool(target, from_subgraph=False)


ROUTER_TOOLS = {f"transfer_to_{route}" for route in ROUTES}


def test_the_router_keeps_only_the_first_of_parallel_handoffs() -> None:
    response = AIMessage(
        "",
        tool_calls=[
            {"name": "transfer_to_billing", "args": {"reason": "a"}, "id": "call_1"},
            {"name": "transfer_to_account", "args": {"reason": "b"}, "id": "call_2"},
        ],
    )

    message = verified_handoff(response, ROUTER_TOOLS)

    assert [(c["name"], c["id"]) for c in message.tool_calls] == [("transfer_to_billing", "call_1")]


def test_the_router_replaces_an_unknown_tool_with_the_fallback_route() -> None:
    response = AIMessage(
        "", tool_calls=[{"name": "delete_account", "args": {}, "id": "call_x"}], id="m1"
    )

    message = verified_handoff(response, ROUTER_TOOLS)

    [call] = message.tool_calls
    assert call["name"] == f"transfer_to_{FALLBACK}"
    assert call["id"] != "call_x"
