"""Enqueueing a run stamps its thread's metadata in the same script: one round trip."""

from __future__ import annotations

import json
import uuid

import pytest
import redis.asyncio as aioredis

from api.runs.keys import ApiKeys
from api.runs.queue import RunStore, ThreadBusy, ThreadMissing
from api.runs.records import RunKwargs, RunRecord
from api.runs.threads import ThreadStore, utc_now
from state.redis_server import ManagedRedis
from tests.integration.api.test_scheduled_runs import commands_of


def new_run(thread_id: str, strategy: str = "reject") -> RunRecord:
    now = utc_now()
    return RunRecord(
        run_id=str(uuid.uuid4()),
        thread_id=thread_id,
        assistant_id="support",
        owner="someone-else",
        created_at=now,
        updated_at=now,
        multitask_strategy=strategy,  # type: ignore[arg-type]
        params=RunKwargs(),
        worker="w",
    )


async def test_an_accepted_run_stamps_the_thread_in_its_one_script_call(
    private_redis: ManagedRedis,
) -> None:
    url = private_redis.status().url
    assert url is not None
    keys = ApiKeys("q")
    async with aioredis.Redis.from_url(url) as client:
        threads, runs = ThreadStore(client, keys), RunStore(client, keys)
        record, _ = await threads.create("t1", "owner", {"channel": "web"})
        stamp = record.model_copy(update={"metadata": {"channel": "web", "graph_id": "support"}})
        with pytest.raises(ThreadMissing):  # loads the script
            await runs.enqueue(new_run("no-such-thread"))
        sent = await commands_of(client, lambda: runs.enqueue(new_run("t1"), stamp=stamp))
        assert {k: v for k, v in sent.items() if not k.startswith("cmdstat_info")} == {
            "cmdstat_evalsha": 1,
            "cmdstat_exists": 2,
            "cmdstat_get": 1,
            "cmdstat_lrange": 1,
            "cmdstat_hset": 3,
            "cmdstat_zadd": 2,
            "cmdstat_sadd": 1,
            "cmdstat_rpush": 1,
        }
        stored = await threads.get("t1")
        assert stored is not None
        assert stored.metadata == {"channel": "web", "graph_id": "support"}
        assert await client.zscore(keys.owner_threads("owner"), "t1") is not None
        assert await client.zscore(keys.owner_threads("someone-else"), "t1") is None


async def test_a_refused_run_stamps_nothing(private_redis: ManagedRedis) -> None:
    url = private_redis.status().url
    assert url is not None
    keys = ApiKeys("q")
    async with aioredis.Redis.from_url(url) as client:
        threads, runs = ThreadStore(client, keys), RunStore(client, keys)
        record, _ = await threads.create("t2", "owner", {})
        await runs.enqueue(new_run("t2"))
        stamp = record.model_copy(update={"metadata": {"graph_id": "support"}})
        with pytest.raises(ThreadBusy):
            await runs.enqueue(new_run("t2"), stamp=stamp)
        raw = await client.hget(keys.thread("t2"), "metadata")
        assert json.loads(raw) == {}
