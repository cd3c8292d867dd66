"""The audit log on a real Redis: a thread's entries are kept as long as the thread's data
(its TTL, kept while it waits on an operator, deleted with it), and reading across threads
keeps the thread, actor and time filters."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import redis.asyncio as aioredis

from api.runs.expiry import ApiRecordExpiry
from api.runs.keys import ApiKeys
from api.runs.threads import ThreadStore
from state.checkpoint.ttl import ThreadTtl
from state.stores.audit import AuditAction, AuditEntry, RedisAuditLog


def entry(thread_id: str | None, actor: str, action: AuditAction = "approve") -> AuditEntry:
    return AuditEntry(
        entry_id=str(uuid.uuid4()),
        actor=actor,
        role="operator",
        thread_id=thread_id,
        run_id=None,
        action=action,
    )


def fresh_prefix() -> str:
    return f"audit-{uuid.uuid4().hex[:8]}"


async def test_reading_across_threads_keeps_order_and_filters(
    redis_client: aioredis.Redis,
) -> None:
    log = RedisAuditLog(redis_client, fresh_prefix())
    written: list[AuditEntry] = []
    for thread_id, actor, action in (
        ("t-a", "Sam", "approve"),
        ("t-b", "Ann", "approve"),
        (None, "Sam", "switch"),
        ("t-a", "Ann", "reject"),
    ):
        await asyncio.sleep(0.005)  # distinct milliseconds: the order across streams is time
        written.append(entry(thread_id, actor, action))  # type: ignore[arg-type]
        assert await log.append(written[-1])
    assert not await log.append(written[0])  # the same decision, once

    def ids(found: list[AuditEntry]) -> list[str]:
        return [e.entry_id for e in found]

    assert ids(await log.query()) == ids(written)
    assert ids(await log.query(thread_id="t-a")) == ids([written[0], written[3]])
    assert ids(await log.query(actor="Sam")) == ids([written[0], written[2]])
    assert ids(await log.query(thread_id="t-a", actor="Ann")) == ids([written[3]])
    assert ids(await log.query(limit=2)) == ids(written[:2])
    later = datetime.fromisoformat(written[2].at) - timedelta(microseconds=1)
    assert ids(await log.query(since=later)) == ids(written[2:])
    assert await log.query(since=datetime.now(UTC) + timedelta(days=1)) == []


async def test_a_threads_entries_expire_with_its_ttl(redis_client: aioredis.Redis) -> None:
    prefix = fresh_prefix()
    ttl = ThreadTtl(1)
    log = RedisAuditLog(redis_client, prefix, ttl.expire_seconds)
    await log.append(entry("short", "Sam"))
    await log.append(entry(None, "Sam", "switch"))
    keys = ApiKeys(prefix).audit
    assert 0 < await redis_client.ttl(keys.stream("short")) <= ttl.expire_seconds
    assert 0 < await redis_client.ttl(keys.seen("short")) <= ttl.expire_seconds
    assert await redis_client.ttl(keys.stream(None)) == -1  # not a thread's: not its TTL
    await asyncio.sleep(ttl.expire_seconds + 0.5)
    assert [e.thread_id for e in await log.query()] == [None]
    assert await redis_client.zscore(keys.threads, "short") is None  # the index forgot it


async def test_entries_of_a_thread_waiting_on_an_operator_never_expire(
    redis_client: aioredis.Redis,
) -> None:
    prefix = fresh_prefix()
    ttl = ThreadTtl(60)
    keys = ApiKeys(prefix)
    log = RedisAuditLog(redis_client, prefix, ttl.expire_seconds)
    threads = ThreadStore(redis_client, keys, ApiRecordExpiry(redis_client, keys, ttl))
    record, _ = await threads.create("waits", "owner", {})
    await log.append(entry("waits", "Sam", "edit"))
    await threads.set_status(record, "interrupted")
    assert threads.expiry is not None
    await threads.expiry.touch("waits", created=True)
    assert await redis_client.ttl(keys.audit.stream("waits")) == -1
    assert await redis_client.ttl(keys.thread("waits")) == -1
    await log.append(entry("waits", "Sam", "take_over"))  # while it waits: still kept
    assert await redis_client.ttl(keys.audit.stream("waits")) == -1
    assert await redis_client.ttl(keys.audit.seen("waits")) == -1

    await threads.set_status(record, "idle")
    await threads.expiry.touch("waits", created=True)
    assert 0 < await redis_client.ttl(keys.audit.stream("waits")) <= ttl.expire_seconds


async def test_deleting_a_thread_deletes_its_entries(redis_client: aioredis.Redis) -> None:
    prefix = fresh_prefix()
    keys = ApiKeys(prefix)
    log = RedisAuditLog(redis_client, prefix)
    threads = ThreadStore(redis_client, keys)
    doomed, _ = await threads.create("doomed", "owner", {})
    await threads.create("kept", "owner", {})
    await log.append(entry("doomed", "Sam"))
    await log.append(entry("kept", "Sam"))
    await threads.delete(doomed, [])
    assert [e.thread_id for e in await log.query()] == ["kept"]
    assert await log.query(thread_id="doomed") == []
    assert not await redis_client.exists(*keys.audit.thread_keys("doomed"))
    assert await redis_client.zscore(keys.audit.threads, "doomed") is None
