"""The audit log: every decision that changes the world, appended once, never rewritten.

Approvals, rejections, edits, operator replies, committed actions, tickets and blocks are each
one entry, and so is each step of a long-running job (started by a turn, each attempt of a
queue worker, its one outcome, the thread taking that outcome): who (actor and role, as the
server authenticated them, or `worker:<id>` for a queue worker), on which thread and run,
what, with which arguments, when. Entries live in Redis Streams (append-only, ordered by
time); each carries an id derived from the decision it records, so a node that re-runs on
resume or retry does not log the same decision twice.

A thread's entries are kept as long as the thread's data, not forever: they live in a stream
of the thread's own (`AuditKeys.thread_keys`), which gets the thread TTL when it is written,
is re-expired (or kept, while the thread waits on an operator) with the thread's other API
records, and is deleted with the thread. Entries that belong to no thread (a kill switch) go
to one stream of their own. An index of the threads with entries, scored by their latest
entry, lets `query` read across threads from `since` on without scanning keys.
"""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from typing import Any, Literal, Protocol

import redis.asyncio as aioredis
from pydantic import BaseModel, Field

from state.redis_text import text, texts

AuditAction = Literal[
    "approve",
    "reject",
    "edit",
    "operator_reply",
    "action_committed",
    "ticket_created",
    "block",
    "switch",
    "take_over",
    "hand_back",
    "withdraw",
    "job_started",
    "job_attempt",
    "job_finished",
    "thread_resumed",
]


def utc_now() -> str:
    return datetime.now(UTC).isoformat()


class AuditEntry(BaseModel):
    entry_id: str
    """Derived from the decision (thread, turn, tool call, kind): the same decision, once."""
    actor: str
    role: str
    thread_id: str | None
    run_id: str | None
    action: AuditAction
    arguments: dict[str, Any] = Field(default_factory=dict)
    at: str = Field(default_factory=utc_now)


class AuditLog(Protocol):
    async def append(self, entry: AuditEntry) -> bool:
        """Add the entry unless one with its id exists; whether it was added."""
        ...

    async def query(
        self,
        *,
        thread_id: str | None = None,
        actor: str | None = None,
        since: datetime | None = None,
        limit: int = 100,
    ) -> list[AuditEntry]:
        """Entries oldest first, filtered by thread, actor and time."""
        ...


def _matches(entry: AuditEntry, thread_id: str | None, actor: str | None) -> bool:
    return (thread_id is None or entry.thread_id == thread_id) and (
        actor is None or entry.actor == actor
    )


class MemoryAuditLog:
    """In-process log, for unit tests and the terminal without the API."""

    def __init__(self) -> None:
        self.entries: list[AuditEntry] = []
        self._ids: set[str] = set()
        self._lock = asyncio.Lock()

    async def append(self, entry: AuditEntry) -> bool:
        async with self._lock:
            if entry.entry_id in self._ids:
                return False
            self._ids.add(entry.entry_id)
            self.entries.append(entry)
            return True

    async def query(
        self,
        *,
        thread_id: str | None = None,
        actor: str | None = None,
        since: datetime | None = None,
        limit: int = 100,
    ) -> list[AuditEntry]:
        found = [
            e
            for e in self.entries
            if _matches(e, thread_id, actor)
            and (since is None or datetime.fromisoformat(e.at) >= _utc(since))
        ]
        return found[:limit]


def _utc(moment: datetime) -> datetime:
    """`moment` as an aware UTC time; a time without a zone is read as UTC."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:  # before year 1 or after 9999 in UTC: the ends of time
        return (
            datetime.min.replace(tzinfo=UTC)
            if moment.year < 2
            else datetime.max.replace(tzinfo=UTC)
        )


_APPEND = """
-- KEYS: stream, seen, index  ARGV: entry_id, doc, thread_id ('' for none), expire seconds ('')
-- One script: the entry is added exactly when its id is new, whoever appends concurrently.
if redis.call('SADD', KEYS[2], ARGV[1]) == 0 then return false end
local id = redis.call('XADD', KEYS[1], '*', 'doc', ARGV[2])
if ARGV[3] ~= '' then
  redis.call('ZADD', KEYS[3], tonumber(string.match(id, '^(%d+)')), ARGV[3])
end
-- A new stream takes the thread's TTL; one kept without expiry (its thread waits on an
-- operator) stays kept until the thread's records are re-expired with it.
if ARGV[4] ~= '' and (redis.call('TTL', KEYS[1]) ~= -1 or redis.call('XLEN', KEYS[1]) == 1) then
  redis.call('EXPIRE', KEYS[1], ARGV[4])
  redis.call('EXPIRE', KEYS[2], ARGV[4])
