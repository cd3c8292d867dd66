"""Where a thread's checkpointer keys are: found through the two search indexes.

A thread owns, per namespace, its checkpoint documents, their pending-write documents, one
`write_keys_zset:*` registry per checkpoint with writes (named without the saver's prefix), and
a latest pointer. `ThreadIndexSaver` lists them, counts them and copies documents under another
thread id, without touching their expiry.
"""

from __future__ import annotations

from contextlib import aclosing
from dataclasses import dataclass
from typing import Any

import orjson
from langgraph.checkpoint.redis.aio import AsyncRedisSaver
from langgraph.checkpoint.redis.key_registry import CheckpointKeyRegistry
from langgraph.checkpoint.redis.util import (
    from_storage_safe_id,
    from_storage_safe_str,
    to_storage_safe_id,
)
from redisvl.query import CountQuery, FilterQuery
from redisvl.query.filter import FilterExpression, Tag

from state.redis_text import text

_PAGE = 1000
_COPY_BATCH = 100


@dataclass(frozen=True)
class Stored:
    """One document as the index has it (ids and namespace in their stored form)."""

    key: str
    namespace: str
    checkpoint_id: str
    run_id: str = ""


class ThreadIndexSaver(AsyncRedisSaver):
    """A thread's keys, from the indexes (ids and namespaces as stored)."""

    expire_seconds: int | None = None
    """Expiry given to the documents `_copy_documents` writes; None for none."""

    async def acount_checkpoints(self, thread_id: str) -> int:
        """How many checkpoints the thread has in all namespaces (does not refresh its TTL)."""
        query = CountQuery(Tag("thread_id") == to_storage_safe_id(thread_id))
        count: int = await self.checkpoints_index.query(query)
        return count

    async def athread_keys(self, thread_id: str) -> list[str]:
        """Every key the thread owns: checkpoints, writes, write registries, latest pointers."""
        safe = to_storage_safe_id(thread_id)
        stored = await self._stored(safe)
        keys = [s.key for s in stored] + [w.key for w in await self._writes(safe)]
        keys += [self._registry(thread_id, s) for s in stored]
        keys += [self._latest(thread_id, ns) for ns in sorted({s.namespace for s in stored})]
        return keys

    async def _copy_documents(self, keys: list[str], target_thread_id: str) -> dict[str, str]:
        """Copy JSON documents under the target thread; returns {source key: copy's key}."""
        renamed: dict[str, str] = {}
        safe_target = to_storage_safe_id(target_thread_id)
        expire = self.expire_seconds
        for start in range(0, len(keys), _COPY_BATCH):
            batch = keys[start : start + _COPY_BATCH]
            async with self._redis.pipeline(transaction=False) as pipe:
                for key in batch:
                    pipe.execute_command("JSON.GET", key)
                raws = await pipe.execute()
            async with self._redis.pipeline(transaction=False) as pipe:
                for key, raw in zip(batch, raws, strict=True):
                    if raw is None:
                        continue  # deleted since the index was read
                    document = document_of(raw)
                    document["thread_id"] = safe_target
                    copy = self._copy_key(target_thread_id, document)
                    renamed[key] = copy
                    pipe.execute_command("JSON.SET", copy, "$", orjson.dumps(document))
                    if expire:
                        pipe.expire(copy, expire)
                await pipe.execute()
        return renamed

    def _copy_key(self, thread_id: str, document: dict[str, Any]) -> str:
        namespace = from_storage_safe_str(document["checkpoint_ns"])
        checkpoint_id = from_storage_safe_id(document["checkpoint_id"])
        if "task_id" in document:
            return str(
                self._make_redis_checkpoint_writes_key(
                    thread_id, namespace, checkpoint_id, document["task_id"], document["idx"]
                )
            )
        return str(self._make_redis_checkpoint_key(thread_id, namespace, checkpoint_id))

    async def _stored(self, safe_thread_id: str) -> list[Stored]:
        """The thread's checkpoints, newest first."""
        fields = ["checkpoint_ns", "checkpoint_id", "run_id"]
        rows = await self._rows(Tag("thread_id") == safe_thread_id, fields)
        stored = [
            Stored(row["id"], row["checkpoint_ns"], row["checkpoint_id"], row.get("run_id", ""))
            for row in rows
        ]
        return sorted(stored, key=lambda s: s.checkpoint_id, reverse=True)

    async def _writes(self, safe_thread_id: str) -> list[Stored]:
        rows = await self._rows(
            Tag("thread_id") == safe_thread_id, ["checkpoint_ns", "checkpoint_id"], writes=True
        )
        return [Stored(row["id"], row["checkpoint_ns"], row["checkpoint_id"]) for row in rows]

    async def _rows(
        self, expression: FilterExpression, fields: list[str], *, writes: bool = False
    ) -> list[dict[str, Any]]:
        index = self.checkpoint_writes_index if writes else self.checkpoints_index
        query = FilterQuery(filter_expression=expression, return_fields=fields, num_results=_PAGE)
        found: list[dict[str, Any]] = []
        pages = index.paginate(query, page_size=_PAGE)
        async with aclosing(pages):
            async for page in pages:
                found.extend(page)
        return found

    def _registry(self, thread_id: str, stored: Stored) -> str:
        return CheckpointKeyRegistry.make_write_keys_zset_key(
            thread_id, stored.namespace, stored.checkpoint_id
        )

    def _latest(self, thread_id: str, namespace: str) -> str:
        return str(
            self._make_redis_checkpoint_latest_key(thread_id, from_storage_safe_str(namespace))
        )


def document_of(raw: Any) -> dict[str, Any]:
    """A `JSON.GET` reply: text, or already decoded once the client has registered redis-py's
    JSON response callbacks (the library's `json()` helper does that on first use)."""
    document: dict[str, Any] = raw if isinstance(raw, dict) else orjson.loads(raw)
    return document


def member(item: tuple[Any, float]) -> tuple[str, float]:
    return text(item[0]), item[1]
