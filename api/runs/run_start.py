"""What a run starts from: its input, the Command it resumes with, or nothing (a retried run
goes on where its last attempt stopped); and, for a customer message on a thread whose
approval waits, the withdrawal of that approval first.

A run reads its thread's newest checkpoint once before it starts (`RunExecutor` passes it
here, then hands it to the graph's own first read: state/checkpoint/handoff.py). A message
run reads only what else it needs: that checkpoint's pending writes tell whether an interrupt
waits (the graph records a paused subgraph's interrupts on the root task too), so the whole
state (its snapshot, every task) is read only when one does.
"""

from __future__ import annotations

import logging
from typing import Any

from langchain_core.messages import ToolMessage
from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import BaseCheckpointSaver, CheckpointTuple
from langgraph.graph.state import CompiledStateGraph
from langgraph.types import Interrupt

from api.runs.graph_stream import Sink, stream_graph, thread_config
from api.runs.outcome import RunRejected
from api.runs.payload import JobNotAwaited, graph_input, input_seen, job_resume
from api.runs.records import RunRecord
from api.turns import WITHDRAW, all_interrupts, answered_calls_dropped, approvals_waiting
from state.checkpoint.handoff import handing

log = logging.getLogger(__name__)

JOB_ID_METADATA = "job_id"
"""Run metadata of a run that resumes its thread with that job's outcome (`api.jobs.resume`)."""

INTERRUPT_CHANNEL = "__interrupt__"
"""The channel of the pending write in which LangGraph records a task's interrupts."""

Graph = CompiledStateGraph[Any, Any, Any, Any]


def withdrawal_run_id(run_id: str) -> str:
    """The run id the withdrawal of an approval checkpoints under, apart from its run's own:
    LangGraph resumes a run whose id the newest checkpoint carries instead of taking its input,
    so the message that follows the withdrawal must not find its own run's id there."""
    return f"{run_id}.withdrawal"


async def start_payload(
    graph: Graph,
    checkpointer: BaseCheckpointSaver[Any],
    run: RunRecord,
    config: RunnableConfig,
    latest: CheckpointTuple | None,
) -> Any:
    """The input, or None to continue a retried run from where its last attempt stopped:
    the newest checkpoint carries the run's id (the saver stores the run's metadata) once an
    earlier attempt got into the graph. `latest` is the checkpoint `config` addresses."""
    params = run.params
    if run.attempt > 1:
        if not _addresses_newest(run):  # a fork's run: where it went is the thread's head
            latest = await checkpointer.aget_tuple(thread_config(run))
        if latest is not None and latest.metadata.get("run_id") == run.run_id:
            snapshot = await graph.aget_state(thread_config(run))
            if snapshot.next or input_seen(params.input, snapshot):
                return None  # else only the withdrawal of an approval had run
    if params.command is not None and "resume" in params.command:
        snapshot = await graph.aget_state(config)
        if not all_interrupts(snapshot):
            if JOB_ID_METADATA in run.metadata:
                raise JobNotAwaited(run.metadata[JOB_ID_METADATA])
            raise RunRejected(f"thread {run.thread_id} has no pending interrupt to resume")
        if JOB_ID_METADATA in run.metadata:
            return job_resume(snapshot, str(run.metadata[JOB_ID_METADATA]), params.command)
    return graph_input(params.input, params.command)


def _addresses_newest(run: RunRecord) -> bool:
    """Whether the run's own config addresses the thread's newest root checkpoint."""
    return not run.params.checkpoint_id and not run.params.checkpoint_ns


def approval_pending(pending_writes: list[tuple[str, str, Any]] | None) -> bool:
    """Whether a checkpoint's pending writes hold an interrupt that asks for an approval."""
    for _task, channel, value in pending_writes or []:
        if channel != INTERRUPT_CHANNEL:
            continue
        for item in value if isinstance(value, (list, tuple)) else [value]:
            asked = item.value if isinstance(item, Interrupt) else None
            if isinstance(asked, dict) and asked.get("kind") == "approval":
                return True
    return False


async def after_waiting_approval(
    graph: Graph,
    checkpointer: BaseCheckpointSaver[Any],
    run: RunRecord,
    payload: dict[str, Any],
    config: RunnableConfig,
    sink: Sink | None,
    latest: CheckpointTuple | None,
) -> tuple[dict[str, Any], RunnableConfig, CheckpointTuple | None]:
    """A customer message on a thread whose approval waits: the approval is withdrawn
    first (the tool answers its call, the history says so), then the message is a turn
    of its own from the new head. Placeholder results for answered calls are dropped.

    `latest` is the checkpoint `config` addresses; returned is the one the message starts
    from (read again only after a withdrawal moved the head)."""
    if latest is None:
        return payload, config, None  # a new thread: nothing waits, no history
    if approval_pending(latest.pending_writes):
        snapshot = await graph.aget_state(config)
        if approvals_waiting(snapshot):
            log.info("run %s: withdrawing the approval the customer wrote past", run.run_id)
            metadata = {**config.get("metadata", {}), "run_id": withdrawal_run_id(run.run_id)}
            with handing(config, latest):
                await stream_graph(graph, run, WITHDRAW, {**config, "metadata": metadata}, sink)
            configurable = dict(config["configurable"])
            configurable.pop("checkpoint_id", None)
            config = {**config, "configurable": configurable}
            latest = await checkpointer.aget_tuple(config)
    messages = payload.get("messages")
    if messages and any(isinstance(m, ToolMessage) for m in messages):
        values = latest.checkpoint["channel_values"] if latest is not None else {}
        history = values.get("messages", [])
        payload = {**payload, "messages": answered_calls_dropped(messages, history)}
    return payload, config, latest
