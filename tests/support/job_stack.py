"""A private Redis, one API server and one task-queue worker, as real processes.

A stack is shared by a test module; fault tests kill and restart its parts through it.
Diagnostics take `DIAGNOSTIC_SECONDS` and heartbeats are short, so a dead worker's job is
retried within seconds.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import httpx

from state.redis_server import ManagedRedis, free_port
from tests.support.api_server import ApiServer
from tests.support.queue_worker import QueueWorker

DIAGNOSTIC_SECONDS = 3.0
WEBHOOK_SECRET = "test-webhook-secret"
STACK_ENV = {
    "SUPPORTGRAPH_DIAGNOSTIC_SECONDS": str(DIAGNOSTIC_SECONDS),
    "SUPPORTGRAPH_ESIM_ACTIVATION_SECONDS": "1",
    "SUPPORTGRAPH_JOB_HEARTBEAT_SECONDS": "1",
    "SUPPORTGRAPH_JOB_DEADLINE_SECONDS": "60",
    "SUPPORTGRAPH_WEBHOOK_SECRET": WEBHOOK_SECRET,
    "SUPPORTGRAPH_WEBHOOK_ALLOWED_HOSTS": "127.0.0.1",
    "SUPPORTGRAPH_WEBHOOK_RETRY_DELAY_SECONDS": "0.5",
}

T = TypeVar("T")


@dataclass
class Stack:
    redis: ManagedRedis
    server: ApiServer
    worker: QueueWorker
    redis_url: str

    def restart_worker(self) -> None:
        self.worker.kill()
        self.worker.start()


def make_stack(tmp: Path, cache: Path, env: dict[str, str]) -> Stack:
    redis = ManagedRedis(tmp / "redis", port=free_port())
    url = redis.ensure_running()
    server = ApiServer(url, cache, log_path=tmp / "server.log", env=env).start()
    worker = QueueWorker(url, cache, tmp / "worker.log", env=env).start()
    return Stack(redis, server, worker, url)


def stop_stack(stack: Stack) -> None:
    stack.worker.stop()
    stack.server.stop()
    stack.redis.stop()


@contextmanager
def running_stack(tmp: Path, cache: Path, env: dict[str, str]) -> Iterator[Stack]:
    """A stack started in `tmp` with `env`, stopped when the block ends (the job fixtures)."""
    stack = make_stack(tmp, cache, env)
    try:
        yield stack
    finally:
        stop_stack(stack)


def stack_http(stack: Stack) -> httpx.AsyncClient:
    """Plain HTTP to the stack's server, to open with `async with`."""
    return httpx.AsyncClient(base_url=stack.server.url, timeout=60)


async def eventually(
    check: Callable[[], Awaitable[T | None]], within: float = 60.0, every: float = 0.2
) -> T:
    """Poll `check` until it returns something truthy, tolerating a server that is restarting."""
    deadline = time.monotonic() + within
    last: BaseException | None = None
    while time.monotonic() < deadline:
        try:
            found = await check()
            if found:
                return found
        except (httpx.TransportError, httpx.HTTPStatusError) as exc:
            last = exc
        await asyncio.sleep(every)
    raise AssertionError(f"condition not met within {within}s (last error: {last!r})")
