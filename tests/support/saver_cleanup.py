"""Remove everything a test's Redis checkpointer wrote under its own key prefix."""

from __future__ import annotations

import redis.asyncio as aioredis
from langgraph.checkpoint.redis.aio import AsyncRedisSaver
from langgraph.checkpoint.redis.key_registry import CheckpointKeyRegistry
from redisvl.query import FilterQuery


async def purge_saver(redis_url: str, saver: AsyncRedisSaver, prefix: str) -> None:
    """Drop the saver's indexes and documents, its latest-pointers and its (unprefixed)
    per-checkpoint `write_keys_zset:*` registry keys."""
    async with aioredis.Redis.from_url(redis_url) as client:
        query = FilterQuery(return_fields=["thread_id", "checkpoint_ns", "checkpoint_id"])
        async for page in saver.checkpoint_writes_index.paginate(query, page_size=500):
            for row in page:
                await client.delete(
                    CheckpointKeyRegistry.make_write_keys_zset_key(
                        row["thread_id"], row["checkpoint_ns"], row["checkpoint_id"]
                    )
                )
        await saver.checkpoints_index.delete(drop=True)
        await saver.checkpoint_writes_index.delete(drop=True)
        async for key in client.scan_iter(match=f"{prefix}_*", count=1000):
            await client.delete(key)
