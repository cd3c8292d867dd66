"""`langgraph dev` serves the support graph from `langgraph.json`, checkpointed to Redis.

The server runs as `langgraph dev` itself (a subprocess started in the repo root, offline) and
is driven only through `langgraph_sdk`, as Studio drives it. Every proxy-aware HTTP client in
the server is pointed at a local proxy that records and refuses each request, so the test also
proves the server does not try to reach the internet (telemetry, version checks, LangSmith).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import redis.asyncio as aioredis
from langgraph_sdk import get_client

from state.checkpoint.saver import open_checkpointer
from tests.support.langgraph_dev import DevServer, start_dev_server, stop_dev_server

REFUND_REQUEST = "Please refund the $10 late fee on my June invoice. I paid on time."


@pytest.fixture(scope="module")
def dev_server(redis_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevServer]:
    server = start_dev_server(redis_url, tmp_path_factory.mktemp("langgraph-dev") / "server.log")
    try:
        yield server
    finally:
        stop_dev_server(server)


async def _redis_keys(redis_url: str, thread_id: str) -> list[str]:
    async with aioredis.Redis.from_url(redis_url, decode_responses=True) as client:
        return [key async for key in client.scan_iter(match=f"*{thread_id}*", count=1000)]


async def _studio_flow(server: DevServer, redis_url: str) -> None:
    client = get_client(url=server.url, api_key=None)
    thread = await client.threads.create()
    thread_id = thread["thread_id"]

    request: dict[str, Any] = {
        "messages": [{"role": "user", "content": REFUND_REQUEST}],
        "customer_id": "C-1006",
    }
    await client.runs.wait(thread_id, "support", input=request)
    paused = await client.threads.get_state(thread_id)
    assert paused["next"] == ["billing"]
    assert paused["values"]["status"] == "awaiting_approval"  # the graph's own state says so
    assert len(paused["interrupts"]) == 1
    approval: Any = paused["interrupts"][0]["value"]
    assert approval["kind"] == "approval"
    assert approval["action"] == "request_refund"
    assert approval["customer_id"] == "C-1006"

    await client.runs.wait(thread_id, "support", command={"resume": {"decision": "approve"}})
    final = await client.threads.get_state(thread_id)
    values: Any = final["values"]
    assert final["next"] == []
    assert final["interrupts"] == []
    assert values["status"] == "resolved"
    committed = [m for m in values["messages"] if m.get("name") == "request_refund"]
    assert len(committed) == 1
    reference = re.search(r"\(reference (ACT-[0-9A-F]+)\)", committed[0]["content"])
    assert reference is not None, committed[0]["content"]
    reply = values["messages"][-1]
    assert reply["type"] == "ai"
    assert "refund" in reply["content"].lower()
    assert reference.group(1) in reply["content"]

    # The state the server reports is the checkpoint in Redis: the checkpointer.path wiring.
    checkpoint_id = final["checkpoint"]["checkpoint_id"]
    keys = await _redis_keys(redis_url, thread_id)
    assert f"checkpoint:{thread_id}:__empty__:{checkpoint_id}" in keys
    assert any(key.startswith(f"checkpoint:{thread_id}:billing:") for key in keys)
    async with open_checkpointer(redis_url) as saver:
        stored = await saver.aget_tuple({"configurable": {"thread_id": thread_id}})
    assert stored is not None
    assert stored.config["configurable"]["checkpoint_id"] == checkpoint_id
    assert stored.checkpoint["channel_values"]["status"] == "resolved"

    # Deleting the thread in Studio deletes its checkpoints from Redis.
    await client.threads.delete(thread_id)
    assert await _redis_keys(redis_url, thread_id) == []


async def test_studio_refund_is_approved_and_checkpointed_in_redis(
    dev_server: DevServer, redis_url: str
) -> None:
    try:
        await _studio_flow(dev_server, redis_url)
        assert dev_server.proxy.requests == [], "langgraph dev tried to reach the internet"
    except BaseException:
        print(f"--- langgraph dev log ({dev_server.log_path}) ---\n{dev_server.log()}")
        raise
