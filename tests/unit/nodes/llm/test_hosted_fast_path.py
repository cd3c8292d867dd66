"""The hosted backend's plain chat completions: sent as ChatOpenAI would send them, without
the SDK's body transform or a thread-pool hop, and errors translated as ChatOpenAI does."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx2
import openai
import pytest
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage
from openai._utils import _transform

from nodes.llm.hosted import HostedChatModel
from state.schema import ROUTES
from tools.handoffs import make_handoff_tool

COMPLETION = {
    "id": "chatcmpl-1",
    "object": "chat.completion",
    "created": 0,
    "model": "gpt-4o-mini",
    "choices": [
        {
            "index": 0,
            "finish_reason": "tool_calls",
            "message": {
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    {
                        "id": "call_1",
                        "type": "function",
                        "function": {"name": "transfer_to_faq", "arguments": '{"reason": "faq"}'},
                    }
                ],
            },
        }
    ],
    "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
}


def model_answering(status: int, body: dict[str, Any], seen: list[dict[str, Any]]) -> Any:
    def answer(request: httpx2.Request) -> httpx2.Response:
        seen.append(json.loads(request.content))
        return httpx2.Response(status, json=body)

    client = httpx2.AsyncClient(transport=httpx2.MockTransport(answer))
    model = HostedChatModel(
        model="gpt-4o-mini",
        api_key="k",
        base_url="http://model.test/v1",
        max_retries=0,
        http_async_client=client,
    )
    handoffs = [make_handoff_tool(route, from_subgraph=False) for route in ROUTES]
    return model.bind_tools(handoffs, tool_choice="any", parallel_tool_calls=False)


PROMPT = [SystemMessage("Route this."), HumanMessage("How do I reset my voicemail PIN?")]


async def test_a_tool_call_comes_back_without_transform_or_thread_hop(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[dict[str, Any]] = []
    bound = model_answering(200, COMPLETION, seen)
    await bound.ainvoke(PROMPT)  # the SDK reads the platform once, in a thread
    seen.clear()
    transforms: list[Any] = []
    original = _transform._async_transform_recursive

    async def counted(*args: Any, **kwargs: Any) -> Any:
        transforms.append(args)
        return await original(*args, **kwargs)

    monkeypatch.setattr(_transform, "_async_transform_recursive", counted)
    loop = asyncio.get_running_loop()
    hops: list[Any] = []
    run_in_executor = loop.run_in_executor

    def hop(executor: Any, func: Any, *args: Any) -> Any:
        hops.append(func)
        return run_in_executor(executor, func, *args)

    monkeypatch.setattr(loop, "run_in_executor", hop)

    message = await bound.ainvoke(PROMPT)

    assert isinstance(message, AIMessage)
    assert message.tool_calls == [
        {"name": "transfer_to_faq", "args": {"reason": "faq"}, "id": "call_1", "type": "tool_call"}
    ]
    assert message.usage_metadata is not None and message.usage_metadata["total_tokens"] == 15
    [request] = seen
    assert request["tool_choice"] == "required"
    assert request["parallel_tool_calls"] is False
    assert [m["role"] for m in request["messages"]] == ["system", "user"]
    assert {t["function"]["name"] for t in request["tools"]} == {f"transfer_to_{r}" for r in ROUTES}
    assert transforms == [] and hops == []


async def test_errors_are_translated_as_chat_openai_translates_them() -> None:
    seen: list[dict[str, Any]] = []
    error = {"error": {"message": "no such model", "type": "invalid_request_error"}}

    with pytest.raises(openai.NotFoundError):
        await model_answering(404, error, seen).ainvoke(PROMPT)
    with pytest.raises(openai.BadRequestError):
        await model_answering(400, error, seen).ainvoke(PROMPT)
    assert len(seen) == 2  # each sent once
