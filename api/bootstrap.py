"""Start-up wiring in one place: settings → Redis → saver → dependencies → graph.

The HTTP server, the CLI and the LangGraph Studio entry points all open the product through
these functions, so every surface runs the same graph on the same stores.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from langgraph.graph.state import CompiledStateGraph
from redis.asyncio import Redis

from graphs.deps import SupportDeps
from graphs.support import build_support_graph
from nodes.llm.examples import load_examples
from nodes.llm.provider import ModelProvider
from state.checkpoint.lifecycle import ThreadPolicy
from state.checkpoint.saver import SupportRedisSaver, open_checkpointer
from state.checkpoint.ttl import ThreadTtl
from state.redis_clients import async_client, sync_client
from state.redis_server import ManagedRedis
from state.settings import Settings
from state.stores.audit import RedisAuditLog
from state.stores.customers import CustomerDirectory
from state.stores.help_center import (
    HelpCenterEmbedder,
    HelpCenterEntry,
    MemoryHelpCenterIndex,
    RedisHelpCenterIndex,
    load_help_center,
)
from state.stores.jobs import RedisJobStore
from state.stores.records import MemoryRecordStore, RedisRecordStore
from state.stores.switches import RedisSwitchBoard
from state.stores.task_queue import TaskQueue


@dataclass
class SupportApp:
    graph: CompiledStateGraph[Any, Any, Any, Any]
    deps: SupportDeps
    checkpointer: SupportRedisSaver
    redis: Redis
    redis_url: str
    tasks: TaskQueue
    """The task queue (saq) that runs long-running jobs and webhook deliveries."""
    jobs: RedisJobStore


class UnsafeRedis(RuntimeError):
    """A Redis the product must not run on; the message says why and what to change."""


def require_noeviction(url: str) -> None:
    """Refuse a Redis that may evict keys: under `allkeys-lru` and friends a full Redis
    silently deletes threads, runs, pending approvals and committed actions."""
    with sync_client(url) as client:
        policy = str(client.info("memory").get("maxmemory_policy", "noeviction"))
    if policy != "noeviction":
        raise UnsafeRedis(
            f"Redis maxmemory-policy is {policy!r}; supportgraph needs 'noeviction': with an "
            "eviction policy a full Redis silently deletes conversations, runs, pending "
            "approvals and committed actions. Set `maxmemory-policy noeviction` (then a full "
            "Redis refuses writes, and the API answers 503 instead of losing data)."
        )


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
        shared_messages=settings.checkpoint_shared_messages,
    )


KOREAN_HELP_CENTER = "help_center.ko.yaml"


def korean_help_center(settings: Settings) -> dict[str, HelpCenterEntry]:
    """The help center in Korean, by entry id (the same ids as the English one)."""
    path = settings.data_dir / KOREAN_HELP_CENTER
    return {e.id: e for e in load_help_center(path)} if path.exists() else {}


def _help_center(settings: Settings) -> tuple[list[HelpCenterEntry], HelpCenterEmbedder]:
    entries = load_help_center(settings.data_dir / "help_center.yaml")
    phrasings: dict[str, list[str]] = defaultdict(list)
    for translated in korean_help_center(settings).values():
        # the whole Korean entry (question, Korean keywords, answer): Korean wording finds it
        phrasings[translated.id].append(translated.document())
    for example in load_examples(settings.data_dir / "training" / "examples.jsonl"):
        if example.faq_id:
            phrasings[example.faq_id].append(example.text)
    return entries, HelpCenterEmbedder(entries, phrasings)


def memory_deps(settings: Settings) -> SupportDeps:
    """Everything in process: for unit tests and quick experiments."""
    entries, embedder = _help_center(settings)
    return SupportDeps(
        models=ModelProvider(settings),
        help_center=MemoryHelpCenterIndex(entries, embedder),
        customers=CustomerDirectory.from_file(settings.data_dir / "customers.json"),
        records=MemoryRecordStore(),
        help_center_ko=korean_help_center(settings),
    )


def _audit_expiry(settings: Settings) -> int | None:
    """What a thread's audit entries expire with: the thread TTL its other keys get."""
    ttl = ThreadTtl.from_seconds(settings.thread_ttl_seconds)
    return ttl.expire_seconds if ttl else None


async def redis_deps(
    settings: Settings, client: Redis, jobs: RedisJobStore | None = None
) -> SupportDeps:
    """The product's wiring: help center index, records and jobs in Redis."""
    entries, embedder = _help_center(settings)
    index = RedisHelpCenterIndex(client, entries, embedder, prefix=settings.key_prefix)
    await index.ensure_built()
    return SupportDeps(
        models=ModelProvider(settings),
        help_center=index,
        customers=CustomerDirectory.from_file(settings.data_dir / "customers.json"),
        records=RedisRecordStore(client, prefix=settings.key_prefix),
        audit=RedisAuditLog(client, settings.key_prefix, _audit_expiry(settings)),
        switches=RedisSwitchBoard(client, prefix=settings.key_prefix),
        help_center_ko=korean_help_center(settings),
        jobs=jobs,
        diagnostic_seconds=settings.diagnostic_seconds,
        job_deadline_seconds=settings.job_deadline_seconds,
    )


@asynccontextmanager
async def open_support_app(settings: Settings) -> AsyncIterator[SupportApp]:
    url = resolve_redis_url(settings)
    require_noeviction(url)
    client = async_client(url)
    tasks = TaskQueue(url, settings)
    try:
        await tasks.connect()
        jobs = RedisJobStore(client, tasks, prefix=settings.key_prefix)
        async with open_checkpointer(url, thread_policy(settings)) as checkpointer:
            deps = await redis_deps(settings, client, jobs)
            graph = build_support_graph(deps, checkpointer=checkpointer)
            yield SupportApp(graph, deps, checkpointer, client, url, tasks, jobs)
    finally:
        await tasks.close()
        await client.aclose()
