"""A run as the API keeps it: its record, the parameters a retry restarts it with, its states."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

RunStatus = Literal["pending", "running", "error", "success", "timeout", "interrupted"]
MultitaskStrategy = Literal["reject", "interrupt", "rollback", "enqueue"]
CancelAction = Literal["interrupt", "rollback"]
TERMINAL: frozenset[str] = frozenset({"error", "success", "timeout", "interrupted"})


class RunKwargs(BaseModel):
    """What the executor needs to (re)start a run; stored with the run so a retry can."""

    input: dict[str, Any] | None = None
    command: dict[str, Any] | None = None
    config: dict[str, Any] = Field(default_factory=dict)
    context: dict[str, Any] | None = None
    stream_mode: list[str] = Field(default_factory=lambda: ["values"])
    stream_subgraphs: bool = False
    interrupt_before: list[str] | Literal["*"] | None = None
    interrupt_after: list[str] | Literal["*"] | None = None
    checkpoint_id: str | None = None
    checkpoint_ns: str = ""
    durability: Literal["sync", "async", "exit"] = "exit"
    temporary: bool = False
    actor: dict[str, str] = Field(default_factory=dict)
    """Who asked for the run (name, role, owner): the executor hands it to the graph, which
    records it with the decisions the run takes (approvals, the audit log)."""
    publish: bool = False
    """Whether the run's events go to its event log (stream and background runs), so any
    process can join its stream."""
    resumable: bool = False
    """Whether its events stay replayable after it ends (`stream_resumable`)."""
    not_before: float | None = None
    """Epoch seconds before which the run does not start (`after_seconds`); it keeps its place
    in the thread's queue meanwhile."""
    webhook: str | None = None
    """Where the run's final state is POSTed when it ends."""


class RunRecord(BaseModel):
    run_id: str
    thread_id: str
    assistant_id: str
    owner: str
    created_at: datetime
    updated_at: datetime
    status: RunStatus = "pending"
    metadata: dict[str, Any] = Field(default_factory=dict)
    multitask_strategy: MultitaskStrategy = "enqueue"
    params: RunKwargs = Field(default_factory=RunKwargs)
    worker: str = ""
    """The process that executes it; empty while a background run waits for its time
    (`api.runs.schedule`)."""
    attempt: int = 1
    error: str | None = None
