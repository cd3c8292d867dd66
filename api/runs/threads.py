"""Thread records of the HTTP API: owner, metadata and status, one Redis hash per thread.

The conversation itself lives in the checkpointer; this record is what the API adds on top
(who may see the thread, its metadata, whether a run holds it). Every process of the server
reads and writes the same records, so any of them can answer for any thread.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, Field
from redis.asyncio import Redis

from api.runs.keys import ApiKeys
from state.redis_text import text, texts

if TYPE_CHECKING:
    from api.runs.expiry import ApiRecordExpiry

ThreadStatus = Literal["idle", "busy", "interrupted", "error"]


def utc_now() -> datetime:
    return datetime.now(UTC)


class ThreadRecord(BaseModel):
    thread_id: str
    owner: str
    created_at: datetime
    updated_at: datetime
    metadata: dict[str, Any] = Field(default_factory=dict)
    status: ThreadStatus = "idle"
    error: str | None = None


def _decode(raw: Mapping[Any, Any]) -> dict[str, str]:
    return {text(k): text(v) for k, v in raw.items()}


_CREATE = """
-- KEYS: thread, owner_threads  ARGV: thread_id, score, field, value, ...
-- One script: a concurrent create, or a process killed halfway, never sees or leaves a record
-- that exists without its fields.
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV, 3))
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
return 1
"""


class ThreadStore:
    """CRUD of thread records; ownership is checked by the caller through `get`.

    With an `expiry`, creating, reading (`get`) and updating a thread re-expire its records.
    """

    def __init__(self, redis: Redis, keys: ApiKeys, expiry: ApiRecordExpiry | None = None) -> None:
        self.redis = redis
        self.keys = keys
        self.expiry = expiry
        self._create = redis.register_script(_CREATE)

    async def create(
        self, thread_id: str, owner: str, metadata: dict[str, Any]
    ) -> tuple[ThreadRecord, bool]:
        """Create the thread unless it exists; returns the stored record and whether it is new."""
        now = utc_now()
        record = ThreadRecord(
            thread_id=thread_id, owner=owner, created_at=now, updated_at=now, metadata=metadata
        )
        fields = [item for pair in self._fields(record).items() for item in pair]
        created = await self._create(
            keys=[self.keys.thread(thread_id), self.keys.owner_threads(owner)],
            args=[thread_id, time.time(), *fields],
        )
        if not created:
            existing = await self.get(thread_id)
            if existing is None:
                raise RuntimeError(f"thread {thread_id} vanished while being created")
            return existing, False
        if self.expiry is not None:
            await self.expiry.touch(thread_id, created=True)
        return record, True

    async def get(self, thread_id: str) -> ThreadRecord | None:
        record = _record(thread_id, await self.redis.hgetall(self.keys.thread(thread_id)))
        if record is not None and self.expiry is not None:
            await self.expiry.touch(thread_id)
        return record

    async def get_many(self, thread_ids: list[str]) -> list[ThreadRecord]:
        async with self.redis.pipeline(transaction=False) as pipe:
            for thread_id in thread_ids:
                pipe.hgetall(self.keys.thread(thread_id))
            rows = await pipe.execute()
        found = (_record(t, raw) for t, raw in zip(thread_ids, rows, strict=True))
        return [r for r in found if r is not None]

    async def update_metadata(self, record: ThreadRecord, metadata: dict[str, Any]) -> ThreadRecord:
        merged = {**record.metadata, **metadata}
        now = utc_now()
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hset(
                self.keys.thread(record.thread_id),
                mapping={"metadata": json.dumps(merged), "updated_at": now.isoformat()},
            )
            pipe.zadd(self.keys.owner_threads(record.owner), {record.thread_id: time.time()})
            await pipe.execute()
        if self.expiry is not None:
            await self.expiry.touch(record.thread_id)
        return record.model_copy(update={"metadata": merged, "updated_at": now})

    async def set_status(self, record: ThreadRecord, status: ThreadStatus) -> ThreadRecord:
        """Status of a thread no run holds (a copy that waits on its source's interrupt)."""
        await self.redis.hset(self.keys.thread(record.thread_id), "status", status)
        return record.model_copy(update={"status": status})

    async def list_ids(self, owner: str) -> list[str]:
        """The owner's threads, most recently updated first."""
        ids = await self.redis.zrevrange(self.keys.owner_threads(owner), 0, -1)
        return texts(ids)

    async def all_ids(self) -> list[str]:
        """Every thread of every owner (what an operator sees), in no particular order."""
        head = self.keys.thread("")
        found = self.redis.scan_iter(match=f"{head}*", count=1000, _type="hash")
        return [text(key)[len(head) :] async for key in found]

    async def delete(
        self, record: ThreadRecord, run_ids: list[str], *, keep_audit: bool = False
    ) -> None:
        """Delete the thread's records and its audit entries; `keep_audit` leaves those to
        expire with the thread TTL (a stateless run's thread, dropped when the run ends)."""
        keys = self.keys
        tid = record.thread_id
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.delete(keys.thread(tid), keys.thread_runs(tid), keys.queue(tid), keys.lock(tid))
            pipe.delete(keys.thread_events(tid))
            if not keep_audit:
                pipe.delete(*keys.audit.thread_keys(tid))
                pipe.zrem(keys.audit.threads, tid)
            for run_id in run_ids:
                pipe.delete(keys.run(run_id), keys.cancel(run_id), keys.run_events(run_id))
                pipe.srem(keys.active_runs, run_id)
                pipe.zrem(keys.scheduled_runs, run_id)
            pipe.zrem(keys.owner_threads(record.owner), tid)
            pipe.zrem(keys.waiting, tid)
            await pipe.execute()

    @staticmethod
    def _fields(record: ThreadRecord) -> dict[Any, Any]:
        return {
            "owner": record.owner,
            "created_at": record.created_at.isoformat(),
            "updated_at": record.updated_at.isoformat(),
            "metadata": json.dumps(record.metadata),
            "status": record.status,
            "error": record.error or "",
        }


def _record(thread_id: str, row: Mapping[Any, Any]) -> ThreadRecord | None:
    raw = _decode(row)
    if "created_at" not in raw:
        return None
    return ThreadRecord(
        thread_id=thread_id,
        owner=raw["owner"],
        created_at=datetime.fromisoformat(raw["created_at"]),
        updated_at=datetime.fromisoformat(raw["updated_at"]),
        metadata=json.loads(raw.get("metadata", "{}")),
        status=raw.get("status", "idle"),
        error=raw.get("error") or None,
    )
