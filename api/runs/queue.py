"""Run records and the per-thread queue and lock that order runs across server processes.

A thread runs one run at a time. Every run enters the thread's FIFO queue; the run at the head
takes the thread's lock (a Redis key naming the run), runs, and releases it. Each step is one
Lua script, so two processes can never both believe they hold a thread, and arrival order is
the order runs execute in.

The lock has no expiry of its own: whether its run is still alive is told by the lease of the
process executing it (see `api/worker.py`). A lock that expired by itself while its process was
dead and not yet noticed would let the next queued run overtake the one the dead process held
(an approval running before the turn that asks for it). Only a lock whose run finished or was
deleted without releasing it is taken over as stale.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

from redis.asyncio import Redis

from api.runs.keys import ApiKeys
from api.runs.queue_scripts import ACQUIRE, ADOPT, ENQUEUE, FINISH
from api.runs.records import CancelAction, RunRecord, RunStatus
from api.runs.schedule import RunSchedule
from api.runs.threads import ThreadRecord, utc_now
from state.redis_text import text, texts

if TYPE_CHECKING:
    from api.runs.expiry import ApiRecordExpiry


class ThreadBusy(Exception):
    """The thread already has a run and the new run's strategy is `reject`."""


class ThreadMissing(LookupError):
    """The thread was deleted between the request's check and the run's creation."""


