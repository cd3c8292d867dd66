"""Redis that would lose data is refused; a full Redis is a 503; the managed Redis is private.

A private managed Redis per test (the shared one must not be reconfigured under others).
"""

from __future__ import annotations

import stat
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import redis

from state.redis_server import ManagedRedis
from tests.support.api_server import ApiServer


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[ManagedRedis]:
    server = ManagedRedis(tmp_path / "redis")
    server.ensure_running()
    yield server
    server.stop()


def url_of(server: ManagedRedis) -> str:
    url = server.status().url
    assert url is not None
    return url


def test_the_managed_redis_needs_its_password_and_keeps_its_files_private(
    private_redis: ManagedRedis,
) -> None:
    url = url_of(private_redis)
    port = url.rsplit(":", 1)[1].split("/")[0]
    with (
        redis.Redis(host="127.0.0.1", port=int(port)) as anonymous,
        pytest.raises(redis.AuthenticationError),
    ):
        anonymous.set("k", "v")
    with redis.Redis.from_url(url) as client:
        client.set("k", "v")
        client.bgrewriteaof()
    home = private_redis.home
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    files = [p for p in home.rglob("*") if p.is_file()]
    assert any("appendonly" in str(p) for p in files)
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_a_redis_that_evicts_keys_is_refused_at_start(
    private_redis: ManagedRedis, brain_cache_dir: Path, tmp_path: Path
) -> None:
    url = url_of(private_redis)
    with redis.Redis.from_url(url) as client:
        client.config_set("maxmemory-policy", "allkeys-lru")
    server = ApiServer(url, brain_cache_dir, log_path=tmp_path / "server.log")
    with pytest.raises(RuntimeError):
        server.start()
    assert "noeviction" in server.logs()


async def test_a_full_redis_answers_503(
    private_redis: ManagedRedis, brain_cache_dir: Path, tmp_path: Path
) -> None:
    url = url_of(private_redis)
    server = ApiServer(url, brain_cache_dir, log_path=tmp_path / "server.log").start()
    try:
        with redis.Redis.from_url(url) as client:
            client.config_set("maxmemory", "1")
        async with httpx.AsyncClient(base_url=server.url, timeout=60) as http:
            response = await http.post("/threads", json={})
            assert response.status_code == 503, response.text
            assert response.headers["Retry-After"]
            with redis.Redis.from_url(url) as client:
                client.config_set("maxmemory", "0")
            assert (await http.post("/threads", json={})).status_code == 200
    finally:
        server.stop()
