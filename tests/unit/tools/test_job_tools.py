"""The long-running tools: one job per call of the tool in a thread, whatever ran twice, and
every start and decision in the audit log."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from langchain_core.messages import AIMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph.state import CompiledStateGraph
from langgraph.types import Command

from api.turns import send_message, thread_config
from graphs.deps import SupportDeps
from graphs.support import build_support_graph
from state.stores.audit import MemoryAuditLog
from state.stores.jobs import MemoryJobStore, outcome_of

Graph = CompiledStateGraph[Any, Any, Any, Any]
DIAGNOSE = "can you run a diagnostic on my line"
ESIM = "please activate an eSIM for my line"


@pytest.fixture
def jobs() -> MemoryJobStore:
    return MemoryJobStore()


@pytest.fixture
def audit() -> MemoryAuditLog:
    return MemoryAuditLog()


@pytest.fixture
def job_graph(deps: SupportDeps, jobs: MemoryJobStore, audit: MemoryAuditLog) -> Graph:
    with_jobs = dataclasses.replace(deps, jobs=jobs, audit=audit, diagnostic_seconds=5)
    return build_support_graph(with_jobs, checkpointer=InMemorySaver())


def diagnostic_call_ids(values: dict[str, Any]) -> list[str]:
    return [
        str(call["id"])
        for m in values["messages"]
        if isinstance(m, AIMessage)
        for call in m.tool_calls
        if call["name"] == "run_line_diagnostic"
    ]


def thread_jobs(jobs: MemoryJobStore, thread_id: str) -> list[str]:
    return [j.job_id for j in jobs.jobs.values() if j.thread_id == thread_id]


async def test_a_retried_run_whose_model_ran_again_starts_no_second_job(
    job_graph: Graph, jobs: MemoryJobStore, thread_id: str
) -> None:
    """A server that dies between the job's start and the turn's checkpoint: the retried run
    continues from the last checkpoint it saved, before the specialist, and the specialist's
    model names its tool call anew. The job it starts is the one already running."""
    await send_message(job_graph, thread_id, DIAGNOSE, "C-1003")
    [first] = thread_jobs(jobs, thread_id)
    first_calls = diagnostic_call_ids((await job_graph.aget_state(thread_config(thread_id))).values)
    history = [s async for s in job_graph.aget_state_history(thread_config(thread_id))]
    before_specialist = next(s for s in history if s.next == ("technical",))
    await job_graph.ainvoke(None, before_specialist.config)  # the retried run
    head = await job_graph.aget_state(thread_config(thread_id))
    retried_calls = diagnostic_call_ids(head.values)
    assert retried_calls and retried_calls[-1] not in first_calls  # the model ran again
    assert thread_jobs(jobs, thread_id) == [first]
    [wait] = head.interrupts
    assert wait.value["kind"] == "job" and wait.value["job_id"] == first


async def test_a_second_diagnostic_later_in_the_thread_is_a_job_of_its_own(
    job_graph: Graph, jobs: MemoryJobStore, thread_id: str
) -> None:
    await send_message(job_graph, thread_id, DIAGNOSE, "C-1003")
    [first] = thread_jobs(jobs, thread_id)
    await jobs.settle(first, outcome_of(jobs.jobs[first], "succeeded", "All fine."))
    await send_message(job_graph, thread_id, DIAGNOSE, "C-1003")
    assert len(set(thread_jobs(jobs, thread_id))) == 2


async def test_job_start_and_the_thread_taking_its_outcome_are_audited(
    job_graph: Graph, jobs: MemoryJobStore, audit: MemoryAuditLog, thread_id: str
) -> None:
    await send_message(job_graph, thread_id, DIAGNOSE, "C-1003")
    [job_id] = thread_jobs(jobs, thread_id)
    outcome = outcome_of(jobs.jobs[job_id], "succeeded", "Your line diagnostic is finished: ok.")
    await jobs.settle(job_id, outcome)
    snapshot = await job_graph.aget_state(thread_config(thread_id))
    [wait] = snapshot.interrupts
    await job_graph.ainvoke(
        Command(resume={wait.id: outcome.model_dump()}), thread_config(thread_id)
    )
    entries = await audit.query(thread_id=thread_id)
    assert [e.action for e in entries] == ["job_started", "thread_resumed"]
    started, resumed = entries
    assert started.arguments["job_id"] == job_id and started.arguments["tool"] == (
        "run_line_diagnostic"
    )
    assert resumed.arguments == {
        "job_id": job_id,
        "tool": "run_line_diagnostic",
        "status": "succeeded",
    }


async def test_an_esim_approval_withdrawn_by_a_customer_message_starts_no_activation(
    job_graph: Graph, jobs: MemoryJobStore, audit: MemoryAuditLog, thread_id: str
) -> None:
    """A customer who writes past a waiting approval withdraws it: nothing was approved."""
    turn = await send_message(job_graph, thread_id, ESIM, "C-1001")
    assert turn.status == "awaiting_approval"
    after = await send_message(job_graph, thread_id, "what is my balance?", "C-1001")
    assert after.route == "billing"
    assert thread_jobs(jobs, thread_id) == []
    assert [e.action for e in await audit.query(thread_id=thread_id)] == ["withdraw"]


async def test_an_approved_esim_activation_audits_the_approval_and_the_start(
    job_graph: Graph, jobs: MemoryJobStore, audit: MemoryAuditLog, thread_id: str
) -> None:
    await send_message(job_graph, thread_id, ESIM, "C-1001")
    await job_graph.ainvoke(Command(resume={"decision": "approve"}), thread_config(thread_id))
    [job_id] = thread_jobs(jobs, thread_id)
    entries = await audit.query(thread_id=thread_id)
    assert [e.action for e in entries] == ["approve", "job_started"]
    assert entries[0].arguments["arguments"] == {"mobile_plan": "Nimbus Plus"}
    assert entries[1].arguments["job_id"] == job_id
