"""Several server processes on one Redis: ordering, restarts, dead workers, API keys.

Every client here is `langgraph_sdk`; the servers are real `supportgraph serve` processes.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis.asyncio as aioredis
from langgraph_sdk import get_client
from langgraph_sdk.client import LangGraphClient

from tests.support.api_server import ApiServer, Connect, StartServer
from tests.support.messages import PLAN_CHANGE, user

QUESTIONS = [
    "How do I reset my voicemail PIN?",
    "What are your store hours?",
    "How do I set up autopay?",
]


@pytest.fixture(scope="module")
def two_servers(start_server: StartServer) -> list[ApiServer]:
    return [start_server() for _ in range(2)]


@pytest.fixture
def clients(two_servers: list[ApiServer], connect: Connect) -> list[LangGraphClient]:
    return [connect(s, timeout=120) for s in two_servers]


def assert_turns_alternate(messages: list[dict[str, Any]]) -> None:
    """Each customer message is followed by the agent's answer before the next one starts."""
    kinds = [m["type"] for m in messages]
    for index, kind in enumerate(kinds):
        if kind == "human":
            assert index + 1 < len(kinds), "a turn was left without an answer"
            assert kinds[index + 1] != "human", f"turns interleaved at message {index}"


async def test_fifty_clients_on_twenty_shared_threads_across_two_servers(
    clients: list[LangGraphClient],
) -> None:
    threads = [(await clients[0].threads.create())["thread_id"] for _ in range(20)]
    sent: dict[str, list[str]] = {t: [] for t in threads}
    rng = random.Random(7)

    async def customer(number: int) -> None:
        for turn in range(10):
            thread = rng.choice(threads)
            text = f"{QUESTIONS[(number + turn) % 3]} (ref {number}-{turn})"
            sent[thread].append(text)
            client = clients[(number + turn) % 2]
            await client.runs.wait(thread, "support", input=user(text))

    await asyncio.gather(*(customer(n) for n in range(50)))

    total = 0
    for thread in threads:
        state = await clients[1].threads.get_state(thread)
        messages = state["values"]["messages"]
        received = [m["content"] for m in messages if m["type"] == "human"]
        counts = Counter(received)
        assert sorted(received) == sorted(sent[thread]), "a message was lost or added"
        assert max(counts.values(), default=1) == 1, "a turn was duplicated"
        assert_turns_alternate(messages)
        runs = await clients[0].runs.list(thread, limit=1000)
        assert {r["status"] for r in runs} == {"success"}
        assert len(runs) == len(sent[thread])
        total += len(received)
    assert total == 500


async def test_threads_waiting_on_approval_survive_a_server_restart(
    redis_url: str, brain_cache_dir: Path, tmp_path: Path
) -> None:
    server = ApiServer(redis_url, brain_cache_dir, log_path=tmp_path / "a.log").start()
    client = get_client(url=server.url)
    paused = []
    for _ in range(5):
        tid = (await client.threads.create())["thread_id"]
        result = await client.runs.wait(tid, "support", input=user(PLAN_CHANGE))
        assert result["__interrupt__"]
        paused.append(tid)
    await client.http.client.aclose()
    server.kill()

    restarted = ApiServer(
        redis_url, brain_cache_dir, port=server.port, log_path=tmp_path / "b.log"
    ).start()
    try:
        client = get_client(url=restarted.url)
        for tid in paused:
            assert (await client.threads.get(tid))["status"] == "interrupted"
            done = await client.runs.wait(
                tid, "support", command={"resume": {"decision": "approve"}}
            )
            assert done["status"] == "resolved"
            assert "__interrupt__" not in done
        await client.http.client.aclose()
    finally:
        restarted.stop()


async def test_a_run_of_a_killed_worker_is_adopted_not_lost(
    redis_url: str, brain_cache_dir: Path, tmp_path: Path
) -> None:
    doomed = ApiServer(redis_url, brain_cache_dir, log_path=tmp_path / "doomed.log").start()
    survivor = ApiServer(redis_url, brain_cache_dir, log_path=tmp_path / "survivor.log").start()
    try:
        first = get_client(url=doomed.url)
        tid = (await first.threads.create())["thread_id"]
        run = await first.runs.create(tid, "support", input=user(QUESTIONS[0]), after_seconds=1)
        await first.http.client.aclose()
        doomed.kill()

        second = get_client(url=survivor.url)
        finished = await asyncio.wait_for(second.runs.join(tid, run["run_id"]), timeout=60)
        assert finished["status"] == "faq_answered"
        assert (await second.runs.get(tid, run["run_id"]))["status"] == "success"
        humans = [m for m in finished["messages"] if m["type"] == "human"]
        assert len(humans) == 1
        await second.http.client.aclose()
    finally:
        doomed.kill()
        survivor.stop()


async def test_api_keys_isolate_threads(
    redis_url: str, brain_cache_dir: Path, tmp_path: Path
) -> None:
    server = ApiServer(
        redis_url, brain_cache_dir, api_keys="alpha-key,beta-key", log_path=tmp_path / "k.log"
    ).start()
    alpha = get_client(url=server.url, api_key="alpha-key")
    beta = get_client(url=server.url, api_key="beta-key")
    anonymous = get_client(url=server.url, api_key=None, headers={})
    try:
        tid = (await alpha.threads.create())["thread_id"]
        paused = await alpha.runs.wait(tid, "support", input=user(PLAN_CHANGE))
        assert paused["__interrupt__"]
        for call in (
            beta.threads.get(tid),
            beta.threads.get_state(tid),
            beta.runs.wait(tid, "support", command={"resume": {"decision": "approve"}}),
            beta.runs.list(tid),
        ):
            with pytest.raises(httpx.HTTPStatusError) as hidden:
                await call
            assert hidden.value.response.status_code == 404
        assert tid not in {t["thread_id"] for t in await beta.threads.search(limit=1000)}
        with pytest.raises(httpx.HTTPStatusError) as unauthenticated:
            await anonymous.threads.search()
        assert unauthenticated.value.response.status_code == 401
        # Plain keys are services: they vouch for a customer but only an operator approves.
        with pytest.raises(httpx.HTTPStatusError) as forbidden:
            await alpha.runs.wait(tid, "support", command={"resume": {"decision": "approve"}})
        assert forbidden.value.response.status_code == 403
        assert (await alpha.threads.get(tid))["status"] == "interrupted"
    finally:
        for client in (alpha, beta, anonymous):
            await client.http.client.aclose()
        server.stop()


async def test_every_key_the_api_wrote_for_a_deleted_thread_is_gone(
    clients: list[LangGraphClient], redis_url: str
) -> None:
    client = clients[0]
    tid = (await client.threads.create())["thread_id"]
    await client.runs.wait(tid, "support", input=user(QUESTIONS[1]))
    await client.threads.delete(tid)
    redis = aioredis.Redis.from_url(redis_url)
    try:
        leftovers = [k async for k in redis.scan_iter(match=f"*{tid}*")]
    finally:
        await redis.aclose()
    assert leftovers == []
