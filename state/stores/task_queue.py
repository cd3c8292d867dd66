"""The task queue (saq on the product's Redis): how jobs and webhook deliveries are queued.

saq keeps each job under a key we choose (so enqueueing one twice while it is incomplete is a
no-op), retries it with backoff, and its sweep retries a job whose heartbeat stopped (its
worker died) or that outlived its timeout. Its keys live under `saq:<queue name>:`, apart from
the product's own. Every process that starts jobs (servers, workers) opens one `TaskQueue`.
"""

from __future__ import annotations

import time
from typing import Any

from redis.asyncio import Redis
from saq import Job, Queue
from saq.queue.redis import RedisQueue

from state.redis_clients import blocking_async_pool
from state.settings import Settings
from state.stores.jobs import JobRecord

JOB_FUNCTIONS = {"line_diagnostic": "line_diagnostic", "esim_activation": "esim_activation"}
DELIVER_WEBHOOK = "deliver_webhook"
JOB_TTL_SECONDS = 7 * 24 * 3600
SLACK_SECONDS = 60
"""saq's own timeout on a job, past the job's deadline: the job itself stops at its deadline
and resumes its thread with a timeout result; saq's timeout only catches a job that hangs."""


def queue_name(settings: Settings) -> str:
    return f"{settings.key_prefix}-jobs"


class TaskQueue:
    """Enqueue and abort jobs on saq; `JobQueue` implementations call it."""

    def __init__(self, redis_url: str, settings: Settings) -> None:
        self.settings = settings
        # Every job slot of a worker holds a connection while it waits to dequeue, and running
        # jobs heartbeat: a pool that waits for a free connection instead of raising
        # MaxConnectionsError (redis-py's default pool stops at 100).
        pool = blocking_async_pool(
            redis_url,
            max_connections=2 * settings.worker_concurrency + 20,
            timeout=30,
        )
        self.queue: Queue = RedisQueue(Redis(connection_pool=pool), name=queue_name(settings))

    async def connect(self) -> None:
        await self.queue.connect()

    async def close(self) -> None:
        await self.queue.disconnect()

    async def __call__(self, job: JobRecord) -> None:
        """Hand a started job to the workers; a no-op while saq holds it incomplete."""
        settings = self.settings
        await self.queue.enqueue(
            Job(
                function=JOB_FUNCTIONS[job.kind],
                kwargs={"job_id": job.job_id},
                key=job.job_id,
                timeout=int(max(1.0, job.deadline - time.time()) + SLACK_SECONDS),
                heartbeat=settings.job_heartbeat_seconds,
                # The job counts its own attempts and fails visibly after `job_retries`; saq
                # gets more, so that the last of them still runs and tells the thread.
                retries=settings.job_retries + 2,
                retry_delay=1.0,
                retry_backoff=10.0,
                ttl=JOB_TTL_SECONDS,
            )
        )

    async def abort(self, job_id: str, reason: str) -> None:
        found = await self.queue.job(job_id)
        if found is not None and found.status not in ("complete", "failed", "aborted"):
            await self.queue.abort(found, error=reason)

    async def deliver_webhook(self, delivery_id: str, payload: dict[str, Any]) -> None:
        """Queue one webhook delivery; its key makes it at most one delivery per attempt id."""
        settings = self.settings
        await self.queue.enqueue(
            Job(
                function=DELIVER_WEBHOOK,
                kwargs={"delivery_id": delivery_id, "payload": payload},
                key=f"webhook:{delivery_id}",
                timeout=30,
                retries=settings.webhook_retries,
                retry_delay=settings.webhook_retry_delay_seconds,
                retry_backoff=300.0,
                ttl=JOB_TTL_SECONDS,
            )
        )

    async def stats(self) -> dict[str, Any]:
        """Queue depth and the workers that reported in the last minute."""
        info = await self.queue.info()
        return {
            "queue": info["name"],
            "queued": info["queued"],
            "active": info["active"],
            "scheduled": info.get("scheduled", 0),
            "workers": len(info["workers"]),
            "worker_stats": {w: i.get("stats") for w, i in info["workers"].items()},
        }
