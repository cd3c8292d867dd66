"""The model and tool events of the `events` stream mode, named as LangChain's
`astream_events` v2 names them (`on_chat_model_start` / `_stream` / `_end`, `on_tool_start` /
`_end`), read from the run's callbacks while the graph streams its chunks.

The node-level `on_chain_start` / `on_chain_end` come from LangGraph's `tasks` stream
(`api.runs.stream_modes.chain_event`); this handler adds what happens inside a node. A model
that does not stream sends `on_chat_model_start` and `_end` without `_stream` events, as under
`astream_events` when nothing asks the model to stream.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from langchain_core.callbacks import AsyncCallbackHandler
from langchain_core.messages import AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGenerationChunk, GenerationChunk, LLMResult

from api.encoding import jsonable


class CallbackEvents(AsyncCallbackHandler):
    """Collects one run's model and tool events; the executor drains them into the stream."""

    def __init__(self) -> None:
        self._pending: list[dict[str, Any]] = []
        self._runs: dict[UUID, tuple[str, list[str], dict[str, Any], list[str]]] = {}

    def drain(self) -> list[dict[str, Any]]:
        """The events recorded since the last drain, oldest first."""
        found, self._pending = self._pending, []
        return found

    def _start(
        self,
        event: str,
        run_id: UUID,
        parent_run_id: UUID | None,
        name: str,
        tags: list[str] | None,
        metadata: dict[str, Any] | None,
        data: dict[str, Any],
    ) -> None:
        parents = [str(parent_run_id)] if parent_run_id else []  # the direct parent only
        self._runs[run_id] = (name, list(tags or []), dict(metadata or {}), parents)
        self._emit(event, run_id, data)

    def _emit(self, event: str, run_id: UUID, data: dict[str, Any], *, end: bool = False) -> None:
        known = self._runs.pop(run_id, None) if end else self._runs.get(run_id)
        if known is None:
            return  # a run started before this handler was attached
        name, tags, metadata, parents = known
        self._pending.append(
            {
                "event": event,
                "name": name,
                "run_id": str(run_id),
                "tags": tags,
                "metadata": jsonable(metadata),
                "data": jsonable(data),
                "parent_ids": parents,
            }
        )

    async def on_chat_model_start(
        self,
        serialized: dict[str, Any],
        messages: list[list[BaseMessage]],
        *,
        run_id: UUID,
        parent_run_id: UUID | None = None,
        tags: list[str] | None = None,
        metadata: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        name = kwargs.get("name") or _name(serialized)
        data = {"input": {"messages": messages}}
        self._start("on_chat_model_start", run_id, parent_run_id, name, tags, metadata, data)

    async def on_llm_new_token(
        self,
        token: str | list[str | dict[str, Any]],
        *,
        chunk: GenerationChunk | ChatGenerationChunk | None = None,
        run_id: UUID,
        parent_run_id: UUID | None = None,
        tags: list[str] | None = None,
        **kwargs: Any,
    ) -> None:
        piece = chunk.message if isinstance(chunk, ChatGenerationChunk) else None
        self._emit(
            "on_chat_model_stream", run_id, {"chunk": piece or AIMessageChunk(content=token)}
        )

    async def on_llm_end(self, response: LLMResult, *, run_id: UUID, **kwargs: Any) -> None:
        generations = [g for batch in response.generations for g in batch]
        output = getattr(generations[0], "message", None) if generations else None
        self._emit("on_chat_model_end", run_id, {"output": output}, end=True)

    async def on_llm_error(self, error: BaseException, *, run_id: UUID, **kwargs: Any) -> None:
        self._runs.pop(run_id, None)

    async def on_tool_start(
        self,
        serialized: dict[str, Any],
        input_str: str,
        *,
        run_id: UUID,
        parent_run_id: UUID | None = None,
        tags: list[str] | None = None,
        metadata: dict[str, Any] | None = None,
        inputs: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        name = kwargs.get("name") or _name(serialized)
        data = {"input": inputs if inputs is not None else input_str}
        self._start("on_tool_start", run_id, parent_run_id, name, tags, metadata, data)

    async def on_tool_end(self, output: Any, *, run_id: UUID, **kwargs: Any) -> None:
        self._emit("on_tool_end", run_id, {"output": output}, end=True)

    async def on_tool_error(self, error: BaseException, *, run_id: UUID, **kwargs: Any) -> None:
        """A tool that raised, an interrupt waiting for an operator among them."""
        self._emit("on_tool_error", run_id, {"error": type(error).__name__}, end=True)


def _name(serialized: dict[str, Any] | None) -> str:
    if not serialized:
        return ""
    ids = serialized.get("id") or [""]
    return str(serialized.get("name") or ids[-1])
