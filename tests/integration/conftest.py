"""Integration tests share one Redis; each starts with an empty refund ledger."""

from __future__ import annotations

import pytest
import redis
from redis.exceptions import RedisError


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
