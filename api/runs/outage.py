"""Telling a Redis outage apart from a real failure, however deep the library wrapped it.

Redis being down or restarting is a reason to come back later (503, or a run that waits for
its turn), never a bug. The error reaches us as redis-py raised it, or wrapped by redisvl or
LangGraph (`raise ... from`), or inside an exception group from a task group.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

from redis.exceptions import (
    BusyLoadingError,
    ConnectionError,
    OutOfMemoryError,
    ResponseError,
    TimeoutError,
)

log = logging.getLogger(__name__)
T = TypeVar("T")
_RETRY_MIN, _RETRY_MAX = 0.05, 1.0

RETRY_AFTER_SECONDS = 1
"""What a 503 tells clients to wait before trying again: Redis restarts in about that long."""

UNAVAILABLE: tuple[type[Exception], ...] = (ConnectionError, TimeoutError, BusyLoadingError)


def _raised_with(exc: BaseException, matches: Callable[[BaseException], bool]) -> bool:
    """Whether `exc`, anything it was raised from, or anything it groups `matches`."""
    seen: set[int] = set()
    pending: list[BaseException] = [exc]
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if matches(current):
            return True
        if isinstance(current, BaseExceptionGroup):
            pending.extend(current.exceptions)
        pending.extend(e for e in (current.__cause__, current.__context__) if e is not None)
    return False


def storage_unavailable(exc: BaseException) -> bool:
    """Whether `exc`, or anything it was raised from or groups, says Redis is unreachable."""
    return _raised_with(exc, lambda e: isinstance(e, UNAVAILABLE))


def storage_full(exc: BaseException) -> bool:
    """Whether `exc`, or anything it was raised from, is Redis refusing a write for lack of
    memory (`OOM command not allowed`, under `noeviction`): come back later, like an outage."""
    return _raised_with(
        exc,
        lambda e: (
            isinstance(e, OutOfMemoryError)
            or (isinstance(e, ResponseError) and str(e).startswith("OOM"))
        ),
    )


async def patiently(step: Callable[[], Awaitable[T]]) -> T:
    """`step`'s result, asked again with backoff for as long as Redis is unavailable."""
    delay = _RETRY_MIN
    while True:
        try:
            return await step()
        except Exception as exc:
            if not storage_unavailable(exc):
                raise
        await asyncio.sleep(delay)
        delay = min(delay * 2, _RETRY_MAX)


class DeferredWrites:
    """Bookkeeping that must reach Redis but need not hold anyone up while Redis is away."""

    def __init__(self) -> None:
        self.tasks: set[asyncio.Task[None]] = set()
        self.run_ids: set[str] = set()
        """Runs whose end waits here to be recorded."""

    async def now_or_later(self, run_id: str, step: Callable[[], Awaitable[Any]]) -> None:
        """Write now, or, if Redis is unavailable, as soon as it is back (in the background)."""
        try:
            await step()
        except Exception as exc:
            if not storage_unavailable(exc):
                raise
            log.warning("run %s: Redis unavailable, recording it when Redis is back", run_id)
            self.run_ids.add(run_id)
            self.background(self._later(run_id, step), f"record:{run_id}")

    async def _later(self, run_id: str, step: Callable[[], Awaitable[Any]]) -> None:
        try:
            await patiently(step)
        finally:
            self.run_ids.discard(run_id)

    def background(self, work: Coroutine[Any, Any, Any], name: str) -> None:
        """Run `work` holding a reference to it, so it is neither collected nor lost."""

        async def logged() -> None:
            try:
                await work
            except Exception:
                log.exception("%s failed", name)

        task = asyncio.create_task(logged(), name=name)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def stop(self) -> None:
        """Give up on what is left (the process is stopping; another adopts its runs)."""
        pending = list(self.tasks)
        for task in pending:
            task.cancel()
        for task in pending:
            with contextlib.suppress(asyncio.CancelledError):
                await task