end
return id
"""
_PAGE = 500


class AuditKeys:
    """The audit log's key names under the product's prefix (one place for every user)."""

    def __init__(self, prefix: str) -> None:
        self.prefix = f"{prefix}:audit"

    def stream(self, thread_id: str | None) -> str:
        return self.prefix if thread_id is None else f"{self.prefix}:thread:{thread_id}"

    def seen(self, thread_id: str | None) -> str:
        """The entry ids a stream holds (what makes an append happen once)."""
        return f"{self.stream(thread_id)}:ids"

    def thread_keys(self, thread_id: str) -> list[str]:
        """What a thread's audit entries are stored in: expired and deleted with the thread."""
        return [self.stream(thread_id), self.seen(thread_id)]

    @property
    def threads(self) -> str:
        """Threads with entries, scored by their latest entry's epoch milliseconds."""
        return f"{self.prefix}:threads"


def _stream_id(raw: Any) -> tuple[int, int]:
    ms, _, seq = text(raw).partition("-")
    return int(ms), int(seq or 0)


class RedisAuditLog:
    """The log as Redis Streams: one per thread (with the thread's TTL), one for the rest."""

    def __init__(
        self, client: aioredis.Redis, prefix: str = "sg", expire_seconds: int | None = None
    ) -> None:
        self._client = client
        self.keys = AuditKeys(prefix)
        self.expire_seconds = expire_seconds
        """The thread TTL (plus its refresh interval) a thread's new entries get; None keeps
        them as long as the thread, which is then forever unless it is deleted."""
        self._append = client.register_script(_APPEND)

    async def append(self, entry: AuditEntry) -> bool:
        k, tid = self.keys, entry.thread_id
        expire = self.expire_seconds if tid is not None and self.expire_seconds else ""
        added = await self._append(
            keys=[k.stream(tid), k.seen(tid), k.threads],
            args=[entry.entry_id, entry.model_dump_json(), tid or "", expire],
        )
        return bool(added)

    async def forget_thread(self, thread_id: str) -> None:
        """Delete the thread's entries (the thread itself was deleted)."""
        async with self._client.pipeline(transaction=True) as pipe:
            pipe.delete(*self.keys.thread_keys(thread_id))
            pipe.zrem(self.keys.threads, thread_id)
            await pipe.execute()

    async def query(
        self,
        *,
        thread_id: str | None = None,
        actor: str | None = None,
        since: datetime | None = None,
        limit: int = 100,
    ) -> list[AuditEntry]:
        # Stream ids are milliseconds since 1970: an earlier `since` means from the start.
        since_ms = max(0, int(_utc(since).timestamp() * 1000)) if since is not None else 0
        if thread_id is not None:
            streams = [self.keys.stream(thread_id)]
        else:
            streams = [self.keys.stream(None), *await self._threads_since(since_ms)]
        found: list[tuple[tuple[int, int], AuditEntry]] = []
        for stream in streams:
            found += await self._read(stream, f"{since_ms}-0", thread_id, actor, limit)
        found.sort(key=lambda pair: pair[0])
        return [entry for _, entry in found[:limit]]

    async def _threads_since(self, since_ms: int) -> list[str]:
        """Streams of threads with an entry at or after `since_ms`; index entries of threads
        whose entries expired or were deleted are dropped on the way."""
        ids = texts(await self._client.zrangebyscore(self.keys.threads, since_ms, "+inf"))
        if not ids:
            return []
        async with self._client.pipeline(transaction=False) as pipe:
            for tid in ids:
                pipe.exists(self.keys.stream(tid))
            present = await pipe.execute()
        gone = [t for t, there in zip(ids, present, strict=True) if not there]
        if gone:
            await self._client.zrem(self.keys.threads, *gone)
        return [self.keys.stream(t) for t, there in zip(ids, present, strict=True) if there]

    async def _read(
        self, stream: str, start: str, thread_id: str | None, actor: str | None, limit: int
    ) -> list[tuple[tuple[int, int], AuditEntry]]:
        found: list[tuple[tuple[int, int], AuditEntry]] = []
        while len(found) < limit:
            rows: list[Any] = (
                await self._client.xrange(stream, min=start, max="+", count=_PAGE) or []
            )
            for row_id, fields in rows:
                raw = {text(k): text(v) for k, v in fields.items()}
                entry = AuditEntry.model_validate(json.loads(raw["doc"]))
                if _matches(entry, thread_id, actor):
                    found.append((_stream_id(row_id), entry))
            if len(rows) < _PAGE:
                break
            start = f"({text(rows[-1][0])}"
        return found[:limit]
