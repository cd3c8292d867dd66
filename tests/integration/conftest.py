"""One real `supportgraph serve` per test module (on the session's Redis), and the clients
that talk to it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from langgraph_sdk import get_client
from langgraph_sdk.client import LangGraphClient

from tests.support.api_server import ApiServer


@pytest.fixture(scope="module")
def server(
    redis_url: str, brain_cache_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ApiServer]:
    api = ApiServer(
        redis_url, brain_cache_dir, log_path=tmp_path_factory.mktemp("api") / "server.log"
    )
    api.start()
    yield api
    api.stop()


@pytest.fixture
async def client(server: ApiServer) -> AsyncIterator[LangGraphClient]:
    sdk = get_client(url=server.url)
    yield sdk
    await sdk.http.client.aclose()


@pytest.fixture
async def http(server: ApiServer) -> AsyncIterator[httpx.AsyncClient]:
    """Plain HTTP, for what a browser or a proxy sends that the SDK never would."""
    async with httpx.AsyncClient(base_url=server.url, timeout=60) as plain:
        yield plain
