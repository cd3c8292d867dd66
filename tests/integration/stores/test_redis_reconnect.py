"""After a real Redis restart, the first commands on the product's asyncio clients succeed: a
pooled connection Redis closed is replaced, not reported.

A pool from plain `from_url` raised `ConnectionError` ("Connection closed by server") on the
first command after a restart; that was the API's 503 right after one. (The blocking sync
client and the checkpointer's searches happened to reconnect on their own in this check; their
options are checked in `tests/unit/state/test_redis_clients.py`.)
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest
import redis.asyncio as aioredis

from state.redis_clients import async_client, blocking_async_pool
from state.redis_server import ManagedRedis

KEYS = [f"reconnect:{i}" for i in range(8)]

CLIENTS: dict[str, Callable[[str], aioredis.Redis]] = {
    "client": async_client,
    "task queue pool": lambda url: aioredis.Redis(
        connection_pool=blocking_async_pool(url, max_connections=20)
    ),
}


async def restart(server: ManagedRedis) -> None:
    """Stop and start the server while the event loop keeps running, as in a live process."""
    await asyncio.to_thread(server.stop)
    await asyncio.to_thread(server.ensure_running)


@pytest.mark.parametrize("kind", list(CLIENTS))
async def test_the_very_next_commands_after_a_restart_succeed(
    private_redis: ManagedRedis, kind: str
) -> None:
    url = private_redis.status().url
    assert url is not None
    client = CLIENTS[kind](url)
    try:
        await asyncio.gather(*(client.set(k, k) for k in KEYS))  # pooled, then closed by Redis
        await restart(private_redis)
        assert await client.get(KEYS[0]) == KEYS[0].encode()
        found = await asyncio.gather(*(client.get(k) for k in KEYS))
        assert found == [k.encode() for k in KEYS]
    finally:
        await client.aclose()
        await client.connection_pool.disconnect()
