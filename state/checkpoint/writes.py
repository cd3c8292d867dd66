"""Checkpoint writes without redisvl and redis-py's JSON helper in the way.

`AsyncRedisSaver` 0.5.2 writes a checkpoint through redisvl's `load` (a pipeline, an argument
check that inspects signatures, a redis-py JSON helper, the standard-library JSON encoder) and
each pending write through a JSON helper of its own, which re-registers ~30 response callbacks
on the client every time it is built. That bookkeeping was most of the cost of a checkpoint.
`LeanWritesSaver` stores the same documents under the same keys, with the same TTLs, latest
pointer, `has_writes` flag and key registry, in the library's order, sending each document as a
raw `JSON.SET`. Cluster mode keeps the library's path.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Sequence
from typing import Any, cast

import orjson
from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import (
    WRITES_IDX_MAP,
    ChannelVersions,
    Checkpoint,
    CheckpointMetadata,
    get_checkpoint_metadata,
)
from langgraph.checkpoint.redis.aio import AsyncRedisSaver
from langgraph.checkpoint.redis.util import to_storage_safe_id, to_storage_safe_str
from redisvl.exceptions import RedisVLError
from ulid import ULID


def _json(document: dict[str, Any]) -> bytes | str:
    """A document as the JSON text `JSON.SET` takes (orjson; the standard library for the
    rare value orjson refuses, as redis-py's own encoder would take it)."""
    try:
        return orjson.dumps(document)
    except TypeError:
        return json.dumps(document)


def _checkpoint_ts(checkpoint_id: str) -> Any:
    """The index's `checkpoint_ts`, as the library sets it: a ULID's time, else now (ms)."""
    if not checkpoint_id:
        return None
    try:
        return ULID.from_str(checkpoint_id).timestamp
    except Exception:
        return time.time() * 1000


class LeanWritesSaver(AsyncRedisSaver):
    """`AsyncRedisSaver` whose `aput` and `aput_writes` store the library's documents with
    less per-call overhead (see module docstring)."""

    async def aput(
        self,
        config: RunnableConfig,
        checkpoint: Checkpoint,
        metadata: CheckpointMetadata,
        new_versions: ChannelVersions,
        stream_mode: str = "values",
    ) -> RunnableConfig:
        """Store a checkpoint: the library's document, key, TTL and latest pointer, in the
        library's order, with the document sent as one raw `JSON.SET`.

        The library writes it through redisvl's `load` (a pipeline, an argument check that
        inspects signatures, a redis-py JSON helper that re-registers its response callbacks
        on every use, and the standard-library encoder): about half of a checkpoint's cost.
        Cluster mode keeps the library's path.

        The metadata stored is the loop's merged with the run's (`run_id`, the assistant, the
        caller's metadata), as LangGraph's own savers store it; the library drops the run's,
        which left a retried run unable to tell its own checkpoints from the previous run's
        (LangGraph resumes a run whose id the newest checkpoint carries) and gave rollbacks
        nothing to delete.
        """
        metadata = get_checkpoint_metadata(config, metadata)
        if self.cluster_mode:
            return await super().aput(config, checkpoint, metadata, new_versions, stream_mode)
        configurable = dict(config["configurable"])
        run_id = configurable.pop("run_id", metadata.get("run_id"))
        thread_id = configurable.pop("thread_id")
        checkpoint_ns = configurable.pop("checkpoint_ns")
        config_checkpoint_id = configurable.pop("checkpoint_id", None)
        checkpoint_id = config_checkpoint_id or configurable.pop("thread_ts", "")
        checkpoint_id = checkpoint_id or checkpoint.get("id", "")
        parent_checkpoint_id = None
        if checkpoint.get("id") and config_checkpoint_id and checkpoint["id"] != checkpoint_id:
            parent_checkpoint_id, checkpoint_id = config_checkpoint_id, checkpoint["id"]
        key = self._make_redis_checkpoint_key_cached(thread_id, checkpoint_ns, checkpoint_id)
        document: dict[str, Any] = {
            "thread_id": to_storage_safe_id(thread_id),
            "run_id": to_storage_safe_id(run_id) if run_id else "",
            "checkpoint_ns": to_storage_safe_str(checkpoint_ns),
            "checkpoint_id": to_storage_safe_id(checkpoint_id),
            "parent_checkpoint_id": (
                to_storage_safe_id(parent_checkpoint_id) if parent_checkpoint_id else ""
            ),
        }
        try:
            document |= {
                "checkpoint_ts": _checkpoint_ts(checkpoint_id),
                "checkpoint": self._dump_checkpoint(checkpoint.copy()),
                "metadata": self._dump_metadata(metadata),
                "has_writes": False,
            }
            if "source" in metadata and "step" in metadata:
                document |= {"source": metadata["source"], "step": metadata["step"]}
            latest = self._make_redis_checkpoint_latest_key(thread_id, checkpoint_ns)
            await self._store_checkpoint(key, latest, _json(document))
        except asyncio.CancelledError:
            if stream_mode in ("values", "messages"):
                await self._aput_interrupted(key, document, checkpoint, metadata, stream_mode)
            raise
        return {
            "configurable": {
                "thread_id": thread_id,
                "checkpoint_ns": checkpoint_ns,
                "checkpoint_id": checkpoint_id,
            }
        }

    async def _store_checkpoint(self, key: str, latest: str, document: bytes | str) -> None:
        """The document, its expiry and the latest pointer, in one round trip."""
        ttl = self._ttl_seconds()
        async with self._redis.pipeline(transaction=False) as pipeline:
            pipeline.execute_command("JSON.SET", key, "$", document)
            if ttl:
                pipeline.expire(key, ttl)
            pipeline.set(latest, key, ex=ttl or None)
            results = await pipeline.execute(raise_on_error=False)
        if isinstance(results[0], Exception):  # raised as the library's `load` raises it
            raise RedisVLError(f"Failed to load data: {results[0]}") from results[0]
        for result in results[1:]:
            if isinstance(result, Exception):
                raise result

    def _ttl_seconds(self) -> int | None:
        if self.ttl_config and "default_ttl" in self.ttl_config:
            return int(self.ttl_config["default_ttl"] * 60)
        return None

    async def _aput_interrupted(
        self,
        key: str,
        document: dict[str, Any],
        checkpoint: Checkpoint,
        metadata: CheckpointMetadata,
        stream_mode: str,
    ) -> None:
        """What the library stores when a put is cancelled: the checkpoint, its metadata
        marked interrupted, no index timestamp and no latest pointer (best-effort)."""
        try:
            interrupted = {**metadata, "interrupted": True, "stream_mode": stream_mode}
            marked = cast(CheckpointMetadata, interrupted)
            partial = {
                **{k: document[k] for k in ("thread_id", "run_id", "checkpoint_ns")},
                "checkpoint_id": document["checkpoint_id"],
                "parent_checkpoint_id": "",
                "checkpoint": self._dump_checkpoint(checkpoint.copy()),
                "metadata": self._dump_metadata(marked),
                "has_writes": False,
            }
            async with self._redis.pipeline(transaction=False) as pipeline:
                pipeline.execute_command("JSON.SET", key, "$", _json(partial))
                await pipeline.execute()
            await self._apply_ttl_to_keys(key)
        except Exception:
            pass  # the cancellation is what the caller needs to see

    async def aput_writes(
        self,
        config: RunnableConfig,
        writes: Sequence[tuple[str, Any]],
        task_id: str,
        task_path: str = "",
    ) -> None:
        """Store a task's writes as the library does (documents, `has_writes` flag, key
        registry, TTL), with each document sent as a raw `JSON.SET`.

        The library builds a redis-py JSON helper per write, which re-registers ~30 response
        callbacks each time: most of the cost of a checkpoint's ~15 writes. Cluster mode keeps
        the library's path.
        """
        if self.cluster_mode or not writes:
            await super().aput_writes(config, writes, task_id, task_path)
            return
        thread_id = config["configurable"]["thread_id"]
        checkpoint_ns = config["configurable"].get("checkpoint_ns", "")
        checkpoint_id = config["configurable"]["checkpoint_id"]
        created: list[str] = []
        commands: list[tuple[Any, ...]] = []
        for position, (channel, value) in enumerate(writes):
            type_, blob = self.serde.dumps_typed(value)
            idx = WRITES_IDX_MAP.get(channel, position)
            document = {
                "thread_id": to_storage_safe_id(thread_id),
                "checkpoint_ns": to_storage_safe_str(checkpoint_ns),
                "checkpoint_id": to_storage_safe_id(checkpoint_id),
                "task_id": task_id,
                "task_path": task_path,
                "idx": idx,
                "channel": channel,
                "type": type_,
                "blob": self._encode_blob(blob),
            }
            key = self._make_redis_checkpoint_writes_key_cached(
                thread_id, checkpoint_ns, checkpoint_id, task_id, idx
            )
            commands.append(("JSON.SET", key, "$", _json(document)))
            created.append(key)
        checkpoint_key = self._make_redis_checkpoint_key(thread_id, checkpoint_ns, checkpoint_id)
        commands.append(("JSON.MERGE", checkpoint_key, "$", '{"has_writes":true}'))
        registry = ""
        if self._key_registry:
            registry = self._key_registry.make_write_keys_zset_key(
                thread_id, checkpoint_ns, checkpoint_id
            )
            scores = [item for score, key in enumerate(created) for item in (score, key)]
            commands.append(("ZADD", registry, *scores))
        if (ttl := self._ttl_seconds()) is not None:
            for key in [*created, *([registry] if registry else [])]:
                commands.append(("EXPIRE", key, ttl))
        results = await self._store_writes(commands)
        merge_failed = False
        for result in results:
            if isinstance(result, Exception):
                if "merge" not in str(result).lower():
                    raise result
                merge_failed = True
        if merge_failed:
            await self._aflag_has_writes(checkpoint_key)

    async def _store_writes(self, commands: list[tuple[Any, ...]]) -> list[Any]:
        """A task's write commands (each `(name, key, *args)`) in one pipeline: each
        command's reply, or the error it raised."""
        async with self._redis.pipeline(transaction=False) as pipeline:
            for command in commands:
                pipeline.execute_command(*command)
            results: list[Any] = await pipeline.execute(raise_on_error=False)
        return results

    async def _aflag_has_writes(self, checkpoint_key: str) -> None:
        """The library's fallback for a Redis without `JSON.MERGE` (best-effort)."""
        try:
            stored = await self._redis.json().get(checkpoint_key)
            if isinstance(stored, dict) and not stored.get("has_writes"):
                stored["has_writes"] = True
                await self._redis.json().set(checkpoint_key, "$", stored)
        except Exception:
            pass
