"""The task queue in `/metrics` and the console: depth, workers and how its jobs ended.

Read from Redis at scrape time, so every server process on the same Redis reports the same
figures: saq's own lists (queued, active, scheduled), the workers whose reports have not
expired (a worker reports every few seconds, so a killed one drops out within seconds), what
those live workers say they have completed, failed, retried and aborted since they started,
and the job store's durable count of how jobs ended (one per job, since a job settles once).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from state.stores.jobs import SETTLED, RedisJobStore
from state.stores.task_queue import TaskQueue

QUEUE_STATES = ("queued", "active", "scheduled")
WORKER_COUNTS = ("complete", "failed", "retried", "aborted")


@dataclass
class QueueSnapshot:
    """The task queue as one scrape sees it."""

    states: dict[str, int] = field(default_factory=dict)
    """Jobs by saq state: queued (waiting for a worker), active (running), scheduled (a retry
    or a delayed job waiting for its time)."""
    workers: int = 0
    """Queue workers that reported recently."""
    worker_jobs: dict[str, int] = field(default_factory=dict)
    """complete / failed / retried / aborted, summed over the live workers since they started."""
    outcomes: dict[str, int] = field(default_factory=dict)
    """Jobs ended, by outcome (succeeded, failed, timed_out, cancelled), kept in Redis."""

    def summary(self) -> dict[str, int]:
        """The figures the console shows beside the run queue."""
        return {
            "jobs queued": self.states.get("queued", 0),
            "jobs active": self.states.get("active", 0),
            "jobs scheduled": self.states.get("scheduled", 0),
            "jobs succeeded": self.outcomes.get("succeeded", 0),
            "jobs failed": sum(self.outcomes.get(s, 0) for s in ("failed", "timed_out")),
            "queue workers": self.workers,
        }


async def read_queue(tasks: TaskQueue, jobs: RedisJobStore) -> QueueSnapshot:
    stats: dict[str, Any] = await tasks.stats()
    totals = dict.fromkeys(WORKER_COUNTS, 0)
    for worker in (stats.get("worker_stats") or {}).values():
        for name in WORKER_COUNTS:
            totals[name] += int((worker or {}).get(name) or 0)
    return QueueSnapshot(
        states={s: int(stats.get(s) or 0) for s in QUEUE_STATES},
        workers=int(stats["workers"]),
        worker_jobs=totals,
        outcomes=await jobs.outcome_counts(),
    )


class QueueCollector(Collector):
    """prometheus-client families built from one queue snapshot."""

    def __init__(self, snapshot: QueueSnapshot) -> None:
        self.snapshot = snapshot

    def collect(self) -> Iterable[Metric]:
        return list(self._families())

    def _families(self) -> Iterator[Metric]:
        snap = self.snapshot
        depth = GaugeMetricFamily(
            "supportgraph_task_queue_jobs",
            "Jobs on the task queue by state (queued, active, scheduled)",
            labels=["state"],
        )
        for state in QUEUE_STATES:
            depth.add_metric([state], snap.states.get(state, 0))
        yield depth
        yield GaugeMetricFamily(
            "supportgraph_task_queue_workers",
            "Task-queue workers that reported in the last few seconds",
            value=snap.workers,
        )
        worker_jobs = GaugeMetricFamily(
            "supportgraph_task_queue_worker_jobs",
            "Jobs the live task-queue workers completed, failed, retried or aborted since they "
            "started",
            labels=["outcome"],
        )
        for name in WORKER_COUNTS:
            worker_jobs.add_metric([name], snap.worker_jobs.get(name, 0))
        yield worker_jobs
        ended = CounterMetricFamily(
            "supportgraph_jobs", "Long-running jobs ended, by outcome", labels=["status"]
        )
        for status in sorted(SETTLED):
            ended.add_metric([status], snap.outcomes.get(status, 0))
        yield ended
