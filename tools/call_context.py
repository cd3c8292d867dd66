"""What tools read from the running graph: state fields and the thread they run in."""

from __future__ import annotations

from typing import Any

from langchain_core.runnables import RunnableConfig
from langgraph.config import get_config
from langgraph.prebuilt import ToolRuntime

from state.stores.audit import AuditAction, AuditEntry

ACTOR_KEY = "supportgraph_actor"
"""The `configurable` key under which the server passes the run's caller to the graph; callers
cannot set it (the API refuses it in a request's config)."""

LOCAL_ACTOR: dict[str, str] = {"name": "operator", "role": "operator", "owner": "local"}
"""Who acts when a graph runs without the API (the terminal, tests): the local operator."""


def actor_of(config: RunnableConfig | None) -> dict[str, str]:
    """The caller of the run this node or tool runs in, as the API's executor set it."""
    configurable = (config or {}).get("configurable") or {}
    found = configurable.get(ACTOR_KEY)
    if isinstance(found, dict) and isinstance(found.get("name"), str):
        return {k: str(v) for k, v in found.items()}
    return dict(LOCAL_ACTOR)


def state_field(state: Any, name: str) -> Any:
    """A field of the graph state, whether the state arrives as a model or a dict."""
    if isinstance(state, dict):
        return state.get(name)
    return getattr(state, name, None)


def thread_id(config: RunnableConfig | None) -> str | None:
    configurable = (config or {}).get("configurable") or {}
    value = configurable.get("thread_id")
    return str(value) if value is not None else None


def current_thread_id() -> str | None:
    """The thread of the run the calling node runs in; None outside a graph run."""
    try:
        return thread_id(get_config())
    except RuntimeError:
        return None


def idempotency_key(runtime: ToolRuntime[Any, Any], action: str) -> str:
    """Stable across retries and resumes: the thread, the turn, and the model's tool call."""
    turn = state_field(runtime.state, "turn_id") or "-"
    return f"{thread_id(runtime.config)}:{turn}:{action}:{runtime.tool_call_id}"


def current_config() -> RunnableConfig | None:
    """The config of the run the caller executes in (None outside a graph run)."""
    try:
        return get_config()
    except RuntimeError:
        return None


def run_id(config: RunnableConfig | None) -> str | None:
    value = ((config or {}).get("metadata") or {}).get("run_id")
    return str(value) if value is not None else None


def audit_entry(
    config: RunnableConfig | None, action: AuditAction, key: str, arguments: dict[str, Any]
) -> AuditEntry:
    """An audit entry for a decision taken in this run, by the run's caller; `key` names the
    decision (so a node that re-runs logs it once)."""
    who = actor_of(config)
    return AuditEntry(
        entry_id=f"{key}:{action}",
        actor=who["name"],
        role=who["role"],
        thread_id=thread_id(config),
        run_id=run_id(config),
        action=action,
        arguments=arguments,
    )
