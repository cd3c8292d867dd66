"""Structured outputs of both backends are verified: one that does not fit is `None`, parsed
on the event loop."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from langchain_core.messages import AIMessage
from langchain_core.runnables import Runnable, RunnableSequence

from nodes.llm.hosted import HostedChatModel
from nodes.llm.verified import VerifiedToolsParser
from state.outputs import FaqAnswer


def after_the_model(structured: Runnable[Any, Any]) -> Runnable[Any, Any]:
    """What the structured output does with the model's reply."""
    assert isinstance(structured, RunnableSequence)
    return RunnableSequence(*structured.steps[1:]) if len(structured.steps) > 2 else structured.last


def reply(args: dict[str, Any]) -> AIMessage:
    return AIMessage("", tool_calls=[{"name": "FaqAnswer", "args": args, "id": "call_1"}])


@pytest.fixture
def hosted_faq() -> Runnable[Any, Any]:
    model = HostedChatModel(model="gpt-4o-mini", api_key="k", base_url="http://127.0.0.1:9/v1")
    return model.with_structured_output(FaqAnswer, method="function_calling")


def test_the_hosted_backend_uses_the_verified_parser(hosted_faq: Runnable[Any, Any]) -> None:
    assert isinstance(hosted_faq, RunnableSequence)
    assert isinstance(hosted_faq.last, VerifiedToolsParser)


async def test_a_hosted_structured_output_that_does_not_fit_is_none(
    hosted_faq: Runnable[Any, Any],
) -> None:
    parse = after_the_model(hosted_faq)

    assert await parse.ainvoke(reply({"faq_id": "x"})) is None  # `answer` missing
    parsed = await parse.ainvoke(reply({"faq_id": "faq-1", "answer": "Yes."}))
    assert parsed == FaqAnswer(faq_id="faq-1", answer="Yes.")


async def test_parsing_takes_no_thread_pool_hop(
    hosted_faq: Runnable[Any, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    loop = asyncio.get_running_loop()
    hops: list[Any] = []
    original = loop.run_in_executor

    def counted(executor: Any, func: Any, *args: Any) -> Any:
        hops.append(func)
        return original(executor, func, *args)

    monkeypatch.setattr(loop, "run_in_executor", counted)
    await after_the_model(hosted_faq).ainvoke(reply({"faq_id": "faq-1", "answer": "Yes."}))

    assert hops == []
