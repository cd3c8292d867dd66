"""The support graph's wiring: the router hands off in its own step, branches stay on the loop."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langgraph.graph.state import CompiledStateGraph

from api.turns import customer_input, read_turn, thread_config

Graph = CompiledStateGraph[Any, Any, Any, Any]


async def test_a_faq_turn_hands_off_inside_the_router_step(
    support_graph: Graph, thread_id: str
) -> None:
    config = thread_config(thread_id)
    steps: list[str] = []
    async for chunk in support_graph.astream(
        customer_input("How do I set up voicemail on a new phone?", None),
        config,
        stream_mode="updates",
    ):
        steps.extend(chunk)

    assert steps == ["guardrail", "router", "faq"]
    messages = (await support_graph.aget_state(config)).values["messages"]
    human, call, answer, reply = messages
    assert isinstance(human, HumanMessage)
    assert isinstance(call, AIMessage)
    assert [c["name"] for c in call.tool_calls] == ["transfer_to_faq"]
    # The handoff tool's own ToolMessage answers the call, as it did from its own node.
    assert isinstance(answer, ToolMessage)
    assert answer.tool_call_id == call.tool_calls[0]["id"]
    assert answer.content == "Transferred to faq."
    assert isinstance(reply, AIMessage) and reply.name == "faq"
    state = await support_graph.aget_state(config)
    assert state.values["tool_calls"] == {"transfer_to_faq": 1}
    assert state.values["handoffs"] == 1


async def test_a_handoff_written_as_the_router_still_runs_through_the_route_node(
    support_graph: Graph, thread_id: str
) -> None:
    config = thread_config(thread_id)
    call = AIMessage(
        "", tool_calls=[{"name": "transfer_to_faq", "args": {"reason": "asked"}, "id": "c1"}]
    )
    await support_graph.aupdate_state(
        config,
        {"messages": [HumanMessage("How do I set up voicemail on a new phone?"), call]},
        as_node="router",
    )
    assert (await support_graph.aget_state(config)).next == ("route",)

    await support_graph.ainvoke(None, config)

    result = await read_turn(support_graph, thread_id)
    assert result.status == "faq_answered"


@contextmanager
def executor_calls() -> Iterator[list[Callable[..., Any]]]:
    """What the event loop hands to its thread pool meanwhile."""
    loop = asyncio.get_running_loop()
    calls: list[Callable[..., Any]] = []
    original = loop.run_in_executor

    def spy(executor: Any, func: Callable[..., Any], *args: Any) -> Any:
        calls.append(func)
        return original(executor, func, *args)

    loop.run_in_executor = spy  # type: ignore[method-assign]
    try:
        yield calls
    finally:
        loop.run_in_executor = original  # type: ignore[method-assign]


@pytest.mark.parametrize(
    "text,customer",
    [
        ("How do I set up voicemail on a new phone?", None),  # faq
        ("How much do I owe right now?", "C-1001"),  # a specialist subgraph
        ("My router has been blinking red since yesterday and nothing loads", "C-1002"),
    ],
)
async def test_a_turn_takes_no_thread_pool_hop_between_nodes(
    support_graph: Graph,
    thread_id: str,
    text: str,
    customer: str | None,
) -> None:
    with executor_calls() as calls:
        await support_graph.ainvoke(customer_input(text, customer), thread_config(thread_id))

    assert calls == []
