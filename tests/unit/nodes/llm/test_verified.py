"""Structured outputs of both backends are verified: one that does not fit is `None`; the
hosted backend raises on a refusal, as `ChatOpenAI`'s structured outputs do."""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.messages import AIMessage
from langchain_openai.chat_models.base import OpenAIRefusalError

from nodes.llm.direct import DirectCall
from nodes.llm.hosted import HostedChatModel
from state.outputs import FaqAnswer


def reply(args: dict[str, Any], name: str = "FaqAnswer") -> AIMessage:
    return AIMessage("", tool_calls=[{"name": name, "args": args, "id": "call_1"}])


@pytest.fixture
def hosted_faq() -> DirectCall:
    model = HostedChatModel(model="gpt-4o-mini", api_key="k", base_url="http://127.0.0.1:9/v1")
    structured = model.with_structured_output(FaqAnswer, method="function_calling")
    assert isinstance(structured, DirectCall)
    return structured


def test_the_hosted_structured_output_forces_its_tool_once(hosted_faq: DirectCall) -> None:
    assert hosted_faq.options["tool_choice"] == {
        "type": "function",
        "function": {"name": "FaqAnswer"},
    }
    assert [t["function"]["name"] for t in hosted_faq.options["tools"]] == ["FaqAnswer"]
    assert hosted_faq.options["parallel_tool_calls"] is False


def test_a_hosted_structured_output_that_does_not_fit_is_none(hosted_faq: DirectCall) -> None:
    assert hosted_faq._read_message(reply({"faq_id": "x"})) is None  # `answer` missing
    assert hosted_faq._read_message(reply({"faq_id": "x", "answer": "Yes."}, "Other")) is None
    assert hosted_faq._read_message(AIMessage("plain words")) is None
    parsed = hosted_faq._read_message(reply({"faq_id": "faq-1", "answer": "Yes."}))
    assert parsed == FaqAnswer(faq_id="faq-1", answer="Yes.")


def test_a_hosted_refusal_raises(hosted_faq: DirectCall) -> None:
    refused = AIMessage("", additional_kwargs={"refusal": "I can't help with that."})
    with pytest.raises(OpenAIRefusalError, match="can't help"):
        hosted_faq._read_message(refused)
    filtered = reply({"faq_id": "faq-1", "answer": "Yes."})
    filtered.response_metadata = {"finish_reason": "content_filter"}
    with pytest.raises(OpenAIRefusalError, match="content filter"):
        hosted_faq._read_message(filtered)
