"""The job functions `supportgraph worker` runs on the task queue (saq).

Each job function is safe to run again: a worker killed mid-job has its job retried by saq's
sweep, and the retry finds the record as the first attempt left it. The work stops at the
job's deadline (a timeout outcome), an attempt past `job_retries` fails the job visibly, and
whichever way it ended the outcome is settled once and the thread resumed once. Each attempt,
the one outcome and a committed action go to the audit log under `worker:<saq worker id>`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from saq import Job

from api.http.services import ApiServices
from api.jobs.diagnostics import describe, line_report
from api.jobs.resume import SYSTEM, job_audit, resume_run_id, resume_thread
from api.jobs.webhooks import deliver
from state.outputs import JobOutcome
from state.stores.jobs import JobRecord, outcome_of, timed_out
from state.stores.records import CommittedAction, record_id

log = logging.getLogger(__name__)

Context = dict[str, Any]
Work = Callable[[ApiServices, JobRecord, str], Awaitable[JobOutcome]]
"""A job's work: the services, the job, and the audit log's name of the worker running it."""


@contextlib.asynccontextmanager
async def heartbeat(job: Job, every: float) -> AsyncIterator[None]:
    """Touch the saq job while it runs: one that stops being touched belonged to a dead worker."""

    async def beat() -> None:
        while True:
            await asyncio.sleep(every)
            with contextlib.suppress(Exception):
                await job.update()

    task = asyncio.create_task(beat())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def diagnose(svc: ApiServices, job: JobRecord, actor: str) -> JobOutcome:
    customers = svc.app.deps.customers
    customer = customers.get(job.customer_id)
    if customer is None:
        return outcome_of(job, "failed", "The diagnostic could not find your line.")
    await asyncio.sleep(svc.settings.diagnostic_seconds)
    report = line_report(customer, customers.region_status(customer.region))
    return outcome_of(job, "succeeded", describe(report), **report)


async def activate(svc: ApiServices, job: JobRecord, actor: str) -> JobOutcome:
    await asyncio.sleep(svc.settings.esim_activation_seconds)
    committed, _ = await svc.app.deps.records.commit_action_once(
        CommittedAction(
            action_id=record_id("ACT", job.job_id),
            action="activate_esim",
            arguments=job.arguments,
            customer_id=job.customer_id,
            thread_id=job.thread_id,
        )
    )
    # Logged by whichever attempt gets here (a retry after a crash too); the id keeps it once.
    await svc.app.deps.audit.append(
        job_audit(
            job, actor, SYSTEM, "action_committed", "action_committed",
            action_id=committed.action_id, customer_id=job.customer_id,
            arguments=job.arguments,
        )
    )  # fmt: skip
    return outcome_of(
        job,
        "succeeded",
        f"Your eSIM is active on your {job.arguments.get('mobile_plan', 'mobile')} line "
        f"(reference {committed.action_id}). Scan the QR code we emailed you to install it.",
        action_id=committed.action_id,
    )


async def run_job(ctx: Context, job_id: str, work: Work) -> dict[str, Any]:
    svc: ApiServices = ctx["services"]
    saq_job: Job = ctx["job"]
    actor = f"worker:{ctx['worker'].id}"
    jobs, audit = svc.app.jobs, svc.app.deps.audit
    job = await jobs.get(job_id)
    if job is None:
        return {"job_id": job_id, "status": "unknown"}
    async with heartbeat(saq_job, max(0.2, svc.settings.job_heartbeat_seconds / 3)):
        if not job.settled:
            attempt = await jobs.begin_attempt(job_id)
            await audit.append(
                job_audit(job, actor, SYSTEM, "job_attempt", f"attempt:{attempt}", attempt=attempt)
            )
            if attempt > svc.settings.job_retries:
                outcome = outcome_of(
                    job,
                    "failed",
                    f"The {job.tool.replace('_', ' ')} was given up after "
                    f"{svc.settings.job_retries} failed attempt(s); nothing is confirmed. "
                    "A colleague will follow up.",
                )
            else:
                try:
                    async with asyncio.timeout(max(0.0, job.deadline - time.time())):
                        outcome = await work(svc, job, actor)
                except TimeoutError:
                    outcome = timed_out(job)
            if await jobs.settle(job_id, outcome):
                await audit.append(
                    job_audit(
                        job, actor, SYSTEM, "job_finished", f"finished:{attempt}",
                        attempt=attempt, status=outcome.status,
                    )
                )  # fmt: skip
            else:
                log.info("job %s already had an outcome", job_id)
        settled = await jobs.get(job_id)
        if settled is not None:
            # Resumes are graph runs: a bounded number at once keeps a burst of finishing jobs
            # within the Redis client's connection pool.
            async with ctx["resume_slots"]:
                await resume_thread(svc, settled, actor)
                await wait_for_resume(svc, settled)
    return {"job_id": job_id, "status": settled.status if settled else "gone"}


async def wait_for_resume(svc: ApiServices, job: JobRecord) -> None:
    """Keep the job (and its heartbeat) until this process's resume run ended."""
    task = svc.executor.tasks.get(resume_run_id(job.job_id))
    if task is not None:
        await asyncio.shield(task)


async def line_diagnostic(ctx: Context, *, job_id: str) -> dict[str, Any]:
    return await run_job(ctx, job_id, diagnose)


async def esim_activation(ctx: Context, *, job_id: str) -> dict[str, Any]:
    return await run_job(ctx, job_id, activate)


async def deliver_webhook(
    ctx: Context, *, delivery_id: str, payload: dict[str, Any]
) -> dict[str, Any]:
    svc: ApiServices = ctx["services"]
    return await deliver(svc.settings, svc.app.redis, delivery_id, payload)


FUNCTIONS = [line_diagnostic, esim_activation, deliver_webhook]
