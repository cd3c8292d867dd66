"""Open the product once per process: Redis, checkpointer, dependencies, compiled graph."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from langgraph.graph.state import CompiledStateGraph
from redis.asyncio import Redis

from graphs.deps import SupportDeps, redis_deps
from graphs.support import build_support_graph
from state.checkpoint.lifecycle import ThreadPolicy
from state.checkpoint.saver import SupportRedisSaver, open_checkpointer
from state.checkpoint.ttl import ThreadTtl
from state.redis_server import ManagedRedis
from state.settings import Settings


@dataclass
class SupportApp:
    graph: CompiledStateGraph[Any, Any, Any, Any]
    deps: SupportDeps
    checkpointer: SupportRedisSaver
    redis: Redis
    redis_url: str


def resolve_redis_url(settings: Settings) -> str:
    """REDIS_URL when set, else the managed local Redis (started if it is not running)."""
    if settings.redis_url:
        return settings.redis_url
    return ManagedRedis(settings.redis_home, settings.redis_port).ensure_running()


def thread_policy(settings: Settings) -> ThreadPolicy:
    """How the checkpointer keeps threads, from the settings."""
    return ThreadPolicy(
        ttl=ThreadTtl.from_seconds(settings.thread_ttl_seconds),
        keep_last=settings.checkpoint_keep_last,
        compact=settings.compact_checkpoints,
    )


@asynccontextmanager
async def open_support_app(settings: Settings) -> AsyncIterator[SupportApp]:
    url = resolve_redis_url(settings)
    client = Redis.from_url(url)
    try:
        async with open_checkpointer(url, thread_policy(settings)) as checkpointer:
            deps = await redis_deps(settings, client)
            graph = build_support_graph(deps, checkpointer=checkpointer)
            yield SupportApp(graph, deps, checkpointer, client, url)
    finally:
        await client.aclose()
