"""A thread's checkpoints handled as one unit: expiry, bounded history, run rollback, copies.

A thread owns, per namespace, checkpoint and pending-write documents, write registries and a
latest pointer (state/checkpoint/keys.py finds them), plus one message store when messages are
shared (state/checkpoint/messages.py). The library expires, deletes and prunes these
piecemeal; `ThreadLifecycleSaver` acts on all of a thread's keys together:

* thread TTL: every read (`aget_tuple`, `alist`) and write (`aput`, `aput_writes`) re-expires
  all of the thread's keys, at most once per `ThreadTtl.refresh_seconds` per process; a thread
  that is kept (`keep`: a run holds it, or it waits on an operator) has no expiring key until
  it is released, whatever its run wrote meanwhile;
* `keep_last`: after each root checkpoint, only the newest K root checkpoints are kept, with
  the subgraph checkpoints taken since the oldest of them (a step's subgraphs run after its
  root checkpoint is taken, so their checkpoints are newer than it);
* `adelete_for_runs`: a run's checkpoints and their writes go, and latest pointers that named
  one of them move back to the newest checkpoint left;
* `acopy_thread`: every document is copied under the new thread id, registries and pointers
  rewritten to the copies, the message store's bodies with them.

Pruning and run rollback leave the message store whole: bodies that no checkpoint references
any more stay until the thread is deleted or expires.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import ChannelVersions, Checkpoint, CheckpointMetadata
from langgraph.checkpoint.base import CheckpointTuple as _Tuple
from langgraph.checkpoint.redis.util import (
    EMPTY_STRING_SENTINEL,
    from_storage_safe_id,
    to_storage_safe_id,
)
from redisvl.query.filter import Tag

from state.checkpoint.compact import CompactCheckpointSaver
from state.checkpoint.keys import Stored, ThreadIndexSaver, member
from state.checkpoint.message_put import OneTripMessageSaver
from state.checkpoint.ttl import RefreshClock, ThreadTtl
from state.checkpoint.writes import LeanWritesSaver
from state.redis_text import text

WAITING_THREADS = "checkpoint_waiting"
"""The kept threads (a run holds them, or they wait on an operator): their keys do not expire
meanwhile."""

_KEPT_HERE: ContextVar[str | None] = ContextVar("thread_kept_here", default=None)
"""The thread this task (and the graph tasks it starts) keeps: its writes carry no expiry."""


@dataclass(frozen=True)
class ThreadPolicy:
    """How the product keeps threads: expiry, history length, storage format."""

    ttl: ThreadTtl | None = None
    keep_last: int | None = None
    """Root checkpoints kept per thread; None keeps all."""
    compact: bool = False
    shared_messages: bool = False
    """Store each message once per thread and reference it from checkpoints
    (state/checkpoint/messages.py)."""

    def __post_init__(self) -> None:
        if self.keep_last is not None and self.keep_last < 1:
            raise ValueError(f"keep_last must be at least 1, got {self.keep_last}")


class ThreadLifecycleSaver(
    OneTripMessageSaver, CompactCheckpointSaver, ThreadIndexSaver, LeanWritesSaver
):
    """`LeanWritesSaver` with compact bodies and thread-wide lifecycle (module docstring)."""

    policy: ThreadPolicy = ThreadPolicy()
    _clock: RefreshClock | None = None
    _ttl_config: dict[str, Any] | None = None
    _expire_seconds: int | None = None
    thread_deleted: Callable[[str], Awaitable[None]] | None = None
    """Told each thread `adelete_thread` deleted: where no API deletes the thread's other
    records (`langgraph dev`), its audit entries go with its checkpoints this way."""

    @property
    def ttl_config(self) -> dict[str, Any] | None:
        """The library's `ttl` config, but none for the writes of a thread kept in this task
        (`keep`): the library gives every key it writes the default TTL, which would let the
        keys a run wrote expire while it is still going, or while the thread waits."""
        return None if _KEPT_HERE.get() is not None else self._ttl_config

    @ttl_config.setter
    def ttl_config(self, value: dict[str, Any] | None) -> None:
        self._ttl_config = value

    @property
    def expire_seconds(self) -> int | None:
        """What the keys this saver writes itself expire in; none for a kept thread's, as
        `ttl_config`."""
        return None if _KEPT_HERE.get() is not None else self._expire_seconds

    @expire_seconds.setter
    def expire_seconds(self, value: int | None) -> None:
        self._expire_seconds = value

    async def adelete_thread(self, thread_id: str) -> None:
        await super().adelete_thread(thread_id)
        if self.thread_deleted is not None:
            await self.thread_deleted(thread_id)

    def apply_policy(self, policy: ThreadPolicy) -> None:
        """Adopt `policy`; its TTL replaces any `ttl` config given to the constructor."""
        self.policy = policy
        self.compact = policy.compact
        self.shared_messages = policy.shared_messages
        self._clock = RefreshClock(policy.ttl) if policy.ttl else None
        self.expire_seconds = policy.ttl.expire_seconds if policy.ttl else None
        if policy.ttl:
            self.ttl_config = policy.ttl.library_config()

    async def aget_tuple(self, config: RunnableConfig) -> _Tuple | None:
        found: _Tuple | None = await super().aget_tuple(config)
        if found is not None:
            await self._touch(config["configurable"]["thread_id"])
        return found

    async def alist(
        self,
        config: RunnableConfig | None,
        *,
        filter: dict[str, Any] | None = None,
        before: RunnableConfig | None = None,
        limit: int | None = None,
    ) -> AsyncIterator[_Tuple]:
        thread_id = (config or {}).get("configurable", {}).get("thread_id")
        if thread_id is not None:
            await self._touch(thread_id)
        async for item in super().alist(config, filter=filter, before=before, limit=limit):
            yield item

    async def aput(
        self,
        config: RunnableConfig,
        checkpoint: Checkpoint,
        metadata: CheckpointMetadata,
        new_versions: ChannelVersions,
        stream_mode: str = "values",
    ) -> RunnableConfig:
        stored: RunnableConfig = await super().aput(
            config, checkpoint, metadata, new_versions, stream_mode
        )
        thread_id = config["configurable"]["thread_id"]
        if self.policy.keep_last and not config["configurable"].get("checkpoint_ns"):
            await self._keep_last(thread_id, self.policy.keep_last)
        await self._touch(thread_id)
        return stored

    async def aput_writes(
        self,
        config: RunnableConfig,
        writes: Sequence[tuple[str, Any]],
        task_id: str,
        task_path: str = "",
    ) -> None:
        await super().aput_writes(config, writes, task_id, task_path)
        await self._touch(config["configurable"]["thread_id"])

    async def adelete_for_runs(self, run_ids: Sequence[str]) -> None:
        """Delete the checkpoints these runs wrote (every thread and namespace), their writes
        and registries; a latest pointer that named one moves to the newest one left."""
        wanted = {to_storage_safe_id(run_id) for run_id in run_ids if run_id}
        if not wanted:
            return
        hits = await self._rows(Tag("run_id") == sorted(wanted), ["thread_id"])
        for safe_thread in sorted({row["thread_id"] for row in hits}):
            stored = await self._stored(safe_thread)
            doomed = [s for s in stored if s.run_id in wanted]
            kept = [s for s in stored if s.run_id not in wanted]
            await self._delete(from_storage_safe_id(safe_thread), doomed, kept)

    async def acopy_thread(self, source_thread_id: str, target_thread_id: str) -> None:
        """Copy every checkpoint, write, registry and latest pointer of the source thread to
        the target; the target's latest pointers name the copies of the source's."""
        stored = await self._stored(to_storage_safe_id(source_thread_id))
        if not stored:
            return
        writes = await self._writes(to_storage_safe_id(source_thread_id))
        await self._copy_messages(source_thread_id, target_thread_id)
        renamed = await self._copy_documents(
            [s.key for s in stored] + [w.key for w in writes], target_thread_id
        )
        expire = self.expire_seconds
        namespaces = sorted({s.namespace for s in stored})
        async with self._redis.pipeline(transaction=False) as pipe:
            for s in stored:
                pipe.zrange(self._registry(source_thread_id, s), 0, -1, withscores=True)
            for namespace in namespaces:
                pipe.get(self._latest(source_thread_id, namespace))
            replies = await pipe.execute()
        registries, pointers = replies[: len(stored)], replies[len(stored) :]
        async with self._redis.pipeline(transaction=False) as pipe:
            for s, members in zip(stored, registries, strict=True):
                mapping = {renamed[m]: score for m, score in map(member, members) if m in renamed}
                if mapping:
                    registry = self._registry(target_thread_id, s)
                    pipe.zadd(registry, mapping)
                    if expire:
                        pipe.expire(registry, expire)
            for namespace, pointer in zip(namespaces, pointers, strict=True):
                if pointer is not None and text(pointer) in renamed:
                    target = self._latest(target_thread_id, namespace)
                    pipe.set(target, renamed[text(pointer)], ex=expire)
            await pipe.execute()

    async def await_operator(self, thread_id: str, waiting: bool) -> None:
        """A thread that waits on an operator (an approval, a handoff) is kept however long
        the wait: its keys lose their expiry until it stops waiting, then get it back."""
        if waiting:
            await self._hold(thread_id)
        else:
            await self.release(thread_id)

    async def keep(self, thread_id: str) -> None:
        """Take every key of the thread off expiry until `release`: a thread that a run holds
        or that waits on an operator is not idle. For the rest of the calling task (the run),
        what it writes carries no expiry; in other processes, uses of the thread (`_touch`)
        persist its keys instead of expiring them."""
        if self.policy.ttl is not None:
            _KEPT_HERE.set(thread_id)
            await self._hold(thread_id)

    async def _hold(self, thread_id: str) -> None:
        """Mark the thread kept for every process and take its keys off expiry."""
        if self.policy.ttl is None:
            return
        await self._redis.sadd(WAITING_THREADS, thread_id)
        await self._persist(thread_id)

    async def release(self, thread_id: str) -> None:
        """Give every key of the thread its expiry back, now: the TTL counts from here."""
        if self.policy.ttl is None or self._clock is None:
            return
        if _KEPT_HERE.get() == thread_id:
            _KEPT_HERE.set(None)
        await self._redis.srem(WAITING_THREADS, thread_id)
        self._clock.forget(thread_id)
        await self._touch(thread_id)

    async def _persist(self, thread_id: str) -> None:
        keys = await self.athread_keys(thread_id)
        async with self._redis.pipeline(transaction=False) as pipe:
            for key in keys:
                pipe.persist(key)
            await pipe.execute()

    async def _touch(self, thread_id: str) -> None:
        """Re-expire all of the thread's keys, unless this process did so very recently; a kept
        thread's (`keep`) lose their expiry instead, the keys its run wrote since included."""
        if self._clock is None or self.policy.ttl is None or _KEPT_HERE.get() == thread_id:
            return  # kept by this task: nothing it writes expires
        if not self._clock.due(thread_id):
            return
        try:
            if await self._redis.sismember(WAITING_THREADS, thread_id):
                await self._persist(thread_id)
                return
            keys = await self.athread_keys(thread_id)
            async with self._redis.pipeline(transaction=False) as pipe:
                for key in keys:
                    pipe.expire(key, self.policy.ttl.expire_seconds)
                await pipe.execute()
        except BaseException:
            self._clock.forget(thread_id)
            raise

    async def _keep_last(self, thread_id: str, keep: int) -> None:
        """Drop every checkpoint (any namespace) older than the oldest of the newest `keep`
        root checkpoints: the subgraph checkpoints kept are those of the steps kept."""
        stored = await self._stored(to_storage_safe_id(thread_id))
        root = [s for s in stored if s.namespace == EMPTY_STRING_SENTINEL]
        if len(root) <= keep:
            return
        oldest_kept = root[keep - 1].checkpoint_id
        doomed = [s for s in stored if s.checkpoint_id < oldest_kept]
        kept = [s for s in stored if s.checkpoint_id >= oldest_kept]
        await self._delete(thread_id, doomed, kept)

    async def _delete(self, thread_id: str, doomed: list[Stored], kept: list[Stored]) -> None:
        """Delete checkpoints with their writes and registries; `kept` (newest first) are the
        thread's other checkpoints, where latest pointers fall back to."""
        if not doomed:
            return
        gone = {(s.namespace, s.checkpoint_id) for s in doomed}
        doomed_keys = {s.key for s in doomed}
        writes = await self._writes(to_storage_safe_id(thread_id))
        keys = [s.key for s in doomed] + [self._registry(thread_id, s) for s in doomed]
        keys += [w.key for w in writes if (w.namespace, w.checkpoint_id) in gone]
        namespaces = sorted({s.namespace for s in doomed})
        pointers = [self._latest(thread_id, ns) for ns in namespaces]
        targets = await self._redis.mget(pointers)
        expire = self.expire_seconds
        async with self._redis.pipeline(transaction=False) as pipe:
            pipe.delete(*keys)
            for namespace, pointer, target in zip(namespaces, pointers, targets, strict=True):
                if target is None or text(target) not in doomed_keys:
                    continue
                newest = next((s for s in kept if s.namespace == namespace), None)
                if newest is None:
                    pipe.delete(pointer)
                else:
                    pipe.set(pointer, newest.key, ex=expire)
            await pipe.execute()
