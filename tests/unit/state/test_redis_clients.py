"""Every Redis client the product builds retries a dead connection and health-checks idle ones.

A client opened with plain `from_url` gets no retry at all from redis-py; that was the 503
after a Redis restart (`tests/integration/jobs/test_faults.py` shows it end to end).
"""

from __future__ import annotations

from typing import Any

import pytest
import redis.asyncio.retry
import redis.retry
from redis._parsers import _AsyncHiredisParser, _HiredisParser
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from state.checkpoint.saver import SupportRedisSaver, open_checkpointer
from state.redis_clients import (
    HEALTH_CHECK_SECONDS,
    RETRIES,
    async_client,
    blocking_async_pool,
    connection_options,
    sync_client,
)
from state.settings import Settings
from state.stores.task_queue import TaskQueue

URL = "redis://127.0.0.1:1/0"  # nothing listens: building a client must not connect


def assert_resilient(kwargs: dict[str, Any], retry_type: type) -> None:
    retry = kwargs["retry"]
    assert isinstance(retry, retry_type)
    assert retry.get_retries() == RETRIES
    assert {RedisConnectionError, RedisTimeoutError} <= set(retry._supported_errors)
    assert kwargs["health_check_interval"] == HEALTH_CHECK_SECONDS


def test_the_async_and_sync_clients_and_the_blocking_pool_carry_the_options() -> None:
    assert_resilient(async_client(URL).connection_pool.connection_kwargs, redis.asyncio.retry.Retry)
    assert_resilient(sync_client(URL).connection_pool.connection_kwargs, redis.retry.Retry)
    assert_resilient(blocking_async_pool(URL).connection_kwargs, redis.asyncio.retry.Retry)


def test_a_plain_from_url_pool_would_not_retry_at_all() -> None:
    """What the options correct: redis-py's own pool connection retries zero times."""
    plain = redis.asyncio.Redis.from_url(URL).connection_pool.make_connection()
    assert plain.retry.get_retries() == 0
    ours = async_client(URL).connection_pool.make_connection()
    assert ours.retry.get_retries() == RETRIES


def test_the_task_queue_uses_them() -> None:
    queue = TaskQueue(URL, Settings(_env_file=None))  # type: ignore[call-arg]
    redis_of_queue: Any = queue.queue.redis  # type: ignore[attr-defined]
    assert_resilient(redis_of_queue.connection_pool.connection_kwargs, redis.asyncio.retry.Retry)


async def test_the_checkpointer_uses_them(monkeypatch: pytest.MonkeyPatch) -> None:
    async def enter(self: SupportRedisSaver) -> SupportRedisSaver:
        return self  # no index creation: nothing listens on URL

    async def leave(self: SupportRedisSaver, *exc: object) -> None:
        await self._redis.aclose()

    monkeypatch.setattr(SupportRedisSaver, "__aenter__", enter)
    monkeypatch.setattr(SupportRedisSaver, "__aexit__", leave)
    async with open_checkpointer(URL) as saver:
        kwargs = saver._redis.connection_pool.connection_kwargs
        assert_resilient(kwargs, redis.asyncio.retry.Retry)


def test_each_client_gets_its_own_retry_object() -> None:
    """A Retry keeps no per-call state, but a shared one would tie pools' settings together."""
    assert connection_options()["retry"] is not connection_options()["retry"]


async def test_every_client_parses_replies_with_hiredis(monkeypatch: pytest.MonkeyPatch) -> None:
    """Named, not left to redis-py's import-time guess: the C parser costs less CPU per turn."""
    pools = [async_client(URL).connection_pool, blocking_async_pool(URL)]
    for pool in pools:
        assert pool.connection_kwargs["parser_class"] is _AsyncHiredisParser
        assert isinstance(pool.make_connection()._parser, _AsyncHiredisParser)
    sync_pool = sync_client(URL).connection_pool
    assert sync_pool.connection_kwargs["parser_class"] is _HiredisParser
    assert isinstance(sync_pool.make_connection()._parser, _HiredisParser)

    async def enter(self: SupportRedisSaver) -> SupportRedisSaver:
        return self

    async def leave(self: SupportRedisSaver, *exc: object) -> None:
        await self._redis.aclose()

    monkeypatch.setattr(SupportRedisSaver, "__aenter__", enter)
    monkeypatch.setattr(SupportRedisSaver, "__aexit__", leave)
    async with open_checkpointer(URL) as saver:
        assert saver._redis.connection_pool.connection_kwargs["parser_class"] is _AsyncHiredisParser
