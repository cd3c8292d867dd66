"""A thread waits on its long-running job across customer messages and takes its outcome once."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import pytest
from langchain_core.messages import BaseMessage, ToolMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph.state import CompiledStateGraph
from langgraph.types import Command

from api.turns import read_turn, send_message, thread_config
from graphs.deps import SupportDeps
from graphs.support import build_support_graph
from state.stores.jobs import MemoryJobStore, outcome_of
from tests.unit.graphs.test_support import assert_valid_history

Graph = CompiledStateGraph[Any, Any, Any, Any]
DIAGNOSE = "can you run a diagnostic on my line"


@pytest.fixture(scope="module")
def jobs() -> MemoryJobStore:
    return MemoryJobStore()


@pytest.fixture(scope="module")
def job_graph(deps: SupportDeps, jobs: MemoryJobStore) -> Graph:
    with_jobs = dataclasses.replace(deps, jobs=jobs, diagnostic_seconds=5)
    return build_support_graph(with_jobs, checkpointer=InMemorySaver())


async def only_job(graph: Graph, thread_id: str) -> tuple[str, str]:
    snapshot = await graph.aget_state(thread_config(thread_id))
    [pending] = snapshot.interrupts
    assert pending.value["kind"] == "job"
    return pending.id, pending.value["job_id"]


async def messages(graph: Graph, thread_id: str) -> Sequence[BaseMessage]:
    snapshot = await graph.aget_state(thread_config(thread_id))
    found: Sequence[BaseMessage] = snapshot.values["messages"]
    return found


async def test_a_diagnostic_starts_a_job_tells_the_customer_and_waits(
    job_graph: Graph, jobs: MemoryJobStore, thread_id: str
) -> None:
    turn = await send_message(job_graph, thread_id, DIAGNOSE, "C-1003")
    assert turn.status == "waiting_on_job" and turn.route == "technical"
    assert turn.answer is not None and "started a diagnostic of your line" in turn.answer
    _, job_id = await only_job(job_graph, thread_id)
    job = jobs.jobs[job_id]
    assert (job.kind, job.thread_id, job.customer_id) == ("line_diagnostic", thread_id, "C-1003")


async def test_the_wait_survives_a_customer_message_and_the_outcome_is_answered_once(
    job_graph: Graph, jobs: MemoryJobStore, thread_id: str
) -> None:
    await send_message(job_graph, thread_id, DIAGNOSE, "C-1003")
    _, job_id = await only_job(job_graph, thread_id)
    between = await send_message(job_graph, thread_id, "what is my balance?", "C-1003")
    assert between.route == "billing" and between.status == "resolved"
    interrupt_id, still = await only_job(job_graph, thread_id)
    assert still == job_id
    outcome = outcome_of(jobs.jobs[job_id], "succeeded", "Your line diagnostic is finished: ok.")
    assert await jobs.settle(job_id, outcome)
    await job_graph.ainvoke(
        Command(resume={interrupt_id: outcome.model_dump()}), thread_config(thread_id)
    )
    turn = await read_turn(job_graph, thread_id)
    assert turn.status == "resolved" and not turn.interrupted
    assert turn.answer == "Your line diagnostic is finished: ok."
    history = await messages(job_graph, thread_id)
    assert_valid_history(history)
    results = [m for m in history if isinstance(m, ToolMessage) and m.id == f"job-{job_id}-result"]
    assert len(results) == 1


async def test_a_job_that_ended_before_the_wait_is_taken_from_the_store(
    job_graph: Graph, jobs: MemoryJobStore, thread_id: str
) -> None:
    """The job ended while a customer's turn ran: that turn's wait finds the outcome itself."""
    await send_message(job_graph, thread_id, DIAGNOSE, "C-1003")
    _, job_id = await only_job(job_graph, thread_id)
    await jobs.settle(job_id, outcome_of(jobs.jobs[job_id], "timed_out", "It did not finish."))
    turn = await send_message(job_graph, thread_id, "what is my balance?", "C-1003")
    assert not turn.interrupted
    assert turn.answer == "I'm sorry, that could not be done. It did not finish."


async def test_without_a_job_queue_the_tool_refuses(deps: SupportDeps, thread_id: str) -> None:
    graph = build_support_graph(deps, checkpointer=InMemorySaver())
    turn = await send_message(graph, thread_id, DIAGNOSE, "C-1003")
    assert not turn.interrupted and turn.status == "resolved"
    assert turn.answer is not None and "cannot be started here" in turn.answer


async def test_esim_activation_waits_for_approval_before_any_job(
    job_graph: Graph, jobs: MemoryJobStore, thread_id: str
) -> None:
    turn = await send_message(job_graph, thread_id, "please activate an eSIM for my line", "C-1001")
    assert turn.status == "awaiting_approval"
    [approval] = turn.interrupts
    assert approval["value"]["action"] == "activate_esim"
    assert not [j for j in jobs.jobs.values() if j.thread_id == thread_id]
    await job_graph.ainvoke(Command(resume={"decision": "approve"}), thread_config(thread_id))
    after = await read_turn(job_graph, thread_id)
    assert after.status == "waiting_on_job"
    [job] = [j for j in jobs.jobs.values() if j.thread_id == thread_id]
    assert job.kind == "esim_activation" and job.arguments["mobile_plan"] == "Nimbus Plus"
