"""Fixtures shared by the integration tiers: a plain client on the session's Redis."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import redis.asyncio as aioredis


@pytest.fixture
async def redis_client(redis_url: str) -> AsyncIterator[aioredis.Redis]:
    """A connection to the session's Redis, closed after the test."""
    async with aioredis.Redis.from_url(redis_url) as connection:
        yield connection
