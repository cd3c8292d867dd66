"""A checkpoint a run already read, handed to the graph's own first read of it.

Before a run's graph starts, the run reads its thread's newest checkpoint (whether an
approval waits, what a retried attempt left); LangGraph's loop then reads the same checkpoint
again as it opens. Nothing writes to the thread in between (the run holds its lock), so
`handing` lets the first `aget_tuple` of that address take the tuple read before instead of
asking Redis again. Once: the loop changes the tuple it is given, and what the run reads
after its first write is new anyway. A saver that does not look (`take_handed`) just reads.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import CheckpointTuple

_Address = tuple[str, str, str | None]
"""(thread_id, checkpoint_ns, checkpoint_id or None for the newest)."""


@dataclass
class _Handed:
    address: _Address
    found: CheckpointTuple | None
    taken: bool = False
    """Shared by the tasks the graph starts (contexts are copied, this box is not)."""


_HANDED: ContextVar[_Handed | None] = ContextVar("handed_checkpoint", default=None)


def _address(config: RunnableConfig) -> _Address:
    configurable = config.get("configurable", {})
    return (
        str(configurable.get("thread_id")),
        str(configurable.get("checkpoint_ns", "")),
        configurable.get("checkpoint_id") or None,
    )


@contextmanager
def handing(config: RunnableConfig, found: CheckpointTuple | None) -> Iterator[None]:
    """Within the block, the first read of `config`'s checkpoint is `found` (None: there is
    none yet, a new thread)."""
    token = _HANDED.set(_Handed(_address(config), found))
    try:
        yield
    finally:
        _HANDED.reset(token)


def take_handed(config: RunnableConfig) -> tuple[bool, CheckpointTuple | None]:
    """(True, the tuple) for the first read of the handed address, else (False, None)."""
    handed = _HANDED.get()
    if handed is None or handed.taken or handed.address != _address(config):
        return False, None
    handed.taken = True
    return True, handed.found
