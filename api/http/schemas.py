"""Request bodies of the HTTP API, as `langgraph-sdk` sends them.

Fields the SDK may send but this server does not act on (tracing, resumable streams) are
accepted and ignored, so unchanged clients keep working; a wrong type on any
field is a 422 that names it.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

StreamModeName = Literal["values", "updates", "messages-tuple", "custom", "debug"]
SUPPORTED_STREAM_MODES: tuple[str, ...] = ("values", "updates", "messages-tuple", "custom", "debug")


class Body(BaseModel):
    model_config = ConfigDict(extra="ignore")


class ThreadCreate(Body):
    thread_id: str | None = Field(default=None, min_length=1, max_length=128)
    metadata: dict[str, Any] = Field(default_factory=dict)
    if_exists: Literal["raise", "do_nothing"] = "raise"
    graph_id: str | None = None


class ThreadPatch(Body):
    metadata: dict[str, Any] = Field(default_factory=dict)


class ThreadSearch(Body):
    metadata: dict[str, Any] | None = None
    values: dict[str, Any] | None = None
    ids: list[str] | None = None
    status: Literal["idle", "busy", "interrupted", "error"] | None = None
    limit: int = Field(default=10, ge=1, le=1000)
    offset: int = Field(default=0, ge=0)
    sort_by: Literal["thread_id", "status", "created_at", "updated_at"] = "updated_at"
    sort_order: Literal["asc", "desc"] = "desc"


class CheckpointRef(Body):
    checkpoint_id: str | None = None
    checkpoint_ns: str = ""
    thread_id: str | None = None
    checkpoint_map: dict[str, Any] | None = None


class StateUpdate(Body):
    values: dict[str, Any] | None = None
    as_node: str | None = None
    checkpoint: CheckpointRef | None = None
    checkpoint_id: str | None = None


class StateAt(Body):
    checkpoint: CheckpointRef
    subgraphs: bool = False


class HistoryRequest(Body):
    limit: int = Field(default=10, ge=1, le=1000)
    before: str | dict[str, Any] | None = None
    metadata: dict[str, Any] | None = None
    checkpoint: CheckpointRef | None = None


class AssistantSearch(Body):
    graph_id: str | None = None
    metadata: dict[str, Any] | None = None
    name: str | None = None
    limit: int = Field(default=10, ge=1, le=1000)
    offset: int = Field(default=0, ge=0)


class CommandBody(Body):
    resume: Any = None
    goto: str | list[str] | dict[str, Any] | list[dict[str, Any]] | None = None
    update: dict[str, Any] | list[list[Any]] | None = None


class RunCreate(Body):
    assistant_id: str = Field(min_length=1)
    input: dict[str, Any] | None = None
    command: CommandBody | None = None
    config: dict[str, Any] | None = None
    context: dict[str, Any] | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)
    stream_mode: StreamModeName | list[StreamModeName] = "values"
    stream_subgraphs: bool = False
    interrupt_before: Literal["*"] | list[str] | None = None
    interrupt_after: Literal["*"] | list[str] | None = None
    checkpoint_id: str | None = None
    checkpoint: CheckpointRef | None = None
    multitask_strategy: Literal["reject", "interrupt", "rollback", "enqueue"] = "enqueue"
    if_not_exists: Literal["create", "reject"] = "reject"
    on_disconnect: Literal["cancel", "continue"] = "continue"
    on_completion: Literal["delete", "keep"] | None = None
    durability: Literal["sync", "async", "exit"] | None = None
    after_seconds: float | None = Field(default=None, ge=0, le=86_400)
    webhook: str | None = Field(default=None, max_length=2048)
    """POSTed the run's final state when it ends (signed; see `api.jobs.webhooks`)."""

    def stream_modes(self) -> list[StreamModeName]:
        modes = [self.stream_mode] if isinstance(self.stream_mode, str) else self.stream_mode
        return list(dict.fromkeys(modes)) or ["values"]
