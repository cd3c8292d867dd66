"""Request bodies of the HTTP API, as `langgraph-sdk` sends them.

Fields the SDK may send but this server does not act on (tracing, resumable streams) are
accepted and ignored, so unchanged clients keep working; a wrong type on any
field is a 422 that names it.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from api.runs.stream_modes import check_stream_modes

MAX_OFFSET = 1_000_000
"""Paging never reaches further; a bigger offset is a 422, not a Redis error."""
MAX_METADATA_BYTES = 16 * 1024
"""Thread and run metadata, as JSON: labels for a conversation, not a store for documents."""
MAX_JSON_DEPTH = 32


def _bounded_metadata(value: dict[str, Any]) -> dict[str, Any]:
    size = len(json.dumps(value, ensure_ascii=False, default=str).encode("utf-8", "replace"))
    if size > MAX_METADATA_BYTES:
        raise ValueError(f"metadata is {size} bytes as JSON; at most {MAX_METADATA_BYTES}")
    return value


Metadata = Annotated[dict[str, Any], AfterValidator(_bounded_metadata)]


def encodable(value: Any, depth: int = 0) -> None:
    """Every string in `value` is valid Unicode text (no lone surrogates), nesting bounded."""
    if depth > MAX_JSON_DEPTH:
        raise ValueError(f"nested more than {MAX_JSON_DEPTH} levels deep")
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise ValueError("text is not valid Unicode (a lone surrogate?)") from exc
    elif isinstance(value, dict):
        for key, item in value.items():
            encodable(key, depth + 1)
            encodable(item, depth + 1)
    elif isinstance(value, list | tuple):
        for item in value:
            encodable(item, depth + 1)
    elif isinstance(value, BaseModel):
        encodable(dict(value), depth + 1)


class Body(BaseModel):
    model_config = ConfigDict(extra="ignore")

    @model_validator(mode="after")
    def _valid_text(self) -> Self:
        encodable(dict(self))
        return self


class ThreadCreate(Body):
    thread_id: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_-]{1,128}$")
    metadata: Metadata = Field(default_factory=dict)
    if_exists: Literal["raise", "do_nothing"] = "raise"
    graph_id: str | None = None


class ThreadPatch(Body):
    metadata: Metadata = Field(default_factory=dict)


class ThreadSearch(Body):
    metadata: dict[str, Any] | None = None
    values: dict[str, Any] | None = None
    ids: list[str] | None = None
    status: Literal["idle", "busy", "interrupted", "error"] | None = None
    limit: int = Field(default=10, ge=1, le=1000)
    offset: int = Field(default=0, ge=0, le=MAX_OFFSET)
    sort_by: Literal["thread_id", "status", "created_at", "updated_at"] = "updated_at"
    sort_order: Literal["asc", "desc"] = "desc"


class ThreadCount(Body):
    metadata: dict[str, Any] | None = None
    values: dict[str, Any] | None = None
    status: Literal["idle", "busy", "interrupted", "error"] | None = None


class ThreadPrune(Body):
    thread_ids: list[str] = Field(max_length=1000)
    strategy: Literal["delete", "keep_latest"] = "delete"


class CheckpointRef(Body):
    checkpoint_id: str | None = Field(default=None, max_length=256, pattern=r"^[^\x00-\x1f]*$")
    checkpoint_ns: str = Field(default="", max_length=1024, pattern=r"^[^\x00-\x1f]*$")
    """No control characters: they cannot be part of a stored namespace or id."""
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


class AssistantCount(Body):
    graph_id: str | None = None
    metadata: dict[str, Any] | None = None
    name: str | None = None


class AssistantSearch(Body):
    graph_id: str | None = None
    metadata: dict[str, Any] | None = None
    name: str | None = None
    limit: int = Field(default=10, ge=1, le=1000)
    offset: int = Field(default=0, ge=0, le=MAX_OFFSET)


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
    metadata: Metadata = Field(default_factory=dict)
    stream_mode: str | list[str] = "values"
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

    stream_resumable: bool = False
    """Keep the run's events after it ends, so a client can replay them (`Last-Event-ID`)."""

    @field_validator("stream_mode")
    @classmethod
    def _known_modes(cls, value: str | list[str]) -> str | list[str]:
        check_stream_modes([value] if isinstance(value, str) else value)
        return value

    def stream_modes(self) -> list[str]:
        return check_stream_modes(
            [self.stream_mode] if isinstance(self.stream_mode, str) else self.stream_mode
        )
