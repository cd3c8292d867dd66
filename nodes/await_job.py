"""Waiting on a long-running job: the turn ends on `interrupt()` until the job's outcome.

A turn that ends while the thread has pending jobs comes here, also a turn the customer
started during the wait, so a message in between never loses the wait. If the job already
ended (its record in the job store has an outcome), the node goes straight on with it;
otherwise it interrupts with a `JobWaitRequest` (kind `job`) and the task queue's worker
resumes it with the `JobOutcome`. The outcome reaches the specialist as the result of its
tool call, and the job leaves `pending_jobs`, so it is answered exactly once. Taking the
outcome is audited (`thread_resumed`, once per run that takes it: a second would show).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from langchain_core.messages import AIMessage, ToolMessage
from langchain_core.runnables import RunnableConfig
from langgraph.graph import END
from langgraph.types import Command, interrupt
from pydantic import ValidationError

from state.outputs import JobOutcome, JobWaitRequest
from state.schema import PendingJob, SupportState
from state.stores.audit import AuditLog
from state.stores.jobs import JobQueue
from tools.call_context import audit_entry, run_id

AWAIT_JOB = "await_job"


def end_or_await_job(state: SupportState) -> str:
    """A turn ends here unless the thread waits on a job."""
    return AWAIT_JOB if state.pending_jobs else END


def or_await_job(route: Callable[[SupportState], str]) -> Callable[[SupportState], str]:
    """`route`, except that where it ends the turn a thread with pending jobs waits on them."""

    def routed(state: SupportState) -> str:
        target = route(state)
        return end_or_await_job(state) if target == END else target

    routed.__name__ = f"{getattr(route, '__name__', 'route')}_or_await_job"
    return routed


def result_messages(outcome: JobOutcome, tool_call_id: str) -> list[AIMessage | ToolMessage]:
    """The outcome as the specialist's own tool call and its result (a valid history)."""
    call_id = f"{tool_call_id}-result"
    return [
        AIMessage(
            content="",
            id=f"job-{outcome.job_id}-call",
            tool_calls=[{"name": outcome.tool, "args": {"job_id": outcome.job_id}, "id": call_id}],
        ),
        ToolMessage(
            content=outcome.message,
            id=f"job-{outcome.job_id}-result",
            tool_call_id=call_id,
            name=outcome.tool,
            status="success" if outcome.status == "succeeded" else "error",
            artifact=outcome.model_dump(mode="json"),
        ),
    ]


def make_await_job(
    jobs: JobQueue | None, audit: AuditLog | None = None
) -> Callable[..., Awaitable[Command[Any]]]:
    async def await_job(state: SupportState, config: RunnableConfig) -> Command[Any]:
        job_id, entry = next(iter(state.pending_jobs.items()))
        pending = PendingJob.model_validate(entry)
        record = await jobs.get(job_id) if jobs is not None else None
        outcome = record.outcome if record is not None else None
        error: str | None = None
        while outcome is None:
            request = JobWaitRequest(
                job_id=job_id,
                tool=pending.tool,
                customer_id=state.customer_id,
                message="waiting for the job's result",
                deadline=record.deadline if record is not None else 0.0,
                error=error,
            )
            raw = interrupt(request.model_dump(mode="json"))
            try:
                outcome = JobOutcome.model_validate(raw)
            except ValidationError as exc:
                error = f"resume with the job's outcome: {exc.errors()[0]['msg']}"
                continue
            if outcome.job_id != job_id:
                error, outcome = f"this thread waits on job {job_id}, not {outcome.job_id}", None
        if audit is not None:
            taken = {"job_id": job_id, "tool": pending.tool, "status": outcome.status}
            key = f"{job_id}:{run_id(config) or '-'}"
            await audit.append(audit_entry(config, "thread_resumed", key, taken))
        return Command(
            goto=pending.route,
            update={
                "messages": result_messages(outcome, pending.tool_call_id),
                "pending_jobs": {job_id: None},
                "route": pending.route,
            },
        )

    return await_job
