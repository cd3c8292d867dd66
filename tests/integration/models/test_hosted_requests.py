"""The hosted model's plain path sends what `ChatOpenAI` sends and reads what it reads."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import openai
import pytest
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import (
    AIMessage,
    BaseMessage,
    HumanMessage,
    SystemMessage,
    ToolMessage,
)
from langchain_core.runnables import Runnable
from langchain_openai import ChatOpenAI
from pydantic import BaseModel

from nodes.llm.hosted import HostedChatModel
from tests.support.openai_stub import OpenAIStub, Rule, Text, ToolCall


class Verdict(BaseModel):
    """Whether the message is blocked."""

    blocked: bool


def transfer_to_faq(reason: str) -> str:
    """Hand the conversation to the FAQ agent."""
    return reason


HISTORY: list[BaseMessage] = [
    SystemMessage("sys"),
    HumanMessage("when do you open?"),
    AIMessage("", tool_calls=[{"name": "transfer_to_faq", "args": {"reason": "x"}, "id": "c1"}]),
    ToolMessage("handed off", tool_call_id="c1"),
    HumanMessage("and on sundays?"),
]


@pytest.fixture(scope="module")
def stub() -> Iterator[OpenAIStub]:
    server = OpenAIStub(
        rules=(
            Rule(offers="Verdict", reply=ToolCall("Verdict", {"blocked": True})),
            Rule(offers="transfer_to_faq", reply=ToolCall("transfer_to_faq", {"reason": "faq"})),
            Rule(reply=Text("nine to five")),
        )
    ).start()
    yield server
    server.stop()


def models(stub: OpenAIStub, **extra: Any) -> tuple[BaseChatModel, BaseChatModel]:
    settings: dict[str, Any] = {
        "model": "gpt-4o-mini",
        "api_key": "test-key",
        "base_url": stub.base_url,
        "temperature": 0,
        "max_retries": 0,
        **extra,
    }
    return HostedChatModel(**settings), ChatOpenAI(**settings)


def shapes(model: BaseChatModel) -> dict[str, Runnable[Any, Any]]:
    return {
        "structured": model.with_structured_output(Verdict, method="function_calling"),
        "tools": model.bind_tools([transfer_to_faq], tool_choice="any", parallel_tool_calls=False),
        "text": model,
    }


def without_ids(value: Any) -> Any:
    """The stub numbers its answers: ids differ from one request to the next."""
    if isinstance(value, dict):
        return {k: without_ids(v) for k, v in value.items() if k != "id"}
    if isinstance(value, list):
        return [without_ids(v) for v in value]
    return value


def comparable(message: Any) -> Any:
    if not isinstance(message, AIMessage):
        return message
    usage = message.usage_metadata or {}
    return without_ids(
        [
            message.content,
            message.tool_calls,
            message.invalid_tool_calls,
            message.additional_kwargs,
            [usage.get(k) for k in ("input_tokens", "output_tokens", "total_tokens")],
            {k: v for k, v in message.response_metadata.items() if k != "token_usage"},
        ]
    )


@pytest.mark.parametrize("shape", ["structured", "tools", "text"])
async def test_same_request_and_same_answer_as_chatopenai(stub: OpenAIStub, shape: str) -> None:
    hosted, reference = models(stub)

    ours = await shapes(hosted)[shape].ainvoke(HISTORY)
    theirs = await shapes(reference)[shape].ainvoke(HISTORY)

    first, second = stub.requests[-2:]
    assert first.body == second.body
    assert first.authorization == second.authorization == "Bearer test-key"
    assert comparable(ours) == comparable(theirs)
    if shape == "structured":
        assert ours == Verdict(blocked=True)


async def test_a_model_with_more_settings_still_sends_them(stub: OpenAIStub) -> None:
    hosted, reference = models(stub, max_tokens=7, model_kwargs={"user": "u-1"})

    await hosted.ainvoke(HISTORY)
    await reference.ainvoke(HISTORY)

    first, second = stub.requests[-2:]
    assert first.body == second.body
    assert first.body["max_completion_tokens"] == 7 and first.body["user"] == "u-1"


async def test_an_endpoint_error_raises_the_sdk_error() -> None:
    refusing = OpenAIStub(rules=()).start()  # no rule matches: every request gets a 400
    try:
        hosted, _ = models(refusing)
        with pytest.raises(openai.BadRequestError):
            await hosted.ainvoke(HISTORY)
        assert len(refusing.unmatched) == 1  # a 400 is not retried
    finally:
        refusing.stop()
