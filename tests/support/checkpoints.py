"""Redis checkpointers under a test's own key prefix, the configs that address a checkpoint,
and a saver whose process dies at a chosen write."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import (
    BaseCheckpointSaver,
    ChannelVersions,
    Checkpoint,
    CheckpointMetadata,
)

from state.checkpoint.lifecycle import ThreadPolicy
from state.checkpoint.saver import SupportRedisSaver


def prefixed_saver(
    redis_url: str, prefix: str, policy: ThreadPolicy | None = None
) -> SupportRedisSaver:
    """A saver whose checkpoints and writes live under `prefix` (RediSearch only indexes
    database 0, so tests keep apart by prefix); purge it with `purge_saver`."""
    return SupportRedisSaver(
        redis_url,
        checkpoint_prefix=f"{prefix}_cp",
        checkpoint_write_prefix=f"{prefix}_cpw",
        policy=policy,
    )


def checkpoint_config(
    thread_id: str, checkpoint_ns: str | None = "", **extra: str
) -> RunnableConfig:
    """A thread's config in namespace `checkpoint_ns` (None: every namespace), plus `extra`
    such as `checkpoint_id`."""
    configurable: dict[str, Any] = {"thread_id": thread_id, **extra}
    if checkpoint_ns is not None:
        configurable["checkpoint_ns"] = checkpoint_ns
    return {"configurable": configurable}


class DiesAfter:
    """A saver whose process is SIGKILLed after its first `stored` puts and writes reached
    Redis: the graph goes on in memory (as the dying process's tasks did for a moment), but
    nothing it puts or writes afterwards is stored. `calls` names every call, stored or not
    (`put <ns> <step>` / `writes <ns> <channels>`), so a test can pick its crash point.

    Used as a context manager around a run's first attempt; the saver is whole again after.
    """

    def __init__(
        self, saver: BaseCheckpointSaver[Any], stored: int | None = None, after: str = ""
    ) -> None:
        self.saver = saver
        self.stored = stored
        """Calls that reach Redis; None: all of them, or those up to the first named `after`."""
        self.after = after
        self.calls: list[str] = []

    def _survives(self, call: str) -> bool:
        self.calls.append(call)
        if self.stored is None and call == self.after:
            self.stored = len(self.calls)
        return self.stored is None or len(self.calls) <= self.stored

    def __enter__(self) -> DiesAfter:
        put, put_writes = self.saver.aput, self.saver.aput_writes

        async def aput(
            config: RunnableConfig,
            checkpoint: Checkpoint,
            metadata: CheckpointMetadata,
            new_versions: ChannelVersions,
        ) -> RunnableConfig:
            ns = config["configurable"].get("checkpoint_ns", "")
            if self._survives(f"put {ns.split(':')[0]!r} {metadata.get('step')}"):
                return await put(config, checkpoint, metadata, new_versions)
            return {"configurable": {**config["configurable"], "checkpoint_id": checkpoint["id"]}}

        async def aput_writes(
            config: RunnableConfig,
            writes: Sequence[tuple[str, Any]],
            task_id: str,
            task_path: str = "",
        ) -> None:
            ns = config["configurable"].get("checkpoint_ns", "")
            channels = sorted(c for c, _ in writes)
            if self._survives(f"writes {ns.split(':')[0]!r} {channels}"):
                await put_writes(config, writes, task_id, task_path)

        self.saver.aput = aput  # type: ignore[method-assign]
        self.saver.aput_writes = aput_writes  # type: ignore[method-assign]
        return self

    def __exit__(self, *exc: object) -> None:
        del self.saver.aput
        del self.saver.aput_writes
