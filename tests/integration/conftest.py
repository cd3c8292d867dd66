"""Fixtures shared by the integration tiers: a plain client on the session's Redis, and an
empty refund ledger for every test that uses that Redis."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import redis
import redis.asyncio as aioredis
from redis.exceptions import RedisError


@pytest.fixture
async def redis_client(redis_url: str) -> AsyncIterator[aioredis.Redis]:
    """A connection to the session's Redis, closed after the test."""
    async with aioredis.Redis.from_url(redis_url) as connection:
        yield connection


@pytest.fixture(autouse=True)
def _fresh_refund_ledger(request: pytest.FixtureRequest) -> None:
    """Refunds are capped per customer across threads (they must be); unrelated tests that
    refund the same demo charge would otherwise refuse each other's."""
    if "redis_url" not in request.fixturenames:
        return
    client = redis.Redis.from_url(request.getfixturevalue("redis_url"))
    try:
        stale = list(client.scan_iter(match="*:refunds:*", count=1000))
        if stale:
            client.delete(*stale)
    except RedisError:
        pass
    finally:
        client.close()
