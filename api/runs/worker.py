"""This process's lease on its runs, and the sweep that takes over runs of dead processes.

Every server process renews a short worker lease in Redis, and polls for cancel requests
aimed at its runs from other processes. The lease is what tells whether the runs a process
executes (and the thread locks they hold) are alive. A run whose worker's lease lapsed is
adopted by whichever process sweeps first: a pending run just changes hands; a running one is
retried from its last checkpoint with the same message ids, so its side effects (keyed by
thread and turn) are not repeated; after `MAX_ATTEMPTS` it is marked `error` instead of being
lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta

from redis.exceptions import RedisError

from api.runs.executor import RunExecutor
from api.runs.keys import ApiKeys
from api.runs.queue import RunStore
from api.runs.records import TERMINAL, RunRecord
from api.runs.threads import utc_now

log = logging.getLogger(__name__)

WORKER_LEASE_MS = 5_000
HEARTBEAT_SECONDS = 0.5
SWEEP_SECONDS = 2.0
SCHEDULE_SECONDS = 0.25
"""How often this process looks for scheduled runs that became due (one read by score)."""
MAX_ATTEMPTS = 3
OUTAGE_GRACE_SECONDS = WORKER_LEASE_MS / 1000 + HEARTBEAT_SECONDS
ORPHAN_GRACE_SECONDS = 5.0


class WorkerLoop:
    def __init__(self, executor: RunExecutor, runs: RunStore, keys: ApiKeys) -> None:
        self.executor = executor
        self.runs = runs
        self.keys = keys
        self.worker_id = executor.worker_id
        self._tasks: list[asyncio.Task[None]] = []
        self._outage_seen = -float("inf")
        """When a step last found Redis unavailable (monotonic seconds)."""

    def every(self, seconds: float, step: Callable[[], Awaitable[object]], name: str) -> None:
        """Run `step` every `seconds` beside the heartbeat and the sweep, until `stop`."""
        self._tasks.append(asyncio.create_task(self._every(seconds, step), name=name))

    async def start(self) -> None:
        await self._renew_lease()
        self._tasks = [
            asyncio.create_task(self._every(HEARTBEAT_SECONDS, self.heartbeat), name="heartbeat"),
            asyncio.create_task(self._every(SWEEP_SECONDS, self.sweep), name="sweep"),
            asyncio.create_task(self._every(SCHEDULE_SECONDS, self.start_due), name="schedule"),
        ]

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self.executor.later.stop()
        with contextlib.suppress(RedisError):
            await self.runs.redis.delete(self.keys.worker(self.worker_id))

    async def _every(self, seconds: float, step: Callable[[], Awaitable[object]]) -> None:
        while True:
            await asyncio.sleep(seconds)
            try:
                await step()
            except RedisError as exc:
                self._outage_seen = time.monotonic()
                log.warning("%s skipped: Redis unavailable (%s)", step.__name__, exc)
            except Exception:
                log.exception("%s failed", step.__name__)

    async def _renew_lease(self) -> None:
        await self.runs.redis.set(self.keys.worker(self.worker_id), "1", px=WORKER_LEASE_MS)

    async def heartbeat(self) -> None:
        """Keep this worker (and so the thread locks of its runs) alive; honour cancels sent
        elsewhere."""
        await self._renew_lease()
        local = list(self.executor.tasks)
        for run_id, action in (await self.runs.cancel_requested(local)).items():
            self.executor.cancel_local(run_id, action)

    async def sweep(self) -> None:
        """Adopt the runs of workers whose lease lapsed: only runs that started (or became
        due) are in the set it scans; runs scheduled for later are `start_due`'s.

        Not right after an outage: every process's lease lapsed while Redis was away, and the
        live ones need a heartbeat to renew theirs before a lapsed lease means a dead worker.
        """
        if time.monotonic() - self._outage_seen < OUTAGE_GRACE_SECONDS:
            return
        active = await self.runs.active_ids()
        if not active:
            return
        records = await self.runs.get_many(active)
        for run in self._orphans(records):
            await self._take_over(run, "orphaned")
        dead = await self._dead_workers({r.worker for r in records} - {self.worker_id})
        for run in records:
            if run.worker in dead and run.status not in TERMINAL:
                await self._take_over(run, "dead")

    async def start_due(self) -> None:
        """Start the scheduled runs whose time came and that their owner will not start: a
        background run (nobody's), a run of a worker whose lease lapsed, or one of this
        worker's that nothing here executes any more. One read by score when none is due."""
        due = await self.runs.schedule.due(time.time())
        if not due:
            return
        records = await self.runs.get_many(due)
        for gone in set(due) - {r.run_id for r in records}:
            await self.runs.schedule.unschedule(gone)  # its record expired or was deleted
        dead: set[str] = set()
        if time.monotonic() - self._outage_seen >= OUTAGE_GRACE_SECONDS:  # as in `sweep`
            dead = await self._dead_workers({r.worker for r in records} - {"", self.worker_id})
        handled = set(self.executor.tasks) | self.executor.later.run_ids
        stale = time.time() - ORPHAN_GRACE_SECONDS
        for run in records:
            mine_left = (
                run.worker == self.worker_id
                and run.run_id not in handled
                and (run.params.not_before or 0.0) < stale
            )
            if run.worker == "" or run.worker in dead or mine_left:
                await self._start_claimed(run)

    async def _start_claimed(self, run: RunRecord) -> None:
        now = utc_now().isoformat()
        if await self.runs.schedule.claim(run.run_id, run.worker, self.worker_id, now) != (
            "claimed"
        ):
            return  # another process claimed it first, or it ended meanwhile
        claimed = await self.runs.get(run.run_id)
        if claimed is None:
            return
        for run_id, action in (await self.runs.cancel_requested([run.run_id])).items():
            self.executor.cancel_actions[run_id] = action  # cancelled while it waited
        log.info("starting scheduled run %s", run.run_id)
        self.executor.start(claimed)

    async def _dead_workers(self, workers: set[str]) -> set[str]:
        """Those of `workers` whose lease lapsed."""
        if not workers:
            return set()
        ordered = sorted(workers)
        async with self.runs.redis.pipeline(transaction=False) as pipe:
            for worker in ordered:
                pipe.exists(self.keys.worker(worker))
            leases = await pipe.execute()
        return {w for w, up in zip(ordered, leases, strict=True) if not up}

    def _orphans(self, records: list[RunRecord]) -> list[RunRecord]:
        """This worker's unfinished runs that nothing here executes or records: e.g. a run
        queued just before Redis went away, whose reply was lost, so its request never started
        it. Recent ones are left alone (a request may be between queueing and starting it)."""
        settled_before = utc_now() - timedelta(seconds=ORPHAN_GRACE_SECONDS)
        handled = set(self.executor.tasks) | self.executor.later.run_ids
        return [
            r
            for r in records
            if r.worker == self.worker_id
            and r.status not in TERMINAL
            and r.run_id not in handled
            and r.updated_at < settled_before
        ]

    async def _take_over(self, run: RunRecord, why: str) -> None:
        outcome = await self.runs.adopt(run, run.worker, self.worker_id, MAX_ATTEMPTS)
        if outcome == "exhausted":
            await self.executor.record_end(
                run, "error", "error", f"worker died {MAX_ATTEMPTS} times running this run"
            )
        elif outcome in ("pending", "retry"):
            adopted = await self.runs.get(run.run_id)
            if adopted is not None:
                log.warning(
                    "adopted run %s (%s) from %s worker %s", run.run_id, outcome, why, run.worker
                )
                self.executor.start(adopted)
