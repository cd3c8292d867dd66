"""Each run's stream events in Redis, so any process can join a stream or replay it.

A run's events go to a Redis Stream of their own (`…:run:{id}:events`) and to its thread's
(`…:thread:{id}:events`, for `GET /threads/{t}/stream`); the entry id is the SSE `id:`, so a
client that reconnects with `Last-Event-ID` gets exactly what it missed. A run's end is one
more entry (`END`); its thread stream says `run_done`, as LangGraph's server does. Streams
expire: a resumable run's events are kept `ttl_seconds` after the last one, the others a
minute after the run ends (long enough for a client that was cut off to come back).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from redis.asyncio import Redis

from api.encoding import dumps
from api.runs.keys import ApiKeys
from api.runs.outage import storage_unavailable
from api.runs.records import RunRecord
from state.redis_text import text

log = logging.getLogger(__name__)

END = "__end__"
"""The entry that closes a run's stream."""
UNFINISHED_GRACE_SECONDS = 60
MAX_EVENTS = 10_000
"""Entries kept per stream (approximately): a runaway run cannot fill Redis."""
_BLOCK_MS = 5_000


@dataclass(frozen=True)
class StoredEvent:
    id: str
    event: str
    data: bytes
    run_id: str | None = None


def after_id(last_event_id: str | None) -> str:
    """Where to read from after `Last-Event-ID`: `-1`, `-`, none or garbage mean the start."""
    if not last_event_id or last_event_id in ("-1", "-", "0"):
        return "0-0"
    head, _, tail = last_event_id.partition("-")
    if head.isdigit() and (not tail or tail.isdigit()):
        return last_event_id if tail else f"{head}-0"
    return "0-0"


class RunEventLog:
    def __init__(self, redis: Redis, keys: ApiKeys, ttl_seconds: int) -> None:
        self.redis = redis
        self.keys = keys
        self.ttl_seconds = ttl_seconds

    async def append(self, run: RunRecord, event: str, data: Any) -> str | None:
        """Store one event; its id, or None when Redis is away (the live stream goes on)."""
        body = dumps(data)
        ttl = self.ttl_seconds if run.params.resumable else self.ttl_seconds // 4 or 1
        run_key, thread_key = (
            self.keys.run_events(run.run_id),
            self.keys.thread_events(run.thread_id),
        )
        try:
            async with self.redis.pipeline(transaction=False) as pipe:
                pipe.xadd(run_key, {"e": event, "d": body}, maxlen=MAX_EVENTS, approximate=True)
                pipe.expire(run_key, ttl)
                pipe.xadd(
                    thread_key,
                    {"e": event, "d": body, "r": run.run_id},
                    maxlen=MAX_EVENTS,
                    approximate=True,
                )
                pipe.expire(thread_key, ttl)
                added = await pipe.execute()
        except Exception as exc:
            if not storage_unavailable(exc):
                raise
            log.warning("run %s: event not stored, Redis unavailable", run.run_id)
            return None
        return text(added[0])

    async def end(self, run: RunRecord, status: str) -> None:
        """Close the run's stream; it expires sooner unless the run was resumable."""
        ttl = self.ttl_seconds if run.params.resumable else UNFINISHED_GRACE_SECONDS
        run_key, thread_key = (
            self.keys.run_events(run.run_id),
            self.keys.thread_events(run.thread_id),
        )
        done = dumps({"status": "run_done", "run_id": run.run_id, "run_status": status})
        try:
            async with self.redis.pipeline(transaction=False) as pipe:
                pipe.xadd(run_key, {"e": END, "d": done}, maxlen=MAX_EVENTS, approximate=True)
                pipe.expire(run_key, ttl)
                pipe.xadd(
                    thread_key,
                    {"e": "metadata", "d": done, "r": run.run_id},
                    maxlen=MAX_EVENTS,
                    approximate=True,
                )
                pipe.expire(thread_key, max(ttl, self.ttl_seconds))
                await pipe.execute()
        except Exception as exc:
            if not storage_unavailable(exc):
                raise
            log.warning("run %s: end of stream not stored, Redis unavailable", run.run_id)

    async def follow_run(self, run_id: str, after: str) -> AsyncIterator[StoredEvent | None]:
        """The run's events after `after`, then new ones as they come, until its end; None
        after each quiet wait, so the caller can check whether the run is still alive."""
        key = self.keys.run_events(run_id)
        while True:
            found: Any = await self.redis.xread({key: after}, block=_BLOCK_MS, count=500)
            if not found:
                yield None
                continue
            for raw_id, fields in found[0][1]:
                after = text(raw_id)
                event = _stored(after, fields)
                if event.event == END:
                    return
                yield event

    async def follow_thread(self, thread_id: str, after: str) -> AsyncIterator[StoredEvent | None]:
        """Every run's events on the thread after `after`, as they come; None after each
        quiet wait, so the caller can decide whether to keep listening."""
        key = self.keys.thread_events(thread_id)
        while True:
            found: Any = await self.redis.xread({key: after}, block=_BLOCK_MS, count=500)
            if not found:
                yield None
            for raw_id, fields in found[0][1] if found else []:
                after = text(raw_id)
                yield _stored(after, fields)

    async def has_run(self, run_id: str) -> bool:
        return bool(await self.redis.exists(self.keys.run_events(run_id)))

    async def latest_id(self, thread_id: str) -> str:
        """The newest entry of the thread's stream: a new follower starts after it."""
        newest = await self.redis.xrevrange(self.keys.thread_events(thread_id), count=1)
        return text(newest[0][0]) if newest else "0-0"


def _stored(entry_id: str, fields: dict[Any, Any]) -> StoredEvent:
    values = {text(k): v for k, v in fields.items()}
    data = values.get("d", b"null")
    run_id = values.get("r")
    return StoredEvent(
        id=entry_id,
        event=text(values.get("e", b"")),
        data=data if isinstance(data, bytes) else str(data).encode(),
        run_id=text(run_id) if run_id is not None else None,
    )
