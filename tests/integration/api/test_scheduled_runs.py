"""Runs scheduled with `after_seconds`: what waits for later costs the sweep nothing, and a
scheduled run still starts on time after its process died or the server restarted, and can
be cancelled or deleted while it waits."""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import redis.asyncio as aioredis
from langgraph_sdk import get_client
from langgraph_sdk.client import LangGraphClient

from api.runs.executor import RunExecutor
from api.runs.keys import ApiKeys
from api.runs.queue import RunStore
from api.runs.records import RunKwargs, RunRecord
from api.runs.threads import ThreadStore, utc_now
from api.runs.worker import WorkerLoop
from state.redis_server import ManagedRedis
from tests.support.api_server import ApiServer
from tests.support.messages import FAQ, user

LIVE_WORKER = "live-worker"


async def scheduled_world(client: aioredis.Redis, prefix: str, scheduled: int) -> WorkerLoop:
    """`scheduled` background runs due in an hour, plus three runs running on another live
    process, under `prefix`; the sweeper of a process of its own."""
    keys = ApiKeys(prefix)
    threads, runs = ThreadStore(client, keys), RunStore(client, keys)
    await client.set(keys.worker(LIVE_WORKER), "1", px=60_000)
    for index in range(scheduled + 3):
        tid = f"t{index}"
        await threads.create(tid, "owner", {})
        now = utc_now()
        later = index >= 3
        run = RunRecord(
            run_id=str(uuid.uuid4()),
            thread_id=tid,
            assistant_id="support",
            owner="owner",
            created_at=now,
            updated_at=now,
            params=RunKwargs(not_before=time.time() + 3600 if later else None),
            worker="" if later else LIVE_WORKER,
        )
        await runs.enqueue(run)
        if not later:
            assert await runs.try_acquire(run) == "acquired"
    executor = RunExecutor(None, None, runs, threads, "sweeper")  # type: ignore[arg-type]
    return WorkerLoop(executor, runs, keys)


async def commands_of(client: aioredis.Redis, step: Any) -> dict[str, int]:
    """Redis commands `step` sent (INFO commandstats before and after; the INFO calls
    themselves cancel out between runs of this function)."""
    before = await client.info("commandstats")
    await step()
    after = await client.info("commandstats")
    return {
        name: stats["calls"] - before.get(name, {"calls": 0})["calls"]
        for name, stats in after.items()
        if stats["calls"] != before.get(name, {"calls": 0})["calls"]
    }


async def test_the_sweep_costs_the_same_with_5_or_500_scheduled_runs(
    private_redis: ManagedRedis,
) -> None:
    url = private_redis.status().url
    assert url is not None
    async with aioredis.Redis.from_url(url) as client:
        few = await scheduled_world(client, "few", 5)
        many = await scheduled_world(client, "many", 500)
        assert await client.zcard(ApiKeys("many").scheduled_runs) == 500
        costs = {}
        for name, loop in (("few", few), ("many", many)):
            sweep = await commands_of(client, loop.sweep)
            due = await commands_of(client, loop.start_due)
            costs[name] = (sweep, due)
        assert costs["few"] == costs["many"], costs
        sweep, due = costs["many"]
        assert sweep.get("cmdstat_hgetall") == 3  # the running runs, and only them
        assert sum(due.values()) <= 2  # one read by score (and the INFO call)
        assert await client.zcard(ApiKeys("many").scheduled_runs) == 500


async def join_in_time(sdk: LangGraphClient, tid: str, run_id: str) -> dict[str, Any]:
    return await asyncio.wait_for(sdk.runs.join(tid, run_id), timeout=90)


async def test_a_scheduled_run_starts_on_time_after_its_server_died_and_another_started(
    redis_url: str, brain_cache_dir: Path, tmp_path: Path
) -> None:
    doomed = ApiServer(redis_url, brain_cache_dir, log_path=tmp_path / "doomed.log").start()
    first = get_client(url=doomed.url)
    tid = (await first.threads.create())["thread_id"]
    asked = time.time()
    run = await first.runs.create(tid, "support", input=user(FAQ), after_seconds=4)
    await first.http.client.aclose()
    doomed.kill()
    later = ApiServer(redis_url, brain_cache_dir, log_path=tmp_path / "later.log").start()
    try:
        second = get_client(url=later.url)
        finished = await join_in_time(second, tid, run["run_id"])
        assert finished["status"] == "faq_answered"
        stored = await second.runs.get(tid, run["run_id"])
        assert stored["status"] == "success"
        oldest = (await second.threads.get_history(tid, limit=100))[-1]
        started = datetime.fromisoformat(oldest["created_at"]).timestamp()
        assert started >= asked + 4, "it ran before its time"
        await second.http.client.aclose()
    finally:
        later.stop()


async def test_a_scheduled_run_is_cancelled_or_deleted_while_it_waits(
    client: LangGraphClient, http: httpx.AsyncClient, redis_url: str
) -> None:
    tid = (await client.threads.create())["thread_id"]
    waiting = await client.runs.create(tid, "support", input=user(FAQ), after_seconds=3600)
    assert (await client.threads.get(tid))["status"] == "busy"
    began = time.monotonic()
    await client.runs.cancel(tid, waiting["run_id"], wait=True)
    assert time.monotonic() - began < 5, "the cancel waited for the run's time"
    assert (await client.runs.get(tid, waiting["run_id"]))["status"] == "interrupted"
    assert (await client.threads.get(tid))["status"] == "idle"
    assert (await http.delete(f"/threads/{tid}/runs/{waiting['run_id']}")).status_code == 204

    rolled = await client.runs.create(tid, "support", input=user(FAQ), after_seconds=3600)
    await client.runs.cancel(tid, rolled["run_id"], wait=True, action="rollback")
    assert (await http.get(f"/threads/{tid}/runs/{rolled['run_id']}")).status_code == 404

    doomed = await client.runs.create(tid, "support", input=user(FAQ), after_seconds=3600)
    await client.threads.delete(tid)
    async with aioredis.Redis.from_url(redis_url) as raw:
        scheduled = ApiKeys("sg").scheduled_runs
        assert await raw.zscore(scheduled, doomed["run_id"]) is None
        for run_id in (waiting["run_id"], rolled["run_id"]):
            assert await raw.zscore(scheduled, run_id) is None
