"""The product's checkpointer: `AsyncRedisSaver` with the fixes its conformance run needs.

langgraph-checkpoint-redis 0.5.2 fails 7 of the langgraph-checkpoint-conformance tests:

* `checkpoint_ns=""` (the root graph) is treated as "any namespace", so a thread's history
  mixes in its subgraphs' checkpoints (`test_list_by_namespace`,
  `test_list_multiple_namespaces`, and `test_prune_keep_latest_across_namespaces`, whose
  pruning is right but is checked by listing the root namespace);
* `before=` is silently dropped, because the library parses checkpoint ids as ULIDs and
  LangGraph's are UUIDv6 (`test_list_before`, `test_list_limit_plus_before`);
* metadata filters on keys other than `source`/`step`/`thread_id`/`run_id` raise
  (`test_list_metadata_custom_keys`);
* `aprune([])` raises instead of doing nothing (`test_prune_empty_list_noop`).

`SupportRedisSaver` overrides `alist` and `aprune` for those, stores checkpoints and writes
through `LeanWritesSaver` (the library's documents with less per-call overhead), and swaps in
a serializer that does not retry a failed module import for every message it revives, skips
the library's type checks for plain JSON values and revives the state it stores whole (a
subgraph's input) instead of handing back its envelope (state/checkpoint/serde.py). Everything else,
including how a stored checkpoint becomes a `CheckpointTuple`, is the library's own code.

Its `aget_tuple` gives a run's graph the checkpoint the run read just before it started,
without reading it again (state/checkpoint/handoff.py).

Through `ThreadLifecycleSaver` it also implements `adelete_for_runs` and `acopy_thread`, and,
under a `ThreadPolicy`, a thread-wide TTL, a bounded history and compact bodies
(state/checkpoint_lifecycle.py, state/checkpoint_compact.py).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Sequence
from contextlib import aclosing, asynccontextmanager
from typing import Any

from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import CheckpointTuple, get_checkpoint_id
from langgraph.checkpoint.redis.base import CHECKPOINT_PREFIX, CHECKPOINT_WRITE_PREFIX
from langgraph.checkpoint.redis.util import (
    EMPTY_STRING_SENTINEL,
    from_storage_safe_id,
    from_storage_safe_str,
    to_storage_safe_id,
    to_storage_safe_str,
)
from redis.asyncio import Redis as AsyncRedis
from redis.asyncio.cluster import RedisCluster as AsyncRedisCluster
from redisvl.query import FilterQuery
from redisvl.query.filter import FilterExpression, Num, Tag

from state.checkpoint.handoff import take_handed
from state.checkpoint.lifecycle import ThreadLifecycleSaver, ThreadPolicy
from state.checkpoint.serde import SupportRedisSerializer
from state.redis_clients import connection_options

_PAGE_SIZE = 200
"""Index rows fetched per round trip when `alist` has to filter in Python."""

_LOAD_BATCH = 16
"""Checkpoints `alist` loads concurrently once it has selected them."""

_CheckpointRef = tuple[str, str, str]
"""(thread_id, checkpoint_ns, checkpoint_id) of a stored checkpoint."""


def _pushdown(key: str, value: Any) -> FilterExpression | None:
    """The index filter the library would build for a metadata filter item, if any."""
    if key == "source" and isinstance(value, str):
        return Tag("source") == value
    if key == "step" and isinstance(value, int) and not isinstance(value, bool):
        return Num("step") == value
    if key in ("thread_id", "run_id") and isinstance(value, str):
        return Tag(key) == to_storage_safe_id(value)
    return None


def _select(
    rows: list[dict[str, Any]],
    seen: set[_CheckpointRef],
    before_id: str | None,
    residual: dict[str, Any],
) -> list[_CheckpointRef]:
    """The index rows older than `before_id` whose metadata matches `residual`, unseen."""
    selected: list[_CheckpointRef] = []
    for row in rows:
        ref = (
            from_storage_safe_id(row["thread_id"]),
            from_storage_safe_str(row["checkpoint_ns"]),
            from_storage_safe_id(row["checkpoint_id"]),
        )
        if ref in seen or (before_id is not None and ref[2] >= before_id):
            continue
        seen.add(ref)  # offset paging can repeat a row when checkpoints are added meanwhile
        metadata = json.loads(row.get("$.metadata") or "{}") if residual else {}
        if all(metadata.get(key) == value for key, value in residual.items()):
            selected.append(ref)
    return selected


def before_checkpoint_id(before: Any) -> str | None:
    """The cursor's checkpoint id, whichever form `before` takes: a config, a flat checkpoint
    reference, or a Checkpoint."""
    if not before:
        return None
    if isinstance(before, str):
        return before
    if not isinstance(before, dict):
        return None
    if isinstance(before.get("configurable"), dict):
        return get_checkpoint_id(before)  # type: ignore[arg-type]
    found = before.get("checkpoint_id") or before.get("id")
    return str(found) if found else None


def _library_config(config: RunnableConfig | None) -> RunnableConfig | None:
    """Spell the root namespace so that the library filters on it instead of ignoring it."""
    if config is None or config.get("configurable", {}).get("checkpoint_ns") != "":
        return config
    configurable = {**config["configurable"], "checkpoint_ns": EMPTY_STRING_SENTINEL}
    return {**config, "configurable": configurable}


class SupportRedisSaver(ThreadLifecycleSaver):
    """`AsyncRedisSaver` that passes langgraph-checkpoint-conformance (see module docstring)."""

    def __init__(
        self,
        redis_url: str | None = None,
        *,
        redis_client: AsyncRedis | AsyncRedisCluster | None = None,
        connection_args: dict[str, Any] | None = None,
        ttl: dict[str, Any] | None = None,
        checkpoint_prefix: str = CHECKPOINT_PREFIX,
        checkpoint_write_prefix: str = CHECKPOINT_WRITE_PREFIX,
        policy: ThreadPolicy | None = None,
    ) -> None:
        if ttl is not None and policy is not None and policy.ttl is not None:
            raise ValueError("give the TTL either as `ttl` or in `policy`, not both")
        super().__init__(
            redis_url,
            redis_client=redis_client,
            connection_args=connection_args,
            ttl=ttl,
            checkpoint_prefix=checkpoint_prefix,
            checkpoint_write_prefix=checkpoint_write_prefix,
        )
        self.serde = SupportRedisSerializer()  # the library's __init__ takes no serde
        if policy is not None:
            self.apply_policy(policy)

    async def aget_tuple(self, config: RunnableConfig) -> CheckpointTuple | None:
        """The checkpoint; the one a run handed to its graph's first read without a round
        trip (state/checkpoint/handoff.py)."""
        handed, found = take_handed(config)
        if handed:
            return found
        return await super().aget_tuple(config)

    async def alist(
        self,
        config: RunnableConfig | None,
        *,
        filter: dict[str, Any] | None = None,
        before: RunnableConfig | None = None,
        limit: int | None = None,
    ) -> AsyncIterator[CheckpointTuple]:
        """List checkpoints newest first, honouring the root namespace, `before` and any filter.

        Fixes `test_list_by_namespace`, `test_list_multiple_namespaces` and
        `test_prune_keep_latest_across_namespaces`: the library skips the namespace filter
        when it is falsy, so `checkpoint_ns=""` listed every namespace. An explicit `""` now
        means the root graph (an absent or `None` namespace still means all of them).

        Fixes `test_list_before` and `test_list_limit_plus_before`: `before` is compared as a
        checkpoint id (ids sort by creation time), as the other savers do.

        Fixes `test_list_metadata_custom_keys`: filter keys the index does not hold are
        matched against the stored metadata (equality), instead of raising.

        Fixes `test_before_given_as_a_checkpoint_is_a_cursor_too`: `before` may be a config,
        a flat checkpoint reference (`{"checkpoint_id": ...}`, what `RemoteGraph` sends through
        `langgraph dev`) or a Checkpoint itself (`{"id": ...}`); the library assumed a config
        and raised `KeyError: 'configurable'`.

        Also `limit=0` returns nothing (the library returned everything). Queries the index
        can answer go to the library as they are; otherwise ids are selected from the index,
        filtered here, and each selected checkpoint is loaded through the library's `alist`.
        """
        if limit is not None and limit <= 0:
            return
        before_id = before_checkpoint_id(before)
        pushed: list[FilterExpression] = []
        residual: dict[str, Any] = {}
        for key, value in (filter or {}).items():
            expression = _pushdown(key, value)
            if expression is None:
                residual[key] = value
            else:
                pushed.append(expression)
        if before_id is None and not residual:
            async for item in super().alist(_library_config(config), filter=filter, limit=limit):
                yield item
            return

        configurable = config["configurable"] if config else {}
        if (thread_id := configurable.get("thread_id")) is not None:
            pushed.append(Tag("thread_id") == to_storage_safe_id(thread_id))
        if run_id := configurable.get("run_id"):
            pushed.append(Tag("run_id") == to_storage_safe_id(run_id))
        if (checkpoint_ns := configurable.get("checkpoint_ns")) is not None:
            pushed.append(Tag("checkpoint_ns") == to_storage_safe_str(checkpoint_ns))
        if config and (checkpoint_id := get_checkpoint_id(config)):
            pushed.append(Tag("checkpoint_id") == to_storage_safe_id(checkpoint_id))
        combined: FilterExpression | str = "*"
        if pushed:
            combined = pushed[0]
            for expression in pushed[1:]:
                combined &= expression
        query = FilterQuery(
            filter_expression=combined,
            return_fields=["thread_id", "checkpoint_ns", "checkpoint_id", "$.metadata"],
            num_results=_PAGE_SIZE,
            sort_by=("checkpoint_id", "DESC"),
        )

        remaining = limit
        seen: set[_CheckpointRef] = set()
        pages = self.checkpoints_index.paginate(query, page_size=_PAGE_SIZE)
        async with aclosing(pages):
            async for page in pages:
                candidates = _select(page, seen, before_id, residual)
                while candidates:
                    take = _LOAD_BATCH if remaining is None else min(remaining, _LOAD_BATCH)
                    batch, candidates = candidates[:take], candidates[take:]
                    for loaded in await asyncio.gather(*(self._aload_listed(ref) for ref in batch)):
                        if loaded is None:
                            continue  # deleted since the index was read
                        yield loaded
                        if remaining is not None:
                            remaining -= 1
                            if remaining == 0:
                                return

    async def _aload_listed(self, ref: _CheckpointRef) -> CheckpointTuple | None:
        """One checkpoint exactly as the library's `alist` would return it."""
        thread_id, checkpoint_ns, checkpoint_id = ref
        config: RunnableConfig = {
            "configurable": {
                "thread_id": thread_id,
                "checkpoint_ns": checkpoint_ns,
                "checkpoint_id": checkpoint_id,
            }
        }
        found = [item async for item in super().alist(_library_config(config), limit=1)]
        return found[0] if found else None

    async def aprune(
        self,
        thread_ids: Sequence[str],
        *,
        strategy: str = "keep_latest",
        keep_last: int | None = None,
        max_results: int = 10000,
    ) -> None:
        """Prune per namespace, as the library does; an empty `thread_ids` is a no-op.

        Fixes `test_prune_empty_list_noop`: the library raises `ValueError` for `[]`, so a
        caller pruning "the threads that went idle" fails whenever there are none.
        """
        if len(thread_ids) == 0:
            return
        await super().aprune(
            thread_ids, strategy=strategy, keep_last=keep_last, max_results=max_results
        )


@asynccontextmanager
async def open_checkpointer(
    redis_url: str, policy: ThreadPolicy | None = None
) -> AsyncIterator[SupportRedisSaver]:
    """A `SupportRedisSaver` on `redis_url` with its indexes created; closed on exit.

    RediSearch only indexes database 0, so `redis_url` must not select another database.
    """
    saver = SupportRedisSaver(redis_url, policy=policy, connection_args=connection_options())
    async with saver:  # __aenter__ runs asetup() (index creation); __aexit__ closes the client
        yield saver
