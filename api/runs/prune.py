"""`supportgraph threads prune`: delete idle threads and what expired threads left behind.

A thread of the HTTP API is idle when its record was last written (created, updated, a run
queued or finished) more than `idle_days` ago; it is deleted like `DELETE /threads/{id}` does:
its records, its runs and its checkpoints. Independently of age, a thread whose checkpoints are
gone (expired, evicted, deleted behind the API's back) although it had a conversation (a run
that succeeded, or a pending interrupt) loses its records too. Threads with a run queued or
running are never touched.

Expiry removes a thread's own keys but not its entries in shared keys: the per-owner thread
index and the thread lock. Those are removed here as well. Checkpoints that have no API record
(threads of `supportgraph chat`) are left to the thread TTL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from redis.asyncio import Redis

from api.runs.keys import ApiKeys
from api.runs.queue import RunStore
from api.runs.records import RunRecord
from api.runs.threads import ThreadRecord, ThreadStore, utc_now
from state.checkpoint.saver import SupportRedisSaver
from state.redis_text import text, texts

_BATCH = 200
_THREAD_KEYS = ((":runs", "zset"), (":queue", "list"), (":lock", "string"))
"""The thread's keys besides its hash: suffix and Redis type (a thread id may end in one)."""
_LIVE = ("pending", "running")


@dataclass
class PruneReport:
    dry_run: bool
    idle_days: float | None
    scanned: int = 0
    busy: list[str] = field(default_factory=list)
    idle: list[str] = field(default_factory=list)
    orphaned: list[str] = field(default_factory=list)
    index_entries: int = 0
    leftover_keys: int = 0

    def lines(self) -> list[str]:
        verb = "would delete" if self.dry_run else "deleted"
        idle = "not asked (--idle-days)" if self.idle_days is None else f"{len(self.idle)}"
        return [
            f"threads scanned: {self.scanned} (busy, left alone: {len(self.busy)})",
            f"idle > {self.idle_days} days, {verb}: {idle}",
            f"records whose checkpoints are gone, {verb}: {len(self.orphaned)}",
            f"owner-index entries of vanished threads, {verb}: {self.index_entries}",
            f"leftover keys of vanished threads, {verb}: {self.leftover_keys}",
        ]


class ThreadPruner:
    def __init__(self, redis: Redis, keys: ApiKeys, checkpointer: SupportRedisSaver) -> None:
        self.redis = redis
        self.keys = keys
        self.threads = ThreadStore(redis, keys)  # no expiry: pruning is not a use
        self.runs = RunStore(redis, keys)
        self.checkpointer = checkpointer

    async def prune(
        self, *, idle_days: float | None, dry_run: bool, now: datetime | None = None
    ) -> PruneReport:
        report = PruneReport(dry_run=dry_run, idle_days=idle_days)
        cutoff = None if idle_days is None else (now or utc_now()) - timedelta(days=idle_days)
        ids = await self._thread_ids()
        report.scanned = len(ids)
        for start in range(0, len(ids), _BATCH):
            for record in await self.threads.get_many(ids[start : start + _BATCH]):
                await self._judge(record, cutoff, report)
        for thread_id in report.idle + report.orphaned:
            if not dry_run:
                await self._delete(thread_id)
        report.index_entries = await self._owner_index(dry_run)
        report.leftover_keys = await self._leftovers(dry_run)
        return report

    async def _judge(
        self, record: ThreadRecord, cutoff: datetime | None, report: PruneReport
    ) -> None:
        tid = record.thread_id
        run_ids = await self.runs.all_ids(tid)
        runs = await self.runs.get_many(run_ids)
        if await self.runs.queued(tid) or any(r.status in _LIVE for r in runs):
            report.busy.append(tid)
        elif cutoff is not None and record.updated_at < cutoff:
            report.idle.append(tid)
        elif _had_conversation(record, runs) and not await self._has_checkpoints(tid):
            report.orphaned.append(tid)

    async def _has_checkpoints(self, thread_id: str) -> bool:
        return await self.checkpointer.acount_checkpoints(thread_id) > 0

    async def _delete(self, thread_id: str) -> None:
        record = await self.threads.get(thread_id)
        if record is not None:
            await self.threads.delete(record, await self.runs.all_ids(thread_id))
        await self.redis.delete(self.keys.lock(thread_id))
        await self.checkpointer.adelete_thread(thread_id)

    async def _thread_ids(self) -> list[str]:
        head = self.keys.thread("")
        found = self.redis.scan_iter(match=f"{head}*", count=1000, _type="hash")
        return sorted([text(key)[len(head) :] async for key in found])

    async def _owner_index(self, dry_run: bool) -> int:
        """Remove owner-index entries whose thread record no longer exists."""
        removed = 0
        pattern = self.keys.owner_threads("*")
        async for raw in self.redis.scan_iter(match=pattern, count=1000, _type="zset"):
            index = text(raw)
            ids = texts(await self.redis.zrange(index, 0, -1))
            for start in range(0, len(ids), _BATCH):
                batch = ids[start : start + _BATCH]
                async with self.redis.pipeline(transaction=False) as pipe:
                    for thread_id in batch:
                        pipe.exists(self.keys.thread(thread_id))
                    present = await pipe.execute()
                gone = [t for t, there in zip(batch, present, strict=True) if not there]
                if gone and not dry_run:
                    await self.redis.zrem(index, *gone)
                removed += len(gone)
        return removed

    async def _leftovers(self, dry_run: bool) -> int:
        """Remove run lists, queues and locks (and the runs listed) of vanished threads."""
        head = self.keys.thread("")
        removed = 0
        found = [
            (text(raw), suffix)
            for suffix, kind in _THREAD_KEYS
            async for raw in self.redis.scan_iter(match=f"{head}*{suffix}", count=1000, _type=kind)
        ]
        for key, suffix in found:
            thread_id = key[len(head) : -len(suffix)]
            if await self.redis.exists(self.keys.thread(thread_id)):
                continue
            doomed = [key]
            if suffix == ":runs":
                run_ids = texts(await self.redis.zrange(key, 0, -1))
                if any(r.status in _LIVE for r in await self.runs.get_many(run_ids)):
                    continue
                doomed += [self.keys.run(r) for r in run_ids]
                doomed += [self.keys.cancel(r) for r in run_ids]
            elif suffix == ":lock":
                holder = await self.runs.get(text(await self.redis.get(key) or b""))
                if holder is not None and holder.status in _LIVE:
                    continue
            present = int(await self.redis.exists(*doomed))
            if not dry_run:
                await self.redis.delete(*doomed)
            removed += present
        return removed


def _had_conversation(record: ThreadRecord, runs: list[RunRecord]) -> bool:
    """Checkpoints must exist: a run succeeded, or the thread waits on an interrupt."""
    return record.status == "interrupted" or any(r.status == "success" for r in runs)
