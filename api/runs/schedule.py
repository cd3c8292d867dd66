"""Runs that wait for their time (`after_seconds`), kept out of the set the sweep scans.

A scheduled run is queued on its thread like any other (it keeps its place), but until it is
due it lives in one sorted set scored by the epoch second it may start, not in the active-run
set: the sweep's work is the runs that started, however many wait for later. Each process's
scheduler reads the due end of the set by score, and claims a run there in one script, so two
processes never both start it:

- a background run is nobody's until it is due (`worker` empty): the first scheduler to find
  it due claims and starts it, so it starts on time whichever process queued it, even if that
  process died or the server restarted meanwhile;
- a run whose client waits for it (`wait`, `stream`) belongs to the process that holds the
  client, which claims it itself when its time comes; another process claims it only when
  that owner's lease lapsed (or, for its own, when nothing here runs it any more).

Claiming moves the run into the active set, where the sweep's lease checks take over.
"""

from __future__ import annotations

from typing import Literal

from redis.asyncio import Redis

from api.runs.keys import ApiKeys
from state.redis_text import text, texts

DUE_BATCH = 100
"""Due runs a scheduler looks at per tick; the rest are there on the next tick."""

Claim = Literal["claimed", "active", "taken", "gone"]

_CLAIM = """
-- KEYS: scheduled, active, run  ARGV: run_id, expected worker, new worker, now
if redis.call('EXISTS', KEYS[3]) == 0 then
  redis.call('ZREM', KEYS[1], ARGV[1])
  return 'gone'
end
if redis.call('HGET', KEYS[3], 'worker') ~= ARGV[2] then return 'taken' end
if redis.call('ZREM', KEYS[1], ARGV[1]) == 0 then
  if redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 1 then return 'active' end
  return 'gone'
end
redis.call('HSET', KEYS[3], 'worker', ARGV[3], 'updated_at', ARGV[4])
redis.call('SADD', KEYS[2], ARGV[1])
return 'claimed'
"""


class RunSchedule:
    """The sorted set of runs not yet due, and the claim that starts one."""

    def __init__(self, redis: Redis, keys: ApiKeys) -> None:
        self.redis = redis
        self.keys = keys
        self._claim = redis.register_script(_CLAIM)

    async def due(self, now: float, limit: int = DUE_BATCH) -> list[str]:
        """Runs whose time has come, earliest first: one read by score, whatever waits later."""
        found = await self.redis.zrangebyscore(self.keys.scheduled_runs, "-inf", now, 0, limit)
        return texts(found)

    async def claim(self, run_id: str, expected: str, worker: str, now: str) -> Claim:
        """Move a due run to `worker` and the active set, if `expected` still holds it:
        `claimed`; `active` if it was claimed already (and is still `expected`'s); `taken` if
        another worker holds it; `gone` if it is neither scheduled nor active (it ended, was
        cancelled or deleted)."""
        k = self.keys
        result = await self._claim(
            keys=[k.scheduled_runs, k.active_runs, k.run(run_id)],
            args=[run_id, expected, worker, now],
        )
        return text(result)  # type: ignore[return-value]

    async def unschedule(self, run_id: str) -> bool:
        """Take a run that is not due yet out of the schedule; False if it was not there (it
        started, or another request took it out first)."""
        return bool(await self.redis.zrem(self.keys.scheduled_runs, run_id))
