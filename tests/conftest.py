"""Shared fixtures; each tier is marked by its folder so `-m unit` / `-m integration` work."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from state.redis_server import ManagedRedis

TESTS_DIR = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        tier = Path(str(item.fspath)).relative_to(TESTS_DIR).parts[0]
        if tier in ("unit", "integration"):
            item.add_marker(getattr(pytest.mark, tier))


@pytest.fixture(scope="session")
def brain_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One on-disk cache of the offline backend's trained classifiers for the whole session."""
    from nodes.llm.brain import load_brain
    from state.settings import Settings

    cache = tmp_path_factory.mktemp("brain-cache")
    load_brain(Settings().data_dir, cache)
    return cache


@pytest.fixture(scope="session")
def managed_redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ManagedRedis]:
    """A real Redis 8 with RediSearch + RedisJSON, private to this test session."""
    server = ManagedRedis(tmp_path_factory.mktemp("redis-home"))
    server.ensure_running()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def redis_url(managed_redis: ManagedRedis) -> str:
    url = managed_redis.status().url
    assert url is not None
    return url