class RunStore:
    """Run records plus the queue/lock protocol; one Lua script per transition.

    With an `expiry`, enqueuing, finishing and adopting a run re-expire its thread's records.
    """

    def __init__(self, redis: Redis, keys: ApiKeys, expiry: ApiRecordExpiry | None = None) -> None:
        self.redis = redis
        self.keys = keys
        self.expiry = expiry
        self._enqueue = redis.register_script(ENQUEUE)
        self._acquire = redis.register_script(ACQUIRE)
        self._finish = redis.register_script(FINISH)
        self._adopt = redis.register_script(ADOPT)
        self.schedule = RunSchedule(redis, keys)

    async def enqueue(self, run: RunRecord, stamp: ThreadRecord | None = None) -> None:
        """Store the run and queue it on its thread, or raise `ThreadBusy` / `ThreadMissing`.

        A run whose id is already stored is left as it is: a caller that derives the id from
        what the run is for (a job's resume) queues it once however often it retries. With a
        `stamp` (the thread as it should read), an accepted run also writes the thread's
        metadata and its place in its owner's list, in the same script: what
        `ThreadStore.update_metadata` does, without a round trip of its own."""
        k, tid = self.keys, run.thread_id
        doc = run.model_dump_json(include=_DOC_FIELDS)
        cancel_prefix, cancel_suffix = k.cancel("\0").split("\0")
        result = await self._enqueue(
            keys=[
                k.thread(tid),
                k.queue(tid),
                k.lock(tid),
                k.run(run.run_id),
                k.thread_runs(tid),
                k.active_runs,
                k.scheduled_runs,
                k.owner_threads(stamp.owner if stamp else run.owner),
            ],
            args=[
                run.run_id,
                run.multitask_strategy,
                doc,
                time.time_ns(),
                run.created_at.isoformat(),
                run.worker,
                cancel_prefix,
                cancel_suffix,
                "" if run.params.not_before is None else run.params.not_before,
                "" if stamp is None else json.dumps(stamp.metadata),
                tid,
                time.time(),
            ],
        )
        outcome = text(result[0])
        if outcome == "exists":
            return
        if outcome == "busy":
            raise ThreadBusy(f"thread {tid} is busy with another run")
        if outcome == "missing":
            raise ThreadMissing(f"thread {tid} not found")
        if self.expiry is not None:
            await self.expiry.touch(tid, created=True)

    async def try_acquire(self, run: RunRecord) -> Literal["acquired", "wait", "gone", "cancelled"]:
        k = self.keys
        result = await self._acquire(
            keys=[
                k.queue(run.thread_id),
                k.lock(run.thread_id),
                k.run(run.run_id),
                k.cancel(run.run_id),
            ],
            args=[run.run_id, run.worker, utc_now().isoformat(), k.run("")],
        )
        return text(result)  # type: ignore[return-value]

    async def finish(
        self, run: RunRecord, status: RunStatus, thread_status: str, error: str | None = None
    ) -> None:
        k, tid = self.keys, run.thread_id
        await self._finish(
            keys=[
                k.lock(tid),
                k.run(run.run_id),
                k.thread(tid),
                k.active_runs,
                k.queue(tid),
                k.waiting,
                k.scheduled_runs,
            ],
            args=[
                run.run_id,
                status,
                thread_status,
                utc_now().isoformat(),
                error or "",
                time.time(),
                tid,
            ],
        )
        if self.expiry is not None:  # its status changed: kept or expiring again, now
            await self.expiry.touch(tid, created=True)

    async def adopt(
        self, run: RunRecord, dead_worker: str, new_worker: str, max_attempts: int
    ) -> Literal["taken", "pending", "finished", "exhausted", "retry"]:
        k = self.keys
        result = await self._adopt(
            keys=[k.run(run.run_id), k.queue(run.thread_id), k.lock(run.thread_id)],
            args=[run.run_id, dead_worker, new_worker, max_attempts, utc_now().isoformat()],
        )
        if self.expiry is not None and text(result) == "retry":
            await self.expiry.touch(run.thread_id, created=True)  # the queue may be new
        return text(result)  # type: ignore[return-value]

    async def get(self, run_id: str) -> RunRecord | None:
        raw = await self.redis.hgetall(self.keys.run(run_id))
        return _record(raw)

    async def get_many(self, run_ids: list[str]) -> list[RunRecord]:
        async with self.redis.pipeline(transaction=False) as pipe:
            for run_id in run_ids:
                pipe.hgetall(self.keys.run(run_id))
            rows = await pipe.execute()
        return [r for r in map(_record, rows) if r is not None]

    async def list_ids(self, thread_id: str, limit: int, offset: int) -> list[str]:
        """The thread's runs, newest first."""
        ids = await self.redis.zrevrange(
            self.keys.thread_runs(thread_id), offset, offset + limit - 1
        )
        return texts(ids)

    async def all_ids(self, thread_id: str) -> list[str]:
        return texts(await self.redis.zrange(self.keys.thread_runs(thread_id), 0, -1))

    async def active_ids(self) -> list[str]:
        """Runs that started (or are due and claimed); not those scheduled for later."""
        return sorted(text(i) for i in await self.redis.smembers(self.keys.active_runs))

    async def request_cancel(self, run: RunRecord, action: CancelAction) -> None:
        await self.redis.set(self.keys.cancel(run.run_id), action, ex=3600)

    async def cancel_requested(self, run_ids: list[str]) -> dict[str, CancelAction]:
        if not run_ids:
            return {}
        values = await self.redis.mget([self.keys.cancel(r) for r in run_ids])
        found = zip(run_ids, values, strict=True)
        return {r: _action(text(v)) for r, v in found if v is not None}

    async def delete(self, run: RunRecord) -> None:
        k = self.keys
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.delete(k.run(run.run_id), k.cancel(run.run_id))
            pipe.zrem(k.thread_runs(run.thread_id), run.run_id)
            pipe.srem(k.active_runs, run.run_id)
            pipe.zrem(k.scheduled_runs, run.run_id)
            pipe.lrem(k.queue(run.thread_id), 0, run.run_id)
            await pipe.execute()

    async def thread_holder(self, thread_id: str) -> str | None:
        holder = await self.redis.get(self.keys.lock(thread_id))
        return text(holder) if holder else None

    async def queued(self, thread_id: str) -> list[str]:
        return [text(i) for i in await self.redis.lrange(self.keys.queue(thread_id), 0, -1)]


def _action(value: str) -> CancelAction:
    return "rollback" if value == "rollback" else "interrupt"


_DOC_FIELDS = {
    "run_id",
    "thread_id",
    "assistant_id",
    "owner",
    "created_at",
    "metadata",
    "multitask_strategy",
    "params",
}


def _record(row: Mapping[Any, Any]) -> RunRecord | None:
    raw = {text(k): text(v) for k, v in row.items()}
    if "doc" not in raw:
        return None
    return RunRecord(
        **json.loads(raw["doc"]),
        status=raw["status"],
        updated_at=raw["updated_at"],
        worker=raw.get("worker", ""),
        attempt=int(raw.get("attempt", "1")),
        error=raw.get("error") or None,
    )
