"""What the graph's nodes and tools work with, built once per process."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from redis.asyncio import Redis

from nodes.llm.examples import load_examples
from nodes.llm.provider import ModelProvider
from state.customers import CustomerDirectory
from state.help_center import (
    HelpCenterEmbedder,
    HelpCenterEntry,
    HelpCenterIndex,
    MemoryHelpCenterIndex,
    RedisHelpCenterIndex,
    load_help_center,
)
from state.records import MemoryRecordStore, RecordStore, RedisRecordStore
from state.settings import Settings


@dataclass
class SupportDeps:
    models: ModelProvider
    help_center: HelpCenterIndex
    customers: CustomerDirectory
    records: RecordStore
    help_center_ko: dict[str, HelpCenterEntry] = field(default_factory=dict)
    """The same entries in Korean, by id, for customers who write in Korean."""


KOREAN_HELP_CENTER = "help_center.ko.yaml"


def korean_help_center(settings: Settings) -> dict[str, HelpCenterEntry]:
    path = settings.data_dir / KOREAN_HELP_CENTER
    return {e.id: e for e in load_help_center(path)} if path.exists() else {}


def _help_center(settings: Settings) -> tuple[list[HelpCenterEntry], HelpCenterEmbedder]:
    entries = load_help_center(settings.data_dir / "help_center.yaml")
    phrasings: dict[str, list[str]] = defaultdict(list)
    for translated in korean_help_center(settings).values():
        phrasings[translated.id].append(translated.question)
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
        help_center_ko=korean_help_center(settings),
    )
