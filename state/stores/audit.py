"""The audit log: every decision that changes the world, appended once, never rewritten.

Approvals, rejections, edits, operator replies, committed actions, tickets and blocks are each
one entry, and so is each step of a long-running job (started by a turn, each attempt of a
queue worker, its one outcome, the thread taking that outcome): who (actor and role, as the
server authenticated them, or `worker:<id>` for a queue worker), on which thread and run,
what, with which arguments, when. Entries live in a Redis Stream (append-only, ordered by
time); each carries an id derived from the decision it records, so a node that re-runs on
resume or retry does not log the same decision twice.
"""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from typing import Any, Literal, Protocol

import redis.asyncio as aioredis
from pydantic import BaseModel, Field

from state.redis_text import text

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
-- KEYS: stream, seen  ARGV: entry_id, doc
-- One script: the entry is added exactly when its id is new, whoever appends concurrently.
if redis.call('SADD', KEYS[2], ARGV[1]) == 0 then return false end
return redis.call('XADD', KEYS[1], '*', 'doc', ARGV[2])
"""
_PAGE = 500


class RedisAuditLog:
    """The log as one Redis Stream `<prefix>:audit`, plus the set of entry ids it holds."""

    def __init__(self, client: aioredis.Redis, prefix: str = "sg") -> None:
        self._client = client
        self.stream = f"{prefix}:audit"
        self._seen = f"{prefix}:audit:ids"
        self._append = client.register_script(_APPEND)

    async def append(self, entry: AuditEntry) -> bool:
        added = await self._append(
            keys=[self.stream, self._seen], args=[entry.entry_id, entry.model_dump_json()]
        )
        return bool(added)

    async def query(
        self,
        *,
        thread_id: str | None = None,
        actor: str | None = None,
        since: datetime | None = None,
        limit: int = 100,
    ) -> list[AuditEntry]:
        # Stream ids are milliseconds since 1970: an earlier `since` means from the start.
        start = f"{max(0, int(_utc(since).timestamp() * 1000))}-0" if since is not None else "-"
        found: list[AuditEntry] = []
        while len(found) < limit:
            rows: list[Any] = (
                await self._client.xrange(self.stream, min=start, max="+", count=_PAGE) or []
            )
            for _id, fields in rows:
                raw = {text(k): text(v) for k, v in fields.items()}
                entry = AuditEntry.model_validate(json.loads(raw["doc"]))
                if _matches(entry, thread_id, actor):
                    found.append(entry)
            if len(rows) < _PAGE:
                break
            start = f"({text(rows[-1][0])}"
        return found[:limit]
