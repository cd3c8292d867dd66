"""Entry points for `langgraph dev` / LangGraph Studio, named in `langgraph.json`.

* `make_graph` is the graph factory. The server calls it for every request that needs the
  graph (runs, state reads, schemas), so the compiled graph is built once per event loop and
  reused: the server gives each request its own `copy()` with the checkpointer attached. It is
  compiled without a checkpointer, as the server requires.
* `checkpointer` is the `checkpointer.path` target: an async context manager yielding the
  product's `SupportRedisSaver`, entered by the server once per thread that runs an event loop
  (normally once, at start-up) and closed at shutdown.

Both read the settings when called and use `REDIS_URL`, else the managed local Redis. Blocking
work (starting the managed Redis, training or loading the offline models, compiling the graph)
runs in a worker thread: `langgraph dev` rejects blocking calls on its event loop, and a 30 s
first training run would otherwise stall its health checks.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from langgraph.graph.state import CompiledStateGraph

from api.bootstrap import redis_deps, resolve_redis_url
from graphs.support import build_support_graph
from state.checkpoint.saver import SupportRedisSaver, open_checkpointer
from state.redis_clients import async_client
from state.settings import get_settings
from state.stores.audit import RedisAuditLog

SupportGraph = CompiledStateGraph[Any, Any, Any, Any]

_graphs: dict[asyncio.AbstractEventLoop, asyncio.Task[SupportGraph]] = {}
"""One build per event loop: the deps' Redis client belongs to the loop that opened it."""


async def _build_graph() -> SupportGraph:
    settings = get_settings()
    url = await asyncio.to_thread(resolve_redis_url, settings)
    client = async_client(url)  # lives as long as the cached graph, i.e. the process
    try:
        deps = await redis_deps(settings, client)
        return await asyncio.to_thread(build_support_graph, deps)
    except BaseException:
        await client.aclose()
        raise


async def make_graph() -> SupportGraph:
    """The support graph without a checkpointer (the server attaches its own)."""
    loop = asyncio.get_running_loop()
    build = _graphs.get(loop)
    if build is None or (build.done() and (build.cancelled() or build.exception())):
        build = _graphs[loop] = loop.create_task(_build_graph(), name="supportgraph-build")
    return await asyncio.shield(build)  # a cancelled request must not cancel the shared build


@asynccontextmanager
async def checkpointer() -> AsyncIterator[SupportRedisSaver]:
    """The Redis checkpointer that `langgraph dev` stores every thread's checkpoints in; a
    thread deleted in Studio takes its audit entries with it."""
    settings = get_settings()
    url = await asyncio.to_thread(resolve_redis_url, settings)
    async with open_checkpointer(url) as saver, async_client(url) as client:
        saver.thread_deleted = RedisAuditLog(client, settings.key_prefix).forget_thread
        yield saver
