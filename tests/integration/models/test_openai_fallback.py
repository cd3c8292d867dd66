"""The `openai` backend with its endpoint down: turns fall back to the offline backend, and the
state says so. A request the endpoint refuses as wrong is not hidden behind the fallback.

Real `ChatOpenAI` HTTP calls: against a closed port, and against the scripted stub server.
"""

from __future__ import annotations

import socket
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from uuid import uuid4

import openai
import pytest

from api.bootstrap import SupportApp, open_support_app
from api.turns import send_message, thread_config
from state.settings import Settings
from tests.support.openai_stub import OpenAIStub

API_KEY = "test-key"


def closed_port() -> int:
    """A local port that nothing listens on: connections to it are refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def settings(base_url: str, redis_url: str, cache_dir: Path) -> Settings:
    return Settings(
        model_backend="openai",
        openai_api_key=API_KEY,
        openai_base_url=base_url,
        openai_timeout_seconds=5,
        redis_url=redis_url,
        cache_dir=cache_dir,
        key_prefix=f"fb{uuid4().hex[:8]}",
    )


@pytest.fixture
async def app_without_endpoint(redis_url: str, brain_cache_dir: Path) -> AsyncIterator[SupportApp]:
    down = f"http://127.0.0.1:{closed_port()}/v1"
    async with open_support_app(settings(down, redis_url, brain_cache_dir)) as app:
        yield app


async def test_a_turn_falls_back_to_the_offline_backend_and_records_it(
    app_without_endpoint: SupportApp,
) -> None:
    thread = f"fallback-{uuid4().hex}"

    turn = await send_message(app_without_endpoint.graph, thread, "What is my balance?", "C-1006")

    assert (turn.status, turn.route) == ("resolved", "billing")
    assert turn.answer is not None and "balance" in turn.answer.lower()
    values = (await app_without_endpoint.graph.aget_state(thread_config(thread))).values
    assert values["fallback_backend"] == "offline"
    assert values["model_fallbacks"] == ["guardrail", "router", "billing"]

    # The endpoint is now known to be down: the next turn does not wait on it again, and its
    # own record starts afresh.
    started = time.perf_counter()
    again = await send_message(app_without_endpoint.graph, thread, "Which plan am I on?", "C-1006")
    assert time.perf_counter() - started < 2.5  # a retried connection alone takes over 1 s
    assert (again.status, again.route) == ("resolved", "account")
    values = (await app_without_endpoint.graph.aget_state(thread_config(thread))).values
    assert values["model_fallbacks"] == ["guardrail", "router", "account"]


@pytest.fixture(scope="module")
def refusing_stub() -> Iterator[OpenAIStub]:
    stub = OpenAIStub().start()  # with no rules, every request is answered 400
    yield stub
    stub.stop()


async def test_a_request_the_endpoint_rejects_is_not_hidden_by_the_fallback(
    refusing_stub: OpenAIStub, redis_url: str, brain_cache_dir: Path
) -> None:
    config = settings(refusing_stub.base_url, redis_url, brain_cache_dir)
    async with open_support_app(config) as app:
        with pytest.raises(openai.BadRequestError):
            await send_message(app.graph, f"fallback-{uuid4().hex}", "What is my balance?", None)

    assert len(refusing_stub.requests) == 1  # neither retried nor answered offline
