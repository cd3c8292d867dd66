"""Tool policy: every tool declares one, and `PolicyToolNode` enforces it in one place.

Limits are counted in the thread's checkpointed state, so they hold across turns and across
an interrupt and its resume; a limit or a timeout is an error ToolMessage, not an exception.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest
from langchain_core.messages import AIMessage, BaseMessage, ToolMessage
from langchain_core.tools import BaseTool, tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.types import Command, interrupt
from pydantic import ValidationError

from api.turns import send_message, thread_config
from graphs.deps import SupportDeps
from graphs.support import build_support_graph
from state.schema import ROUTES, SPECIALISTS, SupportState
from tests.support.scripted_model import call, scripted, with_models
from tools.actions import SENSITIVE_TOOLS, build_action_tools
from tools.customer_data import build_customer_tools
from tools.handoffs import HANDOFF_POLICY, handoff_name, make_handoff_tool
from tools.policy import PolicyToolNode, ToolPolicy, policy_of, with_policy

Graph = CompiledStateGraph[Any, Any, Any, Any]


def all_tools(deps: SupportDeps) -> list[BaseTool]:
    handoffs = [make_handoff_tool(t, from_subgraph=s) for t in ROUTES for s in (False, True)]
    return [
        *build_customer_tools(deps.customers).values(),
        *build_action_tools(deps.customers, deps.records).values(),
        *handoffs,
        make_handoff_tool("router", from_subgraph=True),
    ]


def test_every_tool_declares_a_policy(deps: SupportDeps) -> None:
    policies = {t.name: policy_of(t) for t in all_tools(deps)}

    confirmed = {name for name, p in policies.items() if p.requires_confirmation}
    assert confirmed == SENSITIVE_TOOLS
    assert {name for name, p in policies.items() if p.risk_level == "high"} == SENSITIVE_TOOLS
    assert all(p.risk_level == "low" for n, p in policies.items() if n not in SENSITIVE_TOOLS)


def test_a_high_risk_tool_must_require_confirmation() -> None:
    with pytest.raises(ValidationError, match="confirmation"):
        ToolPolicy(
            risk_level="high",
            requires_confirmation=False,
            max_calls_per_thread=1,
            timeout_seconds=1,
        )


def test_a_tool_without_a_policy_cannot_be_put_in_a_tool_node() -> None:
    @tool
    def undeclared() -> str:
        """Does nothing."""
        return "done"

    with pytest.raises(ValueError, match="declares no risk_level"):
        PolicyToolNode([undeclared])


# Enforcement, on a graph made of just the tool node


def tool_graph(*tools: BaseTool) -> Graph:
    graph = StateGraph(SupportState)
    graph.add_node("tools", PolicyToolNode(list(tools)))
    graph.add_edge(START, "tools")
    return graph.compile(checkpointer=InMemorySaver())


def calls(*names: str) -> dict[str, Any]:
    """A turn's input: the model's message calling `names`."""
    tool_calls = [{"name": n, "args": {}, "id": f"call_{uuid.uuid4().hex}"} for n in names]
    return {"messages": [AIMessage("", tool_calls=tool_calls)]}


def results(state: dict[str, Any]) -> list[ToolMessage]:
    return [m for m in state["messages"] if isinstance(m, ToolMessage)]


def policy(**changes: Any) -> ToolPolicy:
    base = ToolPolicy(
        risk_level="low", requires_confirmation=False, max_calls_per_thread=2, timeout_seconds=1
    )
    return base.model_copy(update=changes)


@pytest.fixture
def config() -> Any:
    return thread_config(f"policy-{uuid.uuid4().hex}")


async def test_the_call_limit_holds_across_turns_of_a_thread(config: Any) -> None:
    ran: list[str] = []

    @tool
    def lookup() -> str:
        """Looks something up."""
        ran.append("lookup")
        return "found"

    graph = tool_graph(with_policy(lookup, policy(max_calls_per_thread=2)))

    for _ in range(3):
        state = await graph.ainvoke(calls("lookup"), config)

    first, second, third = results(state)
    assert [first.status, second.status] == ["success", "success"]
    assert third.status == "error"
    assert "at most 2 times" in third.text
    assert ran == ["lookup", "lookup"]
    assert state["tool_calls"] == {"lookup": 2}


async def test_calls_of_one_tool_in_the_same_message_count_one_by_one(config: Any) -> None:
    @tool
    def lookup() -> str:
        """Looks something up."""
        return "found"

    graph = tool_graph(with_policy(lookup, policy(max_calls_per_thread=2)))

    state = await graph.ainvoke(calls("lookup", "lookup", "lookup"), config)

    assert [m.status for m in results(state)] == ["success", "success", "error"]


async def test_a_tool_that_runs_too_long_is_stopped_and_reported(config: Any) -> None:
    @tool
    async def slow() -> str:
        """Takes its time."""
        await asyncio.sleep(5)
        return "finally"

    graph = tool_graph(with_policy(slow, policy(timeout_seconds=0.05)))

    state = await graph.ainvoke(calls("slow"), config)

    [result] = results(state)
    assert result.status == "error"
    assert "did not finish within 0.05 s" in result.text
    assert "do not tell the customer it worked" in result.text
    assert state["tool_calls"] == {"slow": 1}


async def test_time_waiting_for_an_operator_does_not_count_against_the_timeout(
    config: Any,
) -> None:
    @tool
    def approved() -> str:
        """Waits for an operator."""
        decision = interrupt({"kind": "approval"})
        return f"operator said {decision}"

    @tool
    def lookup() -> str:
        """Looks something up."""
        return "found"

    graph = tool_graph(
        with_policy(approved, policy(timeout_seconds=0.2)), with_policy(lookup, policy())
    )
    await graph.ainvoke(calls("lookup"), config)

    paused = await graph.ainvoke(calls("approved"), config)
    assert paused["__interrupt__"]  # the interrupt reached the graph untouched
    assert [m.name for m in results(paused)] == ["lookup"]
    await asyncio.sleep(0.4)  # the operator takes longer than the tool may run
    done = await graph.ainvoke(Command(resume="yes"), config)

    result = results(done)[-1]
    assert (result.status, result.text) == ("success", "operator said yes")
    assert done["tool_calls"] == {"lookup": 1, "approved": 1}  # kept across the interrupt


# Enforcement in the support graph


async def test_tool_counts_reach_the_thread_state_and_persist_across_turns(
    support_graph: Graph, thread_id: str
) -> None:
    await send_message(support_graph, thread_id, "What is my balance?", "C-1006")
    await send_message(support_graph, thread_id, "What is my balance now?", "C-1006")

    state = await support_graph.aget_state(thread_config(thread_id))
    assert state.values["tool_calls"]["get_balance"] == 2
    assert state.values["tool_calls"][handoff_name("billing")] == 2


async def test_a_router_handoff_past_its_limit_escalates_to_triage(
    support_graph: Graph, thread_id: str
) -> None:
    config = thread_config(thread_id)
    spent = {handoff_name(route): HANDOFF_POLICY.max_calls_per_thread for route in ROUTES}
    await send_message(support_graph, thread_id, "hello", "C-1006")
    await support_graph.aupdate_state(config, {"tool_calls": spent})

    turn = await send_message(support_graph, thread_id, "What is my balance?", "C-1006")

    assert (turn.status, turn.route) == ("ticket_created", "triage")
    messages = (await support_graph.aget_state(config)).values["messages"]
    refusal = [m for m in messages if isinstance(m, ToolMessage)][-1]
    assert refusal.status == "error"
    assert "may run at most" in refusal.text


def test_specialists_run_their_tools_through_the_policy_node(deps: SupportDeps) -> None:
    from graphs.specialist import build_specialist_graph

    for route in SPECIALISTS:
        node = build_specialist_graph(route, deps).builder.nodes["tools"].runnable
        assert isinstance(node, PolicyToolNode)


async def test_counts_from_a_specialist_that_hands_off_reach_the_thread_state(
    deps: SupportDeps, thread_id: str
) -> None:
    def billing(messages: list[BaseMessage], tools: list[str]) -> AIMessage:
        if isinstance(messages[-1], ToolMessage) and messages[-1].name == "get_balance":
            return call("transfer_to_account", reason="plans are theirs")
        return call("get_balance")

    models = with_models(
        deps,
        router=scripted(lambda _m, _t: call("transfer_to_billing", reason="billing")),
        billing=scripted(billing),
        account=scripted(lambda _m, _t: AIMessage("You are on Fiber 300.")),
    )
    graph = build_support_graph(models, checkpointer=InMemorySaver())

    turn = await send_message(graph, thread_id, "What do I owe, and which plan am I on?", "C-1006")

    assert (turn.status, turn.route) == ("resolved", "account")
    state = await graph.aget_state(thread_config(thread_id))
    assert state.values["tool_calls"] == {
        "transfer_to_billing": 1,
        "get_balance": 1,
        "transfer_to_account": 1,
    }
