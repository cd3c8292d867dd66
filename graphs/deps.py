"""What the graph's nodes and tools work with, built once per process."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from redis.asyncio import Redis

from nodes.llm.examples import load_examples
from nodes.llm.provider import ModelProvider
from state.settings import Settings
from state.stores.customers import CustomerDirectory
from state.stores.help_center import (
    HelpCenterEmbedder,
    HelpCenterEntry,
    HelpCenterIndex,
    MemoryHelpCenterIndex,
    RedisHelpCenterIndex,
    load_help_center,
)
from state.stores.records import MemoryRecordStore, RecordStore, RedisRecordStore


@dataclass
class SupportDeps:
    models: ModelProvider
    help_center: HelpCenterIndex
    customers: CustomerDirectory
    records: RecordStore


def _help_center(settings: Settings) -> tuple[list[HelpCenterEntry], HelpCenterEmbedder]:
    entries = load_help_center(settings.data_dir / "help_center.yaml")
    phrasings: dict[str, list[str]] = defaultdict(list)
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
    )


async def redis_deps(settings: Settings, client: Redis) -> SupportDeps:
    """The product's wiring: help center index and records in Redis."""
    entries, embedder = _help_center(settings)
    index = RedisHelpCenterIndex(client, entries, embedder, prefix=settings.key_prefix)
    await index.ensure_built()
    return SupportDeps(
        models=ModelProvider(settings),
        help_center=index,
        customers=CustomerDirectory.from_file(settings.data_dir / "customers.json"),
        records=RedisRecordStore(client, prefix=settings.key_prefix),
    )
