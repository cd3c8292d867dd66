"""A task-queue worker process: saq's `Worker` over the product's services.

The worker opens the same services as a server process (graph, stores, run engine with its
lease), so the job functions resume threads by queueing runs on the thread's run queue and
executing them here. Its own runs are covered by the run engine's lease: a worker killed
while resuming a thread has that run adopted by a server, like any other run.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from saq import Worker
from saq.types import Context, TimersDict

from api.http.services import ApiServices, open_services
from api.jobs.tasks import FUNCTIONS
from nodes.llm.brain import load_brain
from state.redis_server import redacted
from state.settings import Settings

log = logging.getLogger(__name__)

RESUMES_AT_ONCE = 16
"""Threads one worker resumes at once (each a graph run); the other finished jobs wait."""
TIMERS: TimersDict = {"schedule": 1, "sweep": 2, "abort": 1, "worker_info": 5}
"""How often a worker sweeps for jobs of dead workers (saq's default is a minute), looks for
aborted jobs and reports itself.

A sweep can also catch a live job: saq 0.26's `dequeue` moves the job to the active list
(BLMOVE) one round trip before `Worker.process` stores it as active, and the sweep takes any
job in that list whose stored status is not active as abandoned. It then aborts the job, waits
up to 5 s for it, and re-queues it, even when the attempt finished meanwhile. Sweeping every 2 s
makes that window 30 times likelier than saq's default. The job still ends once: an attempt
that finds its job settled does no work again, one that saq aborts mid-work counts as one of
the job's `job_retries` attempts, and only the winning settle counts in
`supportgraph_jobs_total`. What shows it is saq's own per-worker figures, which count each
finished attempt: one job can report `retried` 1 and `complete` 2 (seen once in the metrics
test; this race is the reading of saq's code that explains it, not a reproduction)."""


def build_worker(settings: Settings, services: ApiServices, concurrency: int) -> Worker[Context]:
    async def startup(ctx: Context) -> None:
        ctx["services"] = services  # type: ignore[typeddict-unknown-key]
        ctx["resume_slots"] = asyncio.Semaphore(RESUMES_AT_ONCE)  # type: ignore[typeddict-unknown-key]

    return Worker(
        services.app.tasks.queue,
        functions=FUNCTIONS,  # type: ignore[arg-type]
        concurrency=concurrency,
        startup=startup,
        timers=TIMERS,
        dequeue_timeout=1.0,
        shutdown_grace_period_s=5,
        metadata={"role": "supportgraph-worker"},
    )


async def run_worker(settings: Settings, concurrency: int) -> None:
    """Run jobs until SIGINT/SIGTERM; stop with the jobs' threads' runs handed back."""
    if settings.resolved_backend == "offline":
        load_brain(settings.data_dir, settings.cache_dir)
    async with open_services(settings) as services:
        worker = build_worker(settings, services, concurrency)
        print(
            f"supportgraph worker {worker.id} on queue {services.app.tasks.queue.name} "
            f"({concurrency} at once), Redis {redacted(services.app.redis_url)}",
            flush=True,
        )
        with contextlib.suppress(asyncio.CancelledError):
            await worker.start()
