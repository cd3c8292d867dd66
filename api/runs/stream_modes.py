"""Stream modes as the LangGraph Platform API names them, and the events each one sends.

Most map one to one onto a LangGraph stream mode. `messages-tuple` sends LangGraph's
`(message chunk, metadata)` pairs as they come; `messages` sends the Platform's accumulated
form: `messages/metadata` once per message, then `messages/partial` with the message so far
(or `messages/complete` for a whole message). `events` is LangChain's event stream as
`astream_events` v2 names it: `on_chain_start` / `on_chain_end` per node (with
`metadata.langgraph_node`, what Agent Inbox reads), and inside nodes `on_chat_model_start` /
`_stream` / `_end` and `on_tool_start` / `_end` / `_error` (`api.runs.callback_events`).
Unlike `astream_events`, chains inside a node (prompt templates, runnable sequences) send no
events, `parent_ids` names the direct parent only, and every event is named `events` (also
for subgraphs).
"""

from __future__ import annotations

from typing import Any

from langchain_core.messages import BaseMessage, BaseMessageChunk, message_chunk_to_message
from langchain_core.runnables import RunnableConfig
from langgraph.types import StreamMode

from api.encoding import jsonable
from api.runs.callback_events import CallbackEvents

GRAPH_MODES: dict[str, StreamMode] = {
    "values": "values",
    "updates": "updates",
    "messages-tuple": "messages",
    "messages": "messages",
    "custom": "custom",
    "debug": "debug",
    "tasks": "tasks",
    "checkpoints": "checkpoints",
    "events": "tasks",
}
"""Every mode this server streams, and the LangGraph mode it reads."""

UNSUPPORTED: dict[str, str] = {
    "tools": "tool lifecycle events are not streamed; use 'updates' or 'debug'",
    "lifecycle": "run lifecycle events are not streamed; use 'debug'",
}
"""Modes `langgraph-sdk` names that this server refuses (422), each with why."""


def check_stream_modes(modes: list[str]) -> list[str]:
    """The requested modes without repeats; a ValueError naming any mode it cannot stream."""
    for mode in modes:
        if mode in UNSUPPORTED:
            raise ValueError(f"stream mode {mode!r} is not supported: {UNSUPPORTED[mode]}")
        if mode not in GRAPH_MODES:
            raise ValueError(f"unknown stream mode {mode!r}; supported: {', '.join(GRAPH_MODES)}")
    return list(dict.fromkeys(modes)) or ["values"]


class StreamEvents:
    """Turns one run's LangGraph chunks into the SSE events its requested modes send."""

    def __init__(self, modes: list[str]) -> None:
        self.modes = set(modes)
        self.graph_modes = {GRAPH_MODES[m] for m in modes}
        self._messages: dict[str, BaseMessage] = {}
        self._inner = CallbackEvents() if "events" in self.modes else None

    def with_callbacks(self, config: RunnableConfig) -> RunnableConfig:
        """The run's config, with the handler that records model and tool events when the
        `events` mode wants them."""
        if self._inner is None:
            return config
        given = config.get("callbacks")
        callbacks = list(given) if isinstance(given, list) else []
        return {**config, "callbacks": [*callbacks, self._inner]}

    def inner_events(self) -> list[tuple[str, Any]]:
        """The model and tool events recorded since the last call, oldest first."""
        return [("events", e) for e in self._inner.drain()] if self._inner else []

    def events(self, mode: str, namespace: tuple[str, ...], data: Any) -> list[tuple[str, Any]]:
        """(event name, JSON-ready data) for one chunk; none when no requested mode wants it."""
        suffix = "".join(f"|{part}" for part in namespace)
        if mode == "tasks" and "events" in self.modes:
            chain = [(f"events{suffix}", chain_event(namespace, data))]
            return chain + ([(f"tasks{suffix}", jsonable(data))] if "tasks" in self.modes else [])
        if mode != "messages":
            if mode not in self.graph_modes:
                return []
            return [(f"{mode}{suffix}", jsonable(data))]
        found: list[tuple[str, Any]] = []
        if "messages-tuple" in self.modes:
            found.append((f"messages{suffix}", jsonable(data)))
        if "messages" in self.modes:
            found += self._accumulated(suffix, *data)
        return found

    def _accumulated(self, suffix: str, message: Any, metadata: Any) -> list[tuple[str, Any]]:
        if not isinstance(message, BaseMessage) or not message.id:
            return []
        found: list[tuple[str, Any]] = []
        seen = self._messages.get(message.id)
        if seen is None:
            found.append(
                (f"messages/metadata{suffix}", {message.id: {"metadata": jsonable(metadata)}})
            )
            whole: BaseMessage = message
        elif isinstance(seen, BaseMessageChunk) and isinstance(message, BaseMessageChunk):
            whole = seen + message
        else:
            whole = message
        self._messages[message.id] = whole
        kind = "partial" if isinstance(message, BaseMessageChunk) else "complete"
        shown = message_chunk_to_message(whole) if isinstance(whole, BaseMessageChunk) else whole
        found.append((f"messages/{kind}{suffix}", [jsonable(shown)]))
        return found


def chain_event(namespace: tuple[str, ...], task: Any) -> dict[str, Any]:
    """A node's start or end as LangChain's `astream_events` v2 names it."""
    name = task.get("name", "") if isinstance(task, dict) else ""
    started = isinstance(task, dict) and "input" in task
    return {
        "event": "on_chain_start" if started else "on_chain_end",
        "name": name,
        "run_id": task.get("id") if isinstance(task, dict) else None,
        "tags": [f"graph:step:{name}"],
        "metadata": {"langgraph_node": name, "langgraph_checkpoint_ns": "|".join(namespace)},
        "data": jsonable(
            {"input": task.get("input")} if started else {"output": task.get("result")}
        ),
        "parent_ids": [],
    }
