"""The graph's own state says what a thread waits for, as Studio reads it: no overlay of
the API, no subgraph state — the parent's `values.status` while the interrupt is pending."""

from __future__ import annotations

from typing import Any

from langgraph.graph.state import CompiledStateGraph

from api.turns import resume_turn, send_message, thread_config
from tests.unit.graphs.test_support import assert_valid_history, messages_of

Graph = CompiledStateGraph[Any, Any, Any, Any]


async def parent_status(graph: Graph, thread_id: str) -> Any:
    snapshot = await graph.aget_state(thread_config(thread_id))
    return snapshot.values.get("status")


async def test_a_waiting_approval_is_in_the_parents_own_state(
    support_graph: Graph, thread_id: str
) -> None:
    paused = await send_message(
        support_graph, thread_id, "Please refund the $10 late fee on my June invoice", "C-1006"
    )
    assert paused.interrupted
    assert await parent_status(support_graph, thread_id) == "awaiting_approval"
    pending = await support_graph.aget_state(thread_config(thread_id))
    assert pending.next == ("billing",)

    done = await resume_turn(support_graph, thread_id, {"decision": "approve"})
    assert done.status == "resolved"
    assert await parent_status(support_graph, thread_id) == "resolved"
    assert_valid_history(await messages_of(support_graph, thread_id))


async def test_a_handoff_to_a_person_is_in_the_parents_own_state(
    support_graph: Graph, thread_id: str
) -> None:
    waiting = await send_message(support_graph, thread_id, "I need a real person", "C-1001")
    assert waiting.interrupted
    assert await parent_status(support_graph, thread_id) == "handed_to_human"
