"""One pass of the graph for a run: its config, and its stream forwarded to the run's sink.

The executor decides what a run starts from and records how it ended; this module only runs
the graph once with what it is given, shapes the requested stream modes for the sink, and
keeps what the root stream showed (its last values and the interrupts it stopped at).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from langchain_core.runnables import RunnableConfig
from langgraph.graph.state import CompiledStateGraph

from api.encoding import interrupt_json, jsonable, waiting_status
from api.runs.outcome import SeenStream, result_values, status_of_thread
from api.runs.records import RunRecord
from api.runs.stream_modes import StreamEvents
from tools.call_context import ACTOR_KEY

Sink = Callable[[str, Any], Awaitable[None]]
"""Receives (event name, JSON-ready data) for each streamed event."""


def thread_config(run: RunRecord) -> RunnableConfig:
    """The run's thread at its newest checkpoint (not the checkpoint the run forked from)."""
    return {"configurable": {"thread_id": run.thread_id, "checkpoint_ns": ""}}


def run_config(run: RunRecord, graph_id: str) -> RunnableConfig:
    """The config the graph runs with: the caller's, pinned to the run's thread and
    checkpoint, with the run's metadata; who the caller is comes from the server only."""
    user = dict(run.params.config)
    configurable = {
        **user.get("configurable", {}),
        "thread_id": run.thread_id,
        "checkpoint_ns": run.params.checkpoint_ns,
    }
    if run.params.checkpoint_id:
        configurable["checkpoint_id"] = run.params.checkpoint_id
    configurable.pop(ACTOR_KEY, None)  # only the server says who the caller is
    if run.params.actor:
        configurable[ACTOR_KEY] = dict(run.params.actor)
    metadata = {
        **user.get("metadata", {}),
        **run.metadata,
        "run_id": run.run_id,
        "thread_id": run.thread_id,
        "assistant_id": run.assistant_id,
        "graph_id": graph_id,
        "run_attempt": run.attempt,
    }
    return {**user, "configurable": configurable, "metadata": metadata}  # type: ignore[typeddict-item]


async def stream_graph(
    graph: CompiledStateGraph[Any, Any, Any, Any],
    run: RunRecord,
    payload: Any,
    config: RunnableConfig,
    sink: Sink | None,
) -> SeenStream:
    """Forward the requested modes to the sink; keep the root's last values and interrupts."""
    params = run.params
    shaping = StreamEvents(params.stream_mode if sink is not None else [])
    seen = SeenStream()
    stream = graph.astream(
        payload,
        shaping.with_callbacks(config),
        stream_mode=sorted(shaping.graph_modes | {"values", "updates"}),
        subgraphs=params.stream_subgraphs,
        interrupt_before=params.interrupt_before,
        interrupt_after=params.interrupt_after,
        durability=params.durability,
        context=params.context,
    )
    async for chunk in stream:
        parts: Any = chunk if params.stream_subgraphs else ((), *chunk)
        namespace, mode, data = parts
        if not namespace:
            seen.observe(mode, data)
        if sink is not None:
            for event, shaped in [
                *shaping.inner_events(),
                *shaping.events(mode, namespace, data),
            ]:
                await sink(event, shaped)
    if sink is not None:
        for event, shaped in shaping.inner_events():
            await sink(event, shaped)
    return seen


async def run_ending(
    graph: CompiledStateGraph[Any, Any, Any, Any], run: RunRecord, seen: SeenStream
) -> tuple[str, dict[str, Any]]:
    """Thread status and final values, read from the stream when it says enough: a static
    breakpoint or a run that produced no values needs the checkpoint itself."""
    params = run.params
    if seen.values is None or params.interrupt_before or params.interrupt_after:
        snapshot = await graph.aget_state(thread_config(run))
        return status_of_thread(snapshot), result_values(snapshot)
    values: dict[str, Any] = jsonable(seen.values)
    if not seen.interrupts:
        return "idle", values
    values = waiting_status(values, seen.interrupts)
    values["__interrupt__"] = [interrupt_json(i) for i in seen.interrupts]
    return "interrupted", values
