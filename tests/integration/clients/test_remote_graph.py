"""LangGraph's `RemoteGraph` drives a real server process as if the graph were local: invoke,
stream, an approval interrupt resumed with HITL decisions, state, and history paged with
`before` (which it always sends as a flat Checkpoint)."""

from __future__ import annotations

import uuid

import pytest
from langchain_core.runnables import RunnableConfig
from langgraph.errors import GraphInterrupt
from langgraph.pregel.remote import RemoteGraph
from langgraph.types import Command

from tests.support.api_server import ApiServer
from tests.support.messages import FAQ, REFUND, user


@pytest.fixture
def remote(server: ApiServer) -> RemoteGraph:
    return RemoteGraph("support", url=server.url)


def thread() -> RunnableConfig:
    return {"configurable": {"thread_id": str(uuid.uuid4())}}


async def test_invoke_and_stream_like_a_local_graph(remote: RemoteGraph) -> None:
    config = thread()
    done = await remote.ainvoke(user(FAQ), config)
    assert done["status"] == "faq_answered"

    # With several modes RemoteGraph yields the SDK's stream parts: (event, data, id).
    chunks = [
        (c[0], c[1])
        async for c in remote.astream(user(FAQ), config, stream_mode=["values", "updates"])
    ]
    assert {mode for mode, _ in chunks} == {"values", "updates"}
    assert chunks[-1][0] == "values"
    assert chunks[-1][1]["status"] == "faq_answered"
    assert {"guardrail", "router", "faq"} <= {
        node for mode, data in chunks if mode == "updates" for node in data
    }
    values = [v async for v in remote.astream(user(FAQ), config, stream_mode="values")]
    assert values[-1]["status"] == "faq_answered"


async def test_an_approval_is_resumed_with_hitl_decisions(remote: RemoteGraph) -> None:
    config = thread()
    try:
        paused = await remote.ainvoke(user(REFUND, "C-1006"), config)
    except GraphInterrupt as raised:  # RemoteGraph inside a parent graph raises instead
        paused = {"__interrupt__": raised.args[0]}
    assert paused["__interrupt__"]
    state = await remote.aget_state(config)
    assert state.next
    [interrupt] = [i for task in state.tasks for i in task.interrupts]
    assert interrupt.value["action_requests"][0]["name"] == "request_refund"

    done = await remote.ainvoke(Command(resume={"decisions": [{"type": "approve"}]}), config)
    assert done["status"] == "resolved"
    assert not (await remote.aget_state(config)).next


async def test_history_pages_with_before_as_remote_graph_sends_it(remote: RemoteGraph) -> None:
    config = thread()
    await remote.ainvoke(user(FAQ), config)
    await remote.ainvoke(user(FAQ), config)
    everything = [s async for s in remote.aget_state_history(config, limit=100)]
    assert len(everything) > 4

    page = [
        s async for s in remote.aget_state_history(config, before=everything[0].config, limit=3)
    ]

    assert [s.config for s in page] == [s.config for s in everything[1:4]]
    assert (await remote.aget_state(everything[2].config)).values == everything[2].values
