"""What tools read from the running graph: state fields and the thread they run in."""

from __future__ import annotations

from typing import Any

from langchain_core.runnables import RunnableConfig
from langgraph.config import get_config
from langgraph.prebuilt import ToolRuntime


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
