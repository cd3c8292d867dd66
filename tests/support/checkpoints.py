"""Redis checkpointers under a test's own key prefix, and the configs that address a checkpoint."""

from __future__ import annotations

from typing import Any

from langchain_core.runnables import RunnableConfig

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
