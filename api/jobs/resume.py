"""Resume a waiting thread with its job's outcome, through the thread's run queue.

The resume is an ordinary run (`command={"resume": outcome}`) queued behind whatever the
thread is doing, so it never interleaves with a customer's turn. Its id is derived from the
job, and queueing a run whose id exists is a no-op, so however often a retried job, a cancel
and a worker race to resume, the thread gets one resume run. That run resumes the job's own
interrupt (by its id), and does nothing if the thread no longer waits on it: a turn that
reached the wait after the job ended took the outcome from the job store itself.

Who ended a job, and who resumed its thread, goes to the audit log (`job_audit`): a queue
worker as `worker:<id>`, a cancel under its caller's name.
"""

from __future__ import annotations

import uuid
from typing import Any

from api.http.services import ASSISTANT_ID, ApiServices
from api.runs.records import TERMINAL, RunKwargs, RunRecord
from api.runs.run_start import JOB_ID_METADATA
from api.runs.threads import utc_now
from state.stores.audit import AuditAction, AuditEntry
from state.stores.jobs import JobRecord

SYSTEM = "system"
"""The role of the task queue's own acts in the audit log."""


def job_audit(
    job: JobRecord, actor: str, role: str, action: AuditAction, step: str, **arguments: Any
) -> AuditEntry:
    """An audit entry for a step of the job (`step` names it, so it is logged once)."""
    return AuditEntry(
        entry_id=f"{job.job_id}:{step}",
        actor=actor,
        role=role,
        thread_id=job.thread_id,
        run_id=job.run_id,
        action=action,
        arguments={"job_id": job.job_id, "tool": job.tool, **arguments},
    )


def resume_run_id(job_id: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"supportgraph:job-resume:{job_id}"))


async def resume_thread(
    svc: ApiServices, job: JobRecord, actor: str = SYSTEM, role: str = SYSTEM
) -> RunRecord | None:
    """Queue (once) and run the resume of the job's thread, as `actor`; None if the thread is
    gone."""
    if job.outcome is None:
        raise ValueError(f"job {job.job_id} has no outcome to resume its thread with")
    thread = await svc.threads.get(job.thread_id)
    if thread is None:
        return None
    run_id = resume_run_id(job.job_id)
    run = await svc.runs.get(run_id)
    if run is None:
        now = utc_now()
        run = RunRecord(
            run_id=run_id,
            thread_id=job.thread_id,
            assistant_id=ASSISTANT_ID,
            owner=thread.owner,
            created_at=now,
            updated_at=now,
            metadata={JOB_ID_METADATA: job.job_id, "source": "task_queue"},
            multitask_strategy="enqueue",
            params=RunKwargs(
                command={"resume": job.outcome.model_dump(mode="json")},
                durability=svc.settings.run_durability,
                actor={"name": actor, "role": role, "owner": thread.owner},
            ),
            worker=svc.executor.worker_id,
        )
        await svc.runs.enqueue(run)
        run = await svc.runs.get(run_id) or run
    if (
        run.status not in TERMINAL
        and run.worker == svc.executor.worker_id
        and run.run_id not in svc.executor.tasks
    ):
        await svc.executor.start(run)
    return run


async def cancel_thread_jobs(
    svc: ApiServices, thread_id: str, reason: str, actor: str = SYSTEM, role: str = SYSTEM
) -> list[JobRecord]:
    """Cancel the thread's unfinished jobs and resume it with each cancellation."""
    cancelled: list[JobRecord] = []
    for job in await svc.app.jobs.for_thread(thread_id):
        if job.settled or not await svc.app.jobs.cancel(job.job_id, reason):
            continue
        settled = await svc.app.jobs.get(job.job_id)
        if settled is not None:
            await svc.app.deps.audit.append(
                job_audit(
                    settled, actor, role, "job_finished", "finished:cancel",
                    status="cancelled", reason=reason,
                )
            )  # fmt: skip
            await resume_thread(svc, settled, actor, role)
            cancelled.append(settled)
    return cancelled
