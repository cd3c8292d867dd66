"""Redis stops while runs execute and clients poll, then starts again: the same server process
answers 503 with Retry-After meanwhile (never a 500), and recovers on its own.

The Redis is private to the test (AOF, everysec) on a fixed port, so the server's REDIS_URL
stays valid across the restart. Runs queued back to back on several threads make sure some
run is waiting for its turn, inside the graph, or recording its end when Redis goes.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
import redis.asyncio as aioredis
from langgraph_sdk.client import LangGraphClient

from api.http.security import OPEN_OWNER
from api.runs.keys import ApiKeys
from api.runs.queue import RunStore
from api.runs.records import RunKwargs, RunRecord
from state.redis_server import ManagedRedis
from tests.support.api_server import ApiServer
from tests.support.messages import APPROVE, FAQ, PLAN_CHANGE, TICKET, user
from tests.support.runs import TERMINAL, run_record

OUTAGE_SECONDS = 3.0


def run_body(text: str) -> dict[str, Any]:
    return {"assistant_id": "support", "input": user(text)}


@pytest.fixture
async def clients(
    private_server: ApiServer, private_client: LangGraphClient
) -> AsyncIterator[tuple[LangGraphClient, httpx.AsyncClient]]:
    async with httpx.AsyncClient(base_url=private_server.url, timeout=60) as raw:
        yield private_client, raw


@dataclass
class Seen:
    """Every answer a client got during the test, by status code."""

    statuses: Counter[int] = field(default_factory=Counter)
    without_retry_after: list[str] = field(default_factory=list)
    server_errors: list[str] = field(default_factory=list)

    def record(self, what: str, response: httpx.Response) -> None:
        self.statuses[response.status_code] += 1
        if response.status_code == 503 and "retry-after" not in response.headers:
            self.without_retry_after.append(what)
        if response.status_code >= 500 and response.status_code != 503:
            self.server_errors.append(f"{what}: {response.status_code} {response.text[:300]}")


async def poll(raw: httpx.AsyncClient, seen: Seen, requests: list[tuple[str, str, Any]]) -> None:
    """A client that keeps reading and writing through the outage."""
    while True:
        for method, path, body in requests:
            seen.record(f"{method} {path}", await raw.request(method, path, json=body))
            await asyncio.sleep(0.02)


async def wait_runs(raw: httpx.AsyncClient, seen: Seen, tid: str, count: int) -> None:
    """`runs/wait` calls in a row on one thread, whatever each answers."""
    for _ in range(count):
        path = f"/threads/{tid}/runs/wait"
        seen.record(f"POST {path}", await raw.post(path, json=run_body(FAQ)))


async def stream_run(sdk: LangGraphClient, tid: str) -> list[str]:
    """A streamed run queued behind others: it ends with values or an error event, cleanly
    (or, if the request came after Redis went, it was refused with a 503)."""
    events = []
    try:
        async for part in sdk.runs.stream(tid, "support", input=user(TICKET)):
            events.append(part.event)
    except httpx.HTTPStatusError as exc:
        if exc.response.status_code != 503 or events:
            raise
        return ["refused: 503"]
    return events


async def probe_while_down(
    sdk: LangGraphClient, raw: httpx.AsyncClient, seen: Seen, tid: str
) -> None:
    """Every route that needs Redis answers 503 with Retry-After; the rest still answer."""
    needs_redis: list[tuple[str, str, Any]] = [
        ("POST", "/threads", {}),
        ("GET", f"/threads/{tid}", None),
        ("PATCH", f"/threads/{tid}", {"metadata": {"a": 1}}),
        ("POST", "/threads/search", {}),
        ("GET", f"/threads/{tid}/state", None),
        ("POST", f"/threads/{tid}/state", {"values": {"customer_id": "C-1001"}}),
        ("GET", f"/threads/{tid}/history", None),
        ("POST", f"/threads/{tid}/history", {"limit": 2}),
        ("GET", f"/threads/{tid}/runs", None),
        ("POST", f"/threads/{tid}/runs", run_body(FAQ)),
        ("POST", f"/threads/{tid}/runs/wait", run_body(FAQ)),
        ("POST", f"/threads/{tid}/runs/stream", run_body(FAQ)),
        ("POST", "/runs/wait", run_body(FAQ)),
        ("POST", "/runs/stream", run_body(FAQ)),
        ("DELETE", f"/threads/{tid}", None),
    ]
    for method, path, body in needs_redis:
        response = await raw.request(method, path, json=body)
        seen.record(f"{method} {path}", response)
        assert response.status_code == 503, (method, path, response.status_code, response.text)
        assert response.headers["retry-after"] == "1"
    for path in ("/ok", "/info", "/assistants/support", "/assistants/support/schemas"):
        response = await raw.get(path)
        seen.record(f"GET {path}", response)
        assert response.status_code == 200, (path, response.text)
    for call in (
        sdk.threads.get(tid),
        sdk.threads.get_state(tid),
        sdk.runs.wait(tid, "support", input=user(FAQ)),
        sdk.runs.list(tid),
    ):
        with pytest.raises(httpx.HTTPStatusError) as refused:
            await call
        assert refused.value.response.status_code == 503
    with pytest.raises(httpx.HTTPStatusError) as refused:
        async for _ in sdk.runs.stream(tid, "support", input=user(FAQ)):
            pass
    assert refused.value.response.status_code == 503


async def until_answered(raw: httpx.AsyncClient, path: str, within: float = 20.0) -> float:
    """Seconds until `path` answers 200 again."""
    started = time.monotonic()
    while time.monotonic() - started < within:
        if (await raw.get(path)).status_code == 200:
            return time.monotonic() - started
        await asyncio.sleep(0.1)
    raise AssertionError(f"{path} did not recover within {within}s")


async def test_redis_outage_means_503_then_recovery_without_restart(
    private_server: ApiServer,
    private_redis: ManagedRedis,
    clients: tuple[LangGraphClient, httpx.AsyncClient],
) -> None:
    sdk, raw = clients
    redis_url = private_redis.status().url
    assert redis_url is not None
    pid = private_server.process.pid if private_server.process else None

    paused = (await sdk.threads.create())["thread_id"]
    assert (await sdk.runs.wait(paused, "support", input=user(PLAN_CHANGE)))["__interrupt__"]
    busy = [(await sdk.threads.create())["thread_id"] for _ in range(3)]
    delayed_thread = (await sdk.threads.create())["thread_id"]
    seen = Seen()
    pollers = [
        asyncio.create_task(
            poll(
                raw,
                seen,
                [
                    ("GET", f"/threads/{paused}", None),
                    ("GET", f"/threads/{paused}/state", None),
                    ("POST", "/threads/search", {"limit": 5}),
                    ("GET", f"/threads/{busy[0]}/runs", None),
                ],
            )
        )
    ]

    # Work in flight when Redis goes: queues of background runs, waits and streams behind
    # them, and a run that becomes due in the middle of the outage.
    for tid in busy:
        for index in range(6):
            await sdk.runs.create(tid, "support", input=user(TICKET if index % 2 else FAQ))
    delayed = await sdk.runs.create(delayed_thread, "support", input=user(FAQ), after_seconds=1.0)
    waiting = [asyncio.create_task(wait_runs(raw, seen, tid, 3)) for tid in busy]
    streams = [asyncio.create_task(stream_run(sdk, tid)) for tid in busy]
    await asyncio.sleep(0.15)

    down = time.monotonic()
    await asyncio.to_thread(private_redis.stop)
    await probe_while_down(sdk, raw, seen, paused)
    await asyncio.sleep(max(0.0, OUTAGE_SECONDS - (time.monotonic() - down)))
    assert await asyncio.to_thread(private_redis.ensure_running) == redis_url
    outage = time.monotonic() - down
    recovered = await until_answered(raw, f"/threads/{paused}")

    await asyncio.wait_for(asyncio.gather(*waiting), timeout=60)
    stream_events = await asyncio.wait_for(asyncio.gather(*streams), timeout=60)
    for poller in pollers:
        poller.cancel()
    assert (
        private_server.process is not None
        and private_server.process.pid == pid
        and private_server.process.poll() is None
    )

    assert seen.server_errors == []
    assert seen.without_retry_after == []
    assert seen.statuses[503] > 0, "the clients never noticed the outage"
    for events in stream_events:
        assert events == ["refused: 503"] or (
            events[:1] == ["metadata"] and events[-1] in ("values", "error")
        ), f"a stream ended without its run's outcome: {events}"

    # Every run ends; a run Redis failed under is an error that says so; no thread stays busy.
    outcomes: Counter[str] = Counter()
    for tid in [paused, *busy, delayed_thread]:
        for run in await sdk.runs.list(tid, limit=100):
            await asyncio.wait_for(sdk.runs.join(tid, run["run_id"]), timeout=60)
            final = await sdk.runs.get(tid, run["run_id"])
            assert final["status"] in TERMINAL
            if final["status"] == "error":
                assert "storage became unavailable" in (final["error"] or ""), final
            outcomes[final["status"]] += 1
        assert (await sdk.threads.get(tid))["status"] in ("idle", "interrupted"), tid
    assert (await sdk.runs.get(delayed_thread, delayed["run_id"]))["status"] == "success"

    # The approval that was pending still is, and goes through exactly once.
    assert (await sdk.threads.get(paused))["status"] == "interrupted"
    done = await sdk.runs.wait(paused, "support", command=APPROVE)
    assert done["status"] == "resolved"
    assert len(await committed_actions(redis_url, paused)) == 1

    # Every thread takes a new turn, and the worker loop is alive: its lease is renewed.
    for tid in [paused, *busy, delayed_thread]:
        answer = await sdk.runs.wait(tid, "support", input=user(FAQ))
        assert answer["status"] == "faq_answered"
    workers = await worker_ids(redis_url)
    assert len(workers) == 1

    # A run queued just as Redis went away, whose reply was lost: the request never started
    # it, but the process it belongs to notices and runs it.
    lost = await queue_without_starting(sdk, redis_url, workers[0])
    finished = await asyncio.wait_for(sdk.runs.join(lost.thread_id, lost.run_id), timeout=30)
    assert finished["status"] == "faq_answered"
    assert (await sdk.runs.get(lost.thread_id, lost.run_id))["status"] == "success"
    assert (await sdk.threads.get(lost.thread_id))["status"] == "idle"
    log = private_server.logs()
    for symptom in ("Exception in ASGI application", "Task exception was never retrieved"):
        assert symptom not in log, log

    print(
        f"\nredis outage: down {outage:.1f}s, API answering again {recovered:.2f}s after the"
        f" restart; responses {dict(sorted(seen.statuses.items()))}; runs {dict(outcomes)}"
    )


async def committed_actions(redis_url: str, thread_id: str) -> list[Any]:
    client = aioredis.Redis.from_url(redis_url)
    try:
        docs = [await client.json().get(k) async for k in client.scan_iter(match="sg:action:*")]
    finally:
        await client.aclose()
    return [d for d in docs if d["thread_id"] == thread_id]


async def worker_ids(redis_url: str) -> list[str]:
    """The server processes whose lease is alive (renewed by their heartbeat)."""
    client = aioredis.Redis.from_url(redis_url)
    try:
        found = [k.decode() async for k in client.scan_iter(match="sg:api:worker:*")]
        ttls = [await client.pttl(k) for k in found]
        assert all(ttl > 0 for ttl in ttls), ttls
    finally:
        await client.aclose()
    return [k.rsplit(":", 1)[1] for k in found]


async def queue_without_starting(sdk: LangGraphClient, redis_url: str, worker: str) -> RunRecord:
    """A run queued for `worker` a while ago, exactly as `create_run` stores it."""
    tid = (await sdk.threads.create())["thread_id"]
    run_id = str(uuid.uuid4())
    since = datetime.now(UTC) - timedelta(minutes=1)
    message = {"type": "human", "content": FAQ, "id": str(uuid.uuid5(uuid.UUID(run_id), "0"))}
    params = RunKwargs(input={"messages": [message], "customer_id": "C-1001"})
    run = run_record(tid, owner=OPEN_OWNER, worker=worker, params=params, run_id=run_id, at=since)
    client = aioredis.Redis.from_url(redis_url)
    try:
        await RunStore(client, ApiKeys("sg")).enqueue(run)
    finally:
        await client.aclose()
    return run
