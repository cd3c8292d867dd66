"""Fixtures shared by the integration tiers: the session's Redis through a plain client and
an empty refund ledger per test; `supportgraph serve` processes shared by a module, SDK and
plain HTTP clients of them; servers on a test's own Redis."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
import redis
import redis.asyncio as aioredis
from langgraph_sdk import get_client
from langgraph_sdk.client import LangGraphClient
from redis.exceptions import RedisError

from state.redis_server import ManagedRedis, free_port
from tests.support.api_server import ApiServer, Connect, StartServer


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


@pytest.fixture(scope="module")
def start_server(
    redis_url: str, brain_cache_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[StartServer]:
    """Start `supportgraph serve` processes on the session's Redis, each with the settings
    given as environment variables (`start_server(SUPPORTGRAPH_...="...")`), its API keys
    (`api_keys=json.dumps(...)`) and its number of workers; all of them stop when the
    module's tests are done."""
    logs = tmp_path_factory.mktemp("api")
    started: list[ApiServer] = []

    def start(*, api_keys: str = "", workers: int = 1, **env: str) -> ApiServer:
        server = ApiServer(
            redis_url,
            brain_cache_dir,
            workers=workers,
            api_keys=api_keys,
            log_path=logs / f"server-{len(started)}.log",
        )
        with pytest.MonkeyPatch.context() as patch:
            for name, value in env.items():
                patch.setenv(name, value)
            started.append(server.start())
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture(scope="module")
def server_env() -> dict[str, str]:
    """The settings of the module's `server`, as environment variables: a module that wants
    others overrides this fixture."""
    return {}


@pytest.fixture(scope="module")
def server(start_server: StartServer, server_env: dict[str, str]) -> ApiServer:
    """One server on the session's Redis, shared by the module's tests."""
    return start_server(**server_env)


@pytest.fixture
async def connect() -> AsyncIterator[Connect]:
    """Open `langgraph_sdk` clients on a server (`connect(server, timeout=60)`); all of them
    are closed after the test."""
    opened: list[LangGraphClient] = []

    def open_client(server: ApiServer, timeout: float | None = None) -> LangGraphClient:
        opened.append(get_client(url=server.url, timeout=timeout))
        return opened[-1]

    yield open_client
    for sdk in opened:
        await sdk.http.client.aclose()


@pytest.fixture
def client(server: ApiServer, connect: Connect) -> LangGraphClient:
    """A client of the module's shared `server`."""
    return connect(server)


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[ManagedRedis]:
    """This test's own Redis: nothing in it but what the test wrote. Its port is fixed (a
    ManagedRedis picks a new free port on every start unless given one), so its URL stays
    valid across a restart."""
    server = ManagedRedis(tmp_path / "redis", port=free_port())
    server.ensure_running()
    yield server
    server.stop()


@pytest.fixture
def private_server(
    private_redis: ManagedRedis, brain_cache_dir: Path, tmp_path: Path
) -> Iterator[ApiServer]:
    """A server on this test's own Redis."""
    url = private_redis.status().url
    assert url is not None
    server = ApiServer(url, brain_cache_dir, log_path=tmp_path / "server.log").start()
    yield server
    server.stop()


@pytest.fixture
def private_client(private_server: ApiServer, connect: Connect) -> LangGraphClient:
    """A client of this test's `private_server`."""
    return connect(private_server, timeout=60)


@pytest.fixture
async def http(server: ApiServer) -> AsyncIterator[httpx.AsyncClient]:
    """Plain HTTP, for what a browser or a proxy sends that the SDK never would."""
    async with httpx.AsyncClient(base_url=server.url, timeout=60) as plain:
        yield plain
