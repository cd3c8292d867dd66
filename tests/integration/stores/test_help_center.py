"""The help-center KNN search returns what redisvl's `VectorQuery` returns, whichever protocol
the client speaks (redis-py's default, RESP2, RESP3 without legacy responses)."""

from __future__ import annotations

from collections import defaultdict
from uuid import uuid4

import pytest
from redis.asyncio import Redis
from redisvl.query import VectorQuery

from nodes.llm.examples import load_examples
from state.settings import Settings
from state.stores.help_center import HelpCenterEmbedder, RedisHelpCenterIndex, load_help_center

QUERIES = (
    "How do I reset my voicemail PIN?",
    "what does roaming in canada cost",
    "my internet is down",
    "can I pay my bill late",
    "the and of",
    "eSIM",
)


def by_score(ranked: list[tuple[str, float]]) -> list[tuple[float, frozenset[str] | int]]:
    """The ranking as groups of equal score: entries tied at a score may come in any order, and
    at the cut-off which of several tied entries make the top k is arbitrary (only how many)."""
    groups: dict[float, set[str]] = defaultdict(set)
    for faq_id, score in ranked:
        groups[round(score, 6)].add(faq_id)
    ordered = sorted(groups.items(), reverse=True)
    return [
        (score, len(ids) if index == len(ordered) - 1 else frozenset(ids))
        for index, (score, ids) in enumerate(ordered)
    ]


@pytest.mark.parametrize("protocol", [None, 2, 3])
async def test_search_matches_redisvl(redis_url: str, protocol: int | None) -> None:
    settings = Settings(model_backend="offline", redis_url=redis_url)
    entries = load_help_center(settings.data_dir / "help_center.yaml")
    phrasings: dict[str, list[str]] = defaultdict(list)
    for example in load_examples(settings.data_dir / "training" / "examples.jsonl"):
        if example.faq_id:
            phrasings[example.faq_id].append(example.text)
    embedder = HelpCenterEmbedder(entries, phrasings)
    prefix = f"hcs{uuid4().hex[:8]}"
    async with (
        Redis.from_url(redis_url) as default_client,
        Redis.from_url(redis_url, protocol=protocol) as client,
    ):
        reference = RedisHelpCenterIndex(default_client, entries, embedder, prefix=prefix)
        index = RedisHelpCenterIndex(client, entries, embedder, prefix=prefix)
        await index.ensure_built()
        try:
            for query in QUERIES:
                found = await index.search(query, k=4)
                vector = embedder.embed([query])[0]
                expected = []
                if vector.any():
                    rows = await reference._index.query(  # redisvl needs the default protocol
                        VectorQuery(
                            vector=vector.tobytes(),
                            vector_field_name="embedding",
                            return_fields=["faq_id"],
                            num_results=4,
                        )
                    )
                    expected = [(r["faq_id"], 1.0 - float(r["vector_distance"])) for r in rows]
                ours = [(r.entry.id, r.score) for r in found]
                assert by_score(ours) == by_score(expected), query
                assert len(found) == (4 if vector.any() else 0)
        finally:
            await index._index.delete(drop=True)
            await client.delete(f"{prefix}:faq-index:fingerprint")
