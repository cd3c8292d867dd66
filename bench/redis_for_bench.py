"""The Redis a benchmark measures against: the one given, else a private managed one."""

from __future__ import annotations

import tempfile
from contextlib import AsyncExitStack, ExitStack
from pathlib import Path

from state.redis_server import ManagedRedis


def redis_for_bench(stack: ExitStack | AsyncExitStack, url: str | None, prefix: str) -> str:
    """`url` when given; else a managed Redis in a temporary home, stopped with `stack`."""
    if url is not None:
        return url
    home = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix=prefix)))
    server = ManagedRedis(home)
    started = server.ensure_running()
    stack.callback(server.stop)
    return started
