"""Expiry of the HTTP API's own records of a thread, kept in step with its checkpoints.

`ThreadStore` and `RunStore` call `touch` whenever they read or write a thread: the thread
hash, its run list, its queue, its audit entries and every run hash listed get the thread's
expiry again, in one script; while a run is queued or running, or the thread waits on an
operator, they have none (a thread is idle only when nothing goes on in it). The lock lives
as long as its run's worker lease (and is deleted with the thread), cancel flags keep their
own hour, and the per-owner index and the active-run set are shared (`supportgraph threads
prune` removes entries of threads that expired).
"""

from __future__ import annotations

from redis.asyncio import Redis

from api.runs.keys import ApiKeys
from state.checkpoint.ttl import RefreshClock, ThreadTtl

_TOUCH = """
-- KEYS: thread, thread_runs, queue, audit stream, audit ids  ARGV: seconds, run key prefix
-- A thread that a run holds or waits for (busy), or that waits on an operator (interrupted),
-- is not idle: it is kept, no expiry until it is idle again.
local status = redis.call('HGET', KEYS[1], 'status')
local kept = status == 'busy' or status == 'interrupted'
local function keep(key)
  if kept then redis.call('PERSIST', key) else redis.call('EXPIRE', key, ARGV[1]) end
end
for i = 1, #KEYS do keep(KEYS[i]) end
for _, run in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do keep(ARGV[2] .. run) end
return 1
"""


class ApiRecordExpiry:
    """Re-expires one thread's API records; a no-op when threads are kept forever."""

    def __init__(self, redis: Redis, keys: ApiKeys, ttl: ThreadTtl | None) -> None:
        self.keys = keys
        self.ttl = ttl
        self._clock = RefreshClock(ttl) if ttl else None
        self._touch = redis.register_script(_TOUCH)

    async def touch(self, thread_id: str, *, created: bool = False) -> None:
        """Re-expire the thread's records; `created` when this call added a key (a new run,
        a queue that was empty) that has no expiry yet, or changed whether the thread is kept
        (its status), so the refresh cannot be skipped."""
        if self.ttl is None or self._clock is None:
            return
        if not self._clock.due(thread_id) and not created:
            return
        k = self.keys
        try:
            await self._touch(
                keys=[
                    k.thread(thread_id),
                    k.thread_runs(thread_id),
                    k.queue(thread_id),
                    *k.audit.thread_keys(thread_id),
                ],
                args=[self.ttl.expire_seconds, k.run("")],
            )
        except BaseException:
            self._clock.forget(thread_id)
            raise
