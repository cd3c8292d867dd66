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
from api.runs.records import CancelAction, RunRecord, RunStatus
from api.runs.schedule import RunSchedule
from api.runs.threads import utc_now
from state.redis_text import text, texts

if TYPE_CHECKING:
    from api.runs.expiry import ApiRecordExpiry


class ThreadBusy(Exception):
    """The thread already has a run and the new run's strategy is `reject`."""


class ThreadMissing(LookupError):
    """The thread was deleted between the request's check and the run's creation."""


_ENQUEUE = """
-- KEYS: thread, queue, lock, run, thread_runs, active, scheduled  ARGV: run_id, strategy, doc,
-- score, now, worker, cancel_key_prefix, cancel_key_suffix, not_before ('' for now)
if redis.call('EXISTS', KEYS[1]) == 0 then return {'missing'} end
if redis.call('EXISTS', KEYS[4]) == 1 then return {'exists'} end
local holder = redis.call('GET', KEYS[3])
local queued = redis.call('LRANGE', KEYS[2], 0, -1)
if ARGV[2] == 'reject' and (holder or #queued > 0) then return {'busy'} end
redis.call('HSET', KEYS[4], 'doc', ARGV[3], 'status', 'pending', 'updated_at', ARGV[5],
  'worker', ARGV[6], 'attempt', '1', 'error', '')
redis.call('ZADD', KEYS[5], ARGV[4], ARGV[1])
if ARGV[9] == '' then
  redis.call('SADD', KEYS[6], ARGV[1])
else
  redis.call('ZADD', KEYS[7], ARGV[9], ARGV[1])
end
redis.call('RPUSH', KEYS[2], ARGV[1])
redis.call('HSET', KEYS[1], 'status', 'busy', 'updated_at', ARGV[5])
if ARGV[2] == 'interrupt' or ARGV[2] == 'rollback' then
  local action = ARGV[2]
  if holder then redis.call('SET', ARGV[7] .. holder .. ARGV[8], action, 'EX', 3600) end
  for _, r in ipairs(queued) do
    redis.call('SET', ARGV[7] .. r .. ARGV[8], action, 'EX', 3600)
    -- a scheduled run in the way is due now: a scheduler starts it, and it sees its cancel
    if redis.call('ZSCORE', KEYS[7], r) then redis.call('ZADD', KEYS[7], 0, r) end
  end
end
return {'ok'}
"""

_ACQUIRE = """
-- KEYS: queue, lock, run, cancel  ARGV: run_id, worker, now, run_key_prefix
local holder = redis.call('GET', KEYS[2])
if redis.call('EXISTS', KEYS[4]) == 1 and holder ~= ARGV[1] then
  redis.call('LREM', KEYS[1], 0, ARGV[1])
  return 'cancelled'
end
if holder and holder ~= ARGV[1] then
  local status = redis.call('HGET', ARGV[4] .. holder, 'status')
  if status == 'running' or status == 'pending' then return 'wait' end
  holder = false
end
local head = redis.call('LINDEX', KEYS[1], 0)
if holder ~= ARGV[1] and head ~= ARGV[1] then
  if redis.call('LPOS', KEYS[1], ARGV[1]) then return 'wait' end
  return 'gone'
end
if head == ARGV[1] then redis.call('LPOP', KEYS[1]) end
if redis.call('EXISTS', KEYS[4]) == 1 then return 'cancelled' end
redis.call('SET', KEYS[2], ARGV[1])
redis.call('HSET', KEYS[3], 'status', 'running', 'worker', ARGV[2], 'updated_at', ARGV[3])
return 'acquired'
"""

_FINISH = """
-- KEYS: lock, run, thread, active, queue, waiting, scheduled
-- ARGV: run_id, run_status, thread_status, now, error, epoch seconds, thread_id
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
if redis.call('EXISTS', KEYS[2]) == 1 then
  redis.call('HSET', KEYS[2], 'status', ARGV[2], 'updated_at', ARGV[4], 'error', ARGV[5])
end
redis.call('SREM', KEYS[4], ARGV[1])
redis.call('ZREM', KEYS[7], ARGV[1])
redis.call('LREM', KEYS[5], 0, ARGV[1])
if redis.call('EXISTS', KEYS[3]) == 1 then
  local status = ARGV[3]
  if redis.call('LLEN', KEYS[5]) > 0 or redis.call('EXISTS', KEYS[1]) == 1 then
    status = 'busy'
  end
  redis.call('HSET', KEYS[3], 'status', status, 'updated_at', ARGV[4], 'error', ARGV[5])
  if ARGV[3] == 'interrupted' then
    redis.call('ZADD', KEYS[6], 'NX', ARGV[6], ARGV[7])
  else
    redis.call('ZREM', KEYS[6], ARGV[7])
  end
end
return 1
"""

_ADOPT = """
-- KEYS: run, queue, lock  ARGV: run_id, dead_worker, new_worker, max_attempts, now
if redis.call('HGET', KEYS[1], 'worker') ~= ARGV[2] then return 'taken' end
local status = redis.call('HGET', KEYS[1], 'status')
if status == 'pending' then
  redis.call('HSET', KEYS[1], 'worker', ARGV[3])
  return 'pending'
end
if status ~= 'running' then return 'finished' end
local attempt = tonumber(redis.call('HGET', KEYS[1], 'attempt')) + 1
if attempt > tonumber(ARGV[4]) then return 'exhausted' end
redis.call('HSET', KEYS[1], 'worker', ARGV[3], 'attempt', attempt, 'status', 'pending',
  'updated_at', ARGV[5])
if redis.call('GET', KEYS[3]) == ARGV[1] then redis.call('DEL', KEYS[3]) end
if not redis.call('LPOS', KEYS[2], ARGV[1]) then redis.call('LPUSH', KEYS[2], ARGV[1]) end
return 'retry'
"""


class RunStore:
    """Run records plus the queue/lock protocol; one Lua script per transition.

    With an `expiry`, enqueuing, finishing and adopting a run re-expire its thread's records.
    """

    def __init__(self, redis: Redis, keys: ApiKeys, expiry: ApiRecordExpiry | None = None) -> None:
        self.redis = redis
        self.keys = keys
        self.expiry = expiry
        self._enqueue = redis.register_script(_ENQUEUE)
        self._acquire = redis.register_script(_ACQUIRE)
        self._finish = redis.register_script(_FINISH)
        self._adopt = redis.register_script(_ADOPT)
        self.schedule = RunSchedule(redis, keys)

    async def enqueue(self, run: RunRecord) -> None:
        """Store the run and queue it on its thread, or raise `ThreadBusy` / `ThreadMissing`.

        A run whose id is already stored is left as it is: a caller that derives the id from
        what the run is for (a job's resume) queues it once however often it retries."""
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
        if self.expiry is not None:
            await self.expiry.touch(tid)

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
