"""Resume a waiting thread with its job's outcome, through the thread's run queue.

The resume is an ordinary run (`command={"resume": outcome}`) queued behind whatever the
thread is doing, so it never interleaves with a customer's turn. Its id is derived from the
job, and queueing a run whose id exists is a no-op, so however often a retried job, a cancel
and a worker race to resume, the thread gets one resume run. That run resumes the job's own
interrupt (by its id), and does nothing if the thread no longer waits on it: a turn that
reached the wait after the job ended took the outcome from the job store itself.
"""

from __future__ import annotations

import uuid

from api.http.services import ASSISTANT_ID, ApiServices
from api.runs.executor import JOB_ID_METADATA
from api.runs.records import TERMINAL, RunKwargs, RunRecord
from api.runs.threads import utc_now
from state.stores.jobs import JobRecord


def resume_run_id(job_id: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"supportgraph:job-resume:{job_id}"))


async def resume_thread(svc: ApiServices, job: JobRecord) -> RunRecord | None:
    """Queue (once) and run the resume of the job's thread; None if the thread is gone."""
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


async def cancel_thread_jobs(svc: ApiServices, thread_id: str, reason: str) -> list[JobRecord]:
    """Cancel the thread's unfinished jobs and resume it with each cancellation."""
    cancelled: list[JobRecord] = []
    for job in await svc.app.jobs.for_thread(thread_id):
        if job.settled or not await svc.app.jobs.cancel(job.job_id, reason):
            continue
        settled = await svc.app.jobs.get(job.job_id)
        if settled is not None:
            await resume_thread(svc, settled)
            cancelled.append(settled)
    return cancelled
