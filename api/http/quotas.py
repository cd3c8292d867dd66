"""Quotas per credential: threads kept, scheduled runs waiting, runs started per minute.

One caller cannot fill Redis with threads, or the sweep with runs scheduled for tomorrow, or
the workers with runs: past its quota it gets 429 with `Retry-After`. The open local server
(no credential configured) has no quotas.
"""

from __future__ import annotations

import time

from fastapi import HTTPException
from redis.asyncio import Redis

from api.http.security import Caller
from api.runs.keys import ApiKeys
from state.settings import Settings

_COUNT_RUN = """
-- KEYS: minute counter  ARGV: limit, ttl
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[2]) end
if n > tonumber(ARGV[1]) then return 0 end
return 1
"""
_SCHEDULE = """
-- KEYS: scheduled zset  ARGV: now, limit, run_id, not_before
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[4], ARGV[3])
redis.call('EXPIREAT', KEYS[1], math.ceil(tonumber(ARGV[4])) + 60)
return 1
"""


def too_many(what: str, retry_after: int) -> HTTPException:
    return HTTPException(
        429, f"quota reached: {what}", headers={"Retry-After": str(max(1, retry_after))}
    )


class Quotas:
    def __init__(self, redis: Redis, keys: ApiKeys, settings: Settings) -> None:
        self.redis = redis
        self.keys = keys
        self.settings = settings
        self.off = settings.open_access
        self._count_run = redis.register_script(_COUNT_RUN)
        self._schedule = redis.register_script(_SCHEDULE)

    async def new_thread(self, who: Caller) -> None:
        if self.off:
            return
        kept = await self.redis.zcard(self.keys.owner_threads(who.owner))
        if kept >= self.settings.quota_threads:
            raise too_many(f"{self.settings.quota_threads} threads; delete some first", 60)

    async def new_run(self, who: Caller, run_id: str, not_before: float | None) -> None:
        if self.off:
            return
        now = time.time()
        minute = int(now // 60)
        allowed = await self._count_run(
            keys=[self.keys.quota_runs(who.owner, minute)],
            args=[self.settings.quota_runs_per_minute, 120],
        )
        if not allowed:
            per = self.settings.quota_runs_per_minute
            raise too_many(f"{per} runs per minute", int(60 - now % 60) + 1)
        if not_before is not None and not_before > now:
            scheduled = await self._schedule(
                keys=[self.keys.quota_scheduled(who.owner)],
                args=[now, self.settings.quota_scheduled_runs, run_id, not_before],
            )
            if not scheduled:
                limit = self.settings.quota_scheduled_runs
                raise too_many(f"{limit} scheduled runs waiting", 60)
