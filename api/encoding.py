"""JSON for what the graph produces: LangChain messages, interrupts, snapshots, Pydantic models.

The shapes follow the LangGraph Platform API so `langgraph-sdk`, Studio and agent-chat-ui read
them unchanged.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from enum import Enum
from typing import Any
from uuid import UUID

import orjson
from langchain_core.messages import BaseMessage
from langgraph.types import Interrupt, Send, StateSnapshot
from pydantic import BaseModel

from state.outputs import interrupt_kind


def jsonable(value: Any) -> Any:
    """A JSON-ready copy of `value` (recursing through containers)."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    return jsonable(_default(value))


def _default(value: Any) -> Any:
    if isinstance(value, BaseMessage):
        return value.model_dump()
    if isinstance(value, Interrupt):
        return interrupt_json(value)
    if isinstance(value, Send):
        return {"node": value.node, "arg": value.arg}
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, bytes):
        return value.decode(errors="replace")
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    if isinstance(value, Exception):
        return {"error": type(value).__name__, "message": str(value)}
    return repr(value)


def dumps(value: Any) -> bytes:
    return orjson.dumps(value, default=_default, option=orjson.OPT_NON_STR_KEYS)


def interrupt_json(value: Interrupt) -> dict[str, Any]:
    return {"value": jsonable(value.value), "id": value.id}


def checkpoint_json(config: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if not config:
        return None
    conf = config.get("configurable", {})
    return {
        "thread_id": conf.get("thread_id"),
        "checkpoint_ns": conf.get("checkpoint_ns", ""),
        "checkpoint_id": conf.get("checkpoint_id"),
        "checkpoint_map": conf.get("checkpoint_map"),
    }


_WAITING_STATUS = {"approval": "awaiting_approval", "handoff": "handed_to_human"}


def waiting_status(values: Any, interrupts: Sequence[Interrupt]) -> Any:
    """`values` with the status of the wait they are in: a specialist's approval interrupt
    stops inside its subgraph, before the parent state hears of the turn's status."""
    if not isinstance(values, dict):
        return values
    for pending in interrupts:
        kind = interrupt_kind(pending.value)
        if kind in _WAITING_STATUS:
            return {**values, "status": _WAITING_STATUS[kind]}
    return values


def pending_interrupts(snapshot: StateSnapshot) -> list[Interrupt]:
    return [*snapshot.interrupts, *(i for task in snapshot.tasks for i in task.interrupts)]


def snapshot_json(snapshot: StateSnapshot) -> dict[str, Any]:
    """A `StateSnapshot` as the Platform's `ThreadState`."""
    return {
        "values": waiting_status(jsonable(snapshot.values), pending_interrupts(snapshot)),
        "next": list(snapshot.next),
        "checkpoint": checkpoint_json(snapshot.config),
        "metadata": jsonable(snapshot.metadata or {}),
        "created_at": snapshot.created_at,
        "parent_checkpoint": checkpoint_json(snapshot.parent_config),
        "tasks": [_task_json(task) for task in snapshot.tasks],
        "interrupts": [interrupt_json(i) for i in snapshot.interrupts],
    }


def _task_json(task: Any) -> dict[str, Any]:
    state = task.state
    return {
        "id": task.id,
        "name": task.name,
        "error": repr(task.error) if task.error else None,
        "interrupts": [interrupt_json(i) for i in task.interrupts],
        "checkpoint": checkpoint_json(state) if isinstance(state, Mapping) else None,
        "state": snapshot_json(state) if isinstance(state, StateSnapshot) else None,
        "result": jsonable(task.result) if task.result is not None else None,
    }


def interrupts_by_task(snapshot: StateSnapshot) -> dict[str, list[dict[str, Any]]]:
    """Pending interrupts keyed by the task that raised them (the Thread's `interrupts`)."""
    found: dict[str, list[dict[str, Any]]] = {}
    for task in snapshot.tasks:
        if task.interrupts:
            found[task.id] = [interrupt_json(i) for i in task.interrupts]
    return found
