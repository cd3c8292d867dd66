"""What a message run reads before it starts: the newest checkpoint's pending writes say
whether an approval waits (also one a paused subgraph asked for), and only then is the whole
state read and the approval withdrawn; tool results already answered are dropped."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, TypedDict

import pytest
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.types import Interrupt, interrupt

from api.runs.graph_stream import run_config
from api.runs.records import RunKwargs, RunRecord
from api.runs.run_start import INTERRUPT_CHANNEL, after_waiting_approval, approval_pending


class State(TypedDict, total=False):
    messages: list[Any]
    decision: Any


def _asks(kind: str) -> Any:
    def node(state: State) -> State:
        return {"decision": interrupt({"kind": kind, "tool": "refund"})}

    return node


def _graph(kind: str | None, nested: bool) -> CompiledStateGraph[Any, Any, Any, Any]:
    """START → ask (an interrupt of `kind`, or nothing) → END; `nested` puts it in a subgraph."""
    inner = StateGraph(State)
    inner.add_node("ask", _asks(kind) if kind else (lambda state: {}))
    inner.add_edge(START, "ask")
    inner.add_edge("ask", END)
    outer = StateGraph(State)
    outer.add_node("work", inner.compile() if nested else inner.nodes["ask"].runnable)
    outer.add_edge(START, "work")
    outer.add_edge("work", END)
    return outer.compile(checkpointer=InMemorySaver())


def _run(thread_id: str, messages: list[Any]) -> RunRecord:
    now = datetime.now(UTC)
    return RunRecord(
        run_id="r-1",
        thread_id=thread_id,
        assistant_id="a",
        owner="o",
        created_at=now,
        updated_at=now,
        params=RunKwargs(input={"messages": messages}),
    )


async def _latest(graph: CompiledStateGraph[Any, Any, Any, Any], run: RunRecord) -> Any:
    """The checkpoint the run's config addresses, as the executor reads it before it starts."""
    assert graph.checkpointer is not None
    return await graph.checkpointer.aget_tuple(run_config(run, "g"))  # type: ignore[union-attr]


class _Counting:
    """Counts the graph's `aget_state` calls (the whole-state read)."""

    def __init__(self, graph: CompiledStateGraph[Any, Any, Any, Any]) -> None:
        self.graph = graph
        self.reads = 0
        original = graph.aget_state

        async def counted(config: RunnableConfig, **kwargs: Any) -> Any:
            self.reads += 1
            return await original(config, **kwargs)

        graph.aget_state = counted  # type: ignore[method-assign]


def test_only_an_interrupt_of_kind_approval_counts() -> None:
    approval = Interrupt(value={"kind": "approval"}, id="i1")
    handoff = Interrupt(value={"kind": "handoff"}, id="i2")
    assert approval_pending([("t", INTERRUPT_CHANNEL, [approval])])
    assert approval_pending([("t", INTERRUPT_CHANNEL, (handoff, approval))])
    assert not approval_pending([("t", INTERRUPT_CHANNEL, [handoff])])
    assert not approval_pending([("t", "messages", [approval])])
    assert not approval_pending(None)


@pytest.mark.parametrize("nested", [False, True], ids=["root node", "subgraph"])
async def test_a_waiting_approval_is_seen_in_the_root_checkpoints_writes(nested: bool) -> None:
    graph = _graph("approval", nested)
    config: RunnableConfig = {"configurable": {"thread_id": "t1"}}
    await graph.ainvoke({"messages": [HumanMessage("refund please", id="h1")]}, config)
    assert graph.checkpointer is not None
    latest = await graph.checkpointer.aget_tuple(config)  # type: ignore[union-attr]
    assert latest is not None and approval_pending(latest.pending_writes)

    counting = _Counting(graph)
    run = _run("t1", [])
    payload = {"messages": [HumanMessage("never mind", id="h2")]}
    checkpointer = graph.checkpointer
    got, new_config, _ = await after_waiting_approval(
        graph,
        checkpointer,  # type: ignore[arg-type]
        run,
        payload,
        run_config(run, "g"),
        None,
        await _latest(graph, run),
    )
    assert counting.reads == 1
    assert got == payload
    assert "checkpoint_id" not in new_config["configurable"]
    state = await graph.aget_state(config)
    assert not state.next  # the approval was withdrawn: nothing waits any more
    assert state.values["decision"]["decision"] == "withdraw"


@pytest.mark.parametrize("kind", [None, "handoff"], ids=["nothing waits", "a handoff waits"])
async def test_without_a_waiting_approval_the_state_is_not_read(kind: str | None) -> None:
    graph = _graph(kind, nested=True)
    config: RunnableConfig = {"configurable": {"thread_id": "t2"}}
    await graph.ainvoke({"messages": [HumanMessage("hi", id="h1")]}, config)
    counting = _Counting(graph)
    run = _run("t2", [])
    payload = {"messages": [HumanMessage("hello again", id="h2")]}
    got, _, _ = await after_waiting_approval(
        graph,
        graph.checkpointer,  # type: ignore[arg-type]
        run,
        payload,
        run_config(run, "g"),
        None,
        await _latest(graph, run),
    )
    assert counting.reads == 0
    assert got == payload
    assert bool((await graph.aget_state(config)).next) == (kind is not None)


async def test_a_placeholder_result_for_an_answered_call_is_dropped() -> None:
    graph = _graph(None, nested=False)
    config: RunnableConfig = {"configurable": {"thread_id": "t3"}}
    call = {"name": "lookup", "args": {}, "id": "c1"}
    history = [
        HumanMessage("hi", id="h1"),
        AIMessage("", tool_calls=[call], id="a1"),
        ToolMessage("found", tool_call_id="c1", id="t1"),
    ]
    await graph.ainvoke({"messages": history}, config)
    run = _run("t3", [])
    placeholder = ToolMessage("placeholder", tool_call_id="c1", id="t2")
    fresh = HumanMessage("thanks", id="h2")
    got, _, _ = await after_waiting_approval(
        graph,
        graph.checkpointer,  # type: ignore[arg-type]
        run,
        {"messages": [placeholder, fresh]},
        run_config(run, "g"),
        None,
        await _latest(graph, run),
    )
    assert got["messages"] == [fresh]


async def test_a_new_thread_reads_nothing_more() -> None:
    graph = _graph("approval", nested=False)
    counting = _Counting(graph)
    run = _run("t4", [])
    payload = {"messages": [ToolMessage("x", tool_call_id="c9", id="t9")]}
    got, _, _ = await after_waiting_approval(
        graph,
        graph.checkpointer,  # type: ignore[arg-type]
        run,
        payload,
        run_config(run, "g"),
        None,
        await _latest(graph, run),
    )
    assert counting.reads == 0 and got == payload
