"""A plain chat completion, sent through the OpenAI SDK's public `post` and read as JSON.

`ChatOpenAI`'s own path spends several milliseconds of CPU per call (measured against an
instant local server) outside the HTTP exchange: the SDK's type-driven transform of the request
body, Pydantic models built for the response and then converted again to LangChain's, and a
thread hop for that conversion. For the calls this project makes — messages, tools, a forced or
required tool choice, no streaming — the request is plain JSON, so it is built here with
LangChain's public converters and sent with `AsyncOpenAI.post` (the SDK's documented way to call
an endpoint directly: same client, auth, retries, timeouts and error types). The answer becomes
an `AIMessage` as `ChatOpenAI` builds it: content, parsed and invalid tool calls, refusal,
usage metadata and response metadata.

Anything else (streaming, `response_format`, the Responses API, other request options) is not
handled here: `plain_request` returns `None` and the caller takes `ChatOpenAI`'s path.
"""

from __future__ import annotations

from typing import Any, cast

import httpx
import openai
from langchain_core.exceptions import OutputParserException
from langchain_core.messages import (
    AIMessage,
    BaseMessage,
    InvalidToolCall,
    ToolCall,
    convert_to_openai_messages,
)
from langchain_core.messages.ai import UsageMetadata
from langchain_core.output_parsers.openai_tools import make_invalid_tool_call, parse_tool_call
from langchain_core.outputs import ChatGeneration, ChatResult

PLAIN_OPTIONS = frozenset({"tools", "tool_choice", "parallel_tool_calls"})
"""Per-call options a plain request carries as they are (`bind_tools` has formatted them)."""


def plain_request(
    model: str,
    temperature: float | None,
    messages: list[BaseMessage],
    stop: list[str] | None,
    options: dict[str, Any],
) -> dict[str, Any] | None:
    """The JSON body `ChatOpenAI` would send, or `None` when the call needs more than this."""
    if not PLAIN_OPTIONS.issuperset(options):
        return None
    body: dict[str, Any] = {"model": model, "stream": False, "messages": _openai_messages(messages)}
    if temperature is not None:
        body["temperature"] = temperature
    if stop:
        body["stop"] = stop
    body.update(options)
    return body


async def complete(client: openai.AsyncOpenAI, body: dict[str, Any]) -> ChatResult:
    """Send `body` to `/chat/completions`; the client retries and raises as for `create`."""
    response = await client.post("/chat/completions", body=body, cast_to=httpx.Response)
    return chat_result(response.json())


def chat_result(data: dict[str, Any]) -> ChatResult:
    """A chat-completion response body as LangChain's result, fields as `ChatOpenAI` sets them."""
    if data.get("error"):
        raise ValueError(data["error"])
    choice = data["choices"][0]
    raw = choice["message"]
    calls: list[ToolCall] = []
    invalid: list[InvalidToolCall] = []
    for call in raw.get("tool_calls") or []:
        try:
            parsed = parse_tool_call(call, return_id=True)
        except OutputParserException as exc:
            invalid.append(make_invalid_tool_call(call, str(exc)))
            continue
        if parsed is not None:  # None: not a function call
            calls.append(cast(ToolCall, parsed))
    extra: dict[str, Any] = {"refusal": raw.get("refusal")}
    usage = data.get("usage") or {}
    finish_reason = choice.get("finish_reason")
    message = AIMessage(
        content=raw.get("content") or "",
        additional_kwargs=extra,
        tool_calls=calls,
        invalid_tool_calls=invalid,
        usage_metadata=_usage(usage) if usage else None,
        response_metadata={
            "token_usage": usage,
            "model_provider": "openai",
            "model_name": data.get("model"),
            "system_fingerprint": data.get("system_fingerprint"),
            "id": data.get("id"),
            "finish_reason": finish_reason,
            "logprobs": choice.get("logprobs"),
        },
    )
    generation = ChatGeneration(message=message, generation_info={"finish_reason": finish_reason})
    llm_output = {
        "token_usage": usage,
        "model_provider": "openai",
        "model_name": data.get("model"),
        "system_fingerprint": data.get("system_fingerprint"),
        "id": data.get("id"),
    }
    return ChatResult(generations=[generation], llm_output=llm_output)


def _openai_messages(messages: list[BaseMessage]) -> list[dict[str, Any]]:
    converted = convert_to_openai_messages(messages)
    for message in converted:
        # ChatOpenAI sends `null`, not "", as the content of an assistant turn that only calls.
        if message.get("tool_calls") and message.get("content") == "":
            message["content"] = None
    return converted


def _usage(usage: dict[str, Any]) -> UsageMetadata:
    inputs = int(usage.get("prompt_tokens") or 0)
    outputs = int(usage.get("completion_tokens") or 0)
    return UsageMetadata(
        input_tokens=inputs,
        output_tokens=outputs,
        total_tokens=int(usage.get("total_tokens") or inputs + outputs),
    )
