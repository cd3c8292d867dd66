"""Expiry of the API's thread records, and `supportgraph threads prune`, on a real Redis."""

from __future__ import annotations

import asyncio
import os
import subprocess
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
import redis.asyncio as aioredis
from langgraph.checkpoint.base import empty_checkpoint

from api.runs.expiry import ApiRecordExpiry
from api.runs.keys import ApiKeys
from api.runs.prune import ThreadPruner
from api.runs.queue import RunStore
from api.runs.records import RunKwargs, RunRecord
from api.runs.threads import ThreadStore, utc_now
from state.checkpoint.saver import SupportRedisSaver
from state.checkpoint.ttl import ThreadTtl
from tests.support.checkpoints import prefixed_saver
from tests.support.cli import CLI
from tests.support.paths import REPO_ROOT
from tests.support.runs import run_record

REPO = REPO_ROOT


@pytest.fixture
def keys() -> ApiKeys:
    return ApiKeys(f"prune{uuid.uuid4().hex[:10]}")


@pytest.fixture
async def saver(redis_url: str, keys: ApiKeys) -> AsyncIterator[SupportRedisSaver]:
    prefix = keys.prefix.replace(":", "_")
    instance = prefixed_saver(redis_url, prefix)
    async with instance:
        yield instance
        await instance.checkpoints_index.delete(drop=True)
        await instance.checkpoint_writes_index.delete(drop=True)


def _run(thread_id: str) -> RunRecord:
    params = RunKwargs(input={"messages": [{"role": "user", "content": "hello"}]})
    return run_record(thread_id, owner="owner-1", worker="w-1", params=params)


async def _thread(
    threads: ThreadStore,
    runs: RunStore,
    saver: SupportRedisSaver | None,
    *,
    finished: bool = True,
    queued: bool = False,
) -> str:
    """A thread with one run (finished successfully unless told) and, given a saver, a
    checkpoint."""
    thread_id = f"th-{uuid.uuid4().hex}"
    await threads.create(thread_id, "owner-1", {})
    run = _run(thread_id)
    await runs.enqueue(run)
    if finished:
        await runs.finish(run, "success", "idle")
    if queued:
        await runs.enqueue(_run(thread_id))
    if saver is not None:
        config: Any = {"configurable": {"thread_id": thread_id, "checkpoint_ns": ""}}
        stored = await saver.aput(config, empty_checkpoint(), {"source": "loop", "step": 0}, {})
        await saver.aput_writes(stored, [("messages", "hi")], "task-1")
    return thread_id


async def _age(client: aioredis.Redis, keys: ApiKeys, thread_id: str, days: float) -> None:
    then = utc_now() - timedelta(days=days)
    await client.hset(keys.thread(thread_id), "updated_at", then.isoformat())


async def test_api_records_expire_together_and_reads_push_them_back(
    redis_client: aioredis.Redis, keys: ApiKeys
) -> None:
    expiry = ApiRecordExpiry(redis_client, keys, ThreadTtl(20))  # refreshed at most every 2 s
    threads, runs = ThreadStore(redis_client, keys, expiry), RunStore(redis_client, keys, expiry)
    thread_id = await _thread(threads, runs, None, finished=False)
    owned = [keys.thread(thread_id), keys.thread_runs(thread_id)]
    owned += [keys.run(r) for r in await runs.all_ids(thread_id)]
    queued = [*owned, keys.queue(thread_id)]
    # A run queued (or running): the thread is not idle, none of its records expires.
    assert [await redis_client.ttl(key) for key in queued] == [-1] * len(queued)
    run = await runs.get(await runs.thread_holder(thread_id) or (await runs.queued(thread_id))[0])
    assert run is not None
    await runs.finish(run, "success", "idle")  # idle again: everything expires from now
    assert all(20 < ttl <= 22 for ttl in [await redis_client.ttl(key) for key in owned])
    for key in owned:
        await redis_client.expire(key, 5)
    await asyncio.sleep(2.1)
    assert await threads.get(thread_id) is not None
    assert all(ttl > 15 for ttl in [await redis_client.ttl(key) for key in owned])

    short = ApiRecordExpiry(redis_client, keys, ThreadTtl(1))
    gone = await _thread(
        ThreadStore(redis_client, keys, short), RunStore(redis_client, keys, short), None
    )
    await asyncio.sleep(2.2)
    assert await threads.get(gone) is None
    assert await redis_client.zcard(keys.thread_runs(gone)) == 0


async def test_prune_deletes_idle_and_orphaned_threads_and_leftovers(
    redis_client: aioredis.Redis, keys: ApiKeys, saver: SupportRedisSaver
) -> None:
    threads, runs = ThreadStore(redis_client, keys), RunStore(redis_client, keys)
    idle = await _thread(threads, runs, saver)
    await _age(redis_client, keys, idle, 40)
    orphaned = await _thread(threads, runs, None)
    alive = await _thread(threads, runs, saver)
    busy = await _thread(threads, runs, saver, queued=True)
    await _age(redis_client, keys, busy, 40)
    fresh = f"th-{uuid.uuid4().hex}"
    await threads.create(fresh, "owner-1", {})  # no run, no checkpoint yet: not an orphan
    vanished = f"th-{uuid.uuid4().hex}"
    await redis_client.zadd(keys.owner_threads("owner-1"), {vanished: 1.0})
    await redis_client.set(keys.lock(vanished), "run-that-is-gone")
    pruner = ThreadPruner(redis_client, keys, saver)

    dry = await pruner.prune(idle_days=30, dry_run=True)
    assert (dry.scanned, dry.idle, dry.orphaned, dry.busy) == (5, [idle], [orphaned], [busy])
    assert (dry.index_entries, dry.leftover_keys) == (1, 1)
    assert (
        await redis_client.exists(keys.thread(idle), keys.thread(orphaned), keys.lock(vanished))
        == 3
    )
    assert await saver.acount_checkpoints(idle) == 1

    done = await pruner.prune(idle_days=30, dry_run=False)
    assert (done.idle, done.orphaned, done.index_entries, done.leftover_keys) == (
        [idle],
        [orphaned],
        1,
        1,
    )
    for gone in (idle, orphaned):
        assert await threads.get(gone) is None
        assert await redis_client.exists(keys.thread_runs(gone), keys.queue(gone)) == 0
    assert await saver.acount_checkpoints(idle) == 0
    assert await saver.athread_keys(idle) == []
    for kept in (alive, busy, fresh):
        assert await threads.get(kept) is not None
    assert await saver.acount_checkpoints(alive) == 1
    assert await redis_client.exists(keys.lock(vanished)) == 0
    remaining = {
        m.decode() for m in await redis_client.zrange(keys.owner_threads("owner-1"), 0, -1)
    }
    assert remaining == {alive, busy, fresh}

    again = await pruner.prune(idle_days=None, dry_run=False)
    assert (again.scanned, again.idle, again.orphaned) == (3, [], [])


def test_prune_command_prints_its_counts(redis_url: str, keys: ApiKeys) -> None:
    env = {**os.environ, "REDIS_URL": redis_url, "SUPPORTGRAPH_KEY_PREFIX": keys.prefix[:-4]}
    done = subprocess.run(
        [
            *CLI,
            "threads",
            "prune",
            "--idle-days",
            "30",
            "--dry-run",
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "threads scanned: 0" in done.stdout
    assert "idle > 30.0 days, would delete: 0" in done.stdout
