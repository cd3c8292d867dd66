"""The hosted backend: `ChatOpenAI` against OpenAI or a compatible server, with a fallback.

When the endpoint fails in a way that retrying soon will not fix (it is unreachable, times
out, rate-limits or answers 5xx, after the client's own retries), the call is answered by the
fallback model, the offline backend, which reads the same bound tools. Only the call path
changes: prompts, tools and parsers are the same, so the node cannot tell, except that
`note_fallback` tells the node's recorder. Errors that are the request's fault (400, 401, 404)
are not hidden behind a fallback.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, Self

import openai
from langchain_core.callbacks import AsyncCallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, ToolCallChunk
from langchain_core.outputs import ChatGenerationChunk, ChatResult
from langchain_openai import ChatOpenAI
from langchain_openai.chat_models.base import OpenAIRefusalError
from pydantic import PrivateAttr

from nodes.llm.completions import complete, plain_request
from nodes.llm.fallbacks import EndpointHealth, Role, note_fallback
from nodes.llm.verified import RejectsInvalidOutput

logger = logging.getLogger(__name__)

FALLBACK_ERRORS: tuple[type[Exception], ...] = (
    openai.APIConnectionError,  # refused, reset, DNS, and APITimeoutError
    openai.RateLimitError,
    openai.InternalServerError,
)

Fallback = Callable[[], Awaitable[BaseChatModel]]

PLAIN_FIELDS = frozenset(
    {
        "async_client", "callbacks", "client", "max_retries", "metadata", "model_kwargs",
        "model_name", "name", "openai_api_base", "openai_api_key", "openai_organization",
        "profile", "request_timeout", "root_async_client", "root_client", "tags", "temperature",
        "verbose",
    }
)  # fmt: skip
"""Fields a model may set and still send plain requests: none of the others adds to the body."""


class HostedChatModel(RejectsInvalidOutput, ChatOpenAI):
    """`ChatOpenAI` that hands a call to its fallback model when the endpoint is down."""

    _role: Role = PrivateAttr(default="")
    _fallback: Fallback | None = PrivateAttr(default=None)
    _health: EndpointHealth = PrivateAttr(default_factory=EndpointHealth)

    def with_fallback(self, role: Role, fallback: Fallback, health: EndpointHealth) -> Self:
        self._role, self._fallback, self._health = role, fallback, health
        return self

    def check_output(self, message: AIMessage) -> None:
        """A structured output the model refused, or a content filter stopped, raises
        `OpenAIRefusalError`, as `ChatOpenAI`'s own structured outputs do."""
        refusal = message.additional_kwargs.get("refusal")
        if refusal:
            raise OpenAIRefusalError(str(refusal), raw_message=message)
        if message.response_metadata.get("finish_reason") == "content_filter":
            raise OpenAIRefusalError(
                "Model output was stopped by a content filter", raw_message=message
            )

    def _endpoint_failed(self, exc: Exception) -> None:
        logger.warning(
            "model endpoint failed for %s (%s: %s); using the offline backend for %.0f s",
            self._role,
            type(exc).__name__,
            exc,
            self._health.cooldown_seconds,
        )
        self._health.mark_down()

    async def _backup(self) -> BaseChatModel:
        assert self._fallback is not None
        note_fallback(self._role)
        return await self._fallback()

    async def _call(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None,
        run_manager: AsyncCallbackManagerForLLMRun | None,
        **kwargs: Any,
    ) -> ChatResult:
        """A plain request goes straight through the SDK's client (nodes/llm/completions.py)."""
        body = None
        if not self.model_kwargs and PLAIN_FIELDS.issuperset(self.model_fields_set):
            body = plain_request(self.model_name, self.temperature, messages, stop, kwargs)
        if body is None:
            return await super()._agenerate(messages, stop, run_manager, **kwargs)
        return await complete(self.root_async_client, body)

    async def _agenerate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        if self._fallback is None:
            return await self._call(messages, stop, run_manager, **kwargs)
        if not self._health.is_down():
            try:
                return await self._call(messages, stop, run_manager, **kwargs)
            except FALLBACK_ERRORS as exc:
                self._endpoint_failed(exc)
        backup = await self._backup()
        return await backup._agenerate(messages, stop, None, **kwargs)

    async def _astream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> AsyncIterator[ChatGenerationChunk]:
        """Streaming (`stream_mode="messages"`): the fallback's answer arrives as one chunk."""
        if self._fallback is None or not self._health.is_down():
            started = False
            try:
                async for chunk in super()._astream(messages, stop, run_manager, **kwargs):
                    started = True
                    yield chunk
                return
            except FALLBACK_ERRORS as exc:
                # Without a fallback, or with part of an answer out, there is nothing to do.
                if self._fallback is None or started:
                    raise
                self._endpoint_failed(exc)
        kwargs.pop("stream_usage", None)
        backup = await self._backup()
        result = await backup._agenerate(messages, stop, None, **kwargs)
        message = result.generations[0].message
        chunk = ChatGenerationChunk(message=_as_chunk(message))
        if run_manager is not None:
            await run_manager.on_llm_new_token(message.text, chunk=chunk)
        yield chunk


def _as_chunk(message: BaseMessage) -> AIMessageChunk:
    calls = message.tool_calls if isinstance(message, AIMessage) else []
    return AIMessageChunk(
        content=message.content,
        id=message.id,
        tool_call_chunks=[
            ToolCallChunk(name=c["name"], args=json.dumps(c["args"]), id=c["id"], index=i)
            for i, c in enumerate(calls)
        ],
    )
