"""The plain chat-completion path: the request body it builds and the result it reads."""

from __future__ import annotations

import json
from typing import Any

import pytest
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage, ToolMessage
from langchain_core.utils.function_calling import convert_to_json_schema

from nodes.llm.completions import chat_result, plain_request
from nodes.llm.direct import DirectCall
from nodes.llm.hosted import HostedChatModel
from state.outputs import FaqAnswer

HISTORY = [
    SystemMessage("sys"),
    HumanMessage("q"),
    AIMessage("", tool_calls=[{"name": "transfer_to_faq", "args": {"reason": "x"}, "id": "c1"}]),
    ToolMessage("done", tool_call_id="c1"),
]


def completion(message: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "id": "chatcmpl-1",
        "model": "gpt-4o-mini",
        "choices": [{"index": 0, "message": message, "finish_reason": "tool_calls"}],
        "usage": {"prompt_tokens": 12, "completion_tokens": 3, "total_tokens": 15},
        **extra,
    }


def call(name: str, arguments: str, id_: str = "call_1") -> dict[str, Any]:
    return {"id": id_, "type": "function", "function": {"name": name, "arguments": arguments}}


def test_the_body_is_what_chatopenai_sends() -> None:
    options = {"tools": [{"type": "function"}], "tool_choice": "required"}

    body = plain_request("gpt-4o-mini", 0.0, HISTORY, None, options)

    assert body is not None
    assert body["model"] == "gpt-4o-mini" and body["stream"] is False
    assert body["temperature"] == 0.0 and body["tool_choice"] == "required"
    assert "stop" not in body
    assistant = body["messages"][2]
    assert assistant["content"] is None  # not "": ChatOpenAI sends null for a calling turn
    assert assistant["tool_calls"][0]["function"] == {
        "name": "transfer_to_faq",
        "arguments": json.dumps({"reason": "x"}),
    }
    assert body["messages"][3] == {"role": "tool", "tool_call_id": "c1", "content": "done"}


def test_stop_words_and_no_temperature() -> None:
    body = plain_request("m", None, HISTORY[:2], ["END"], {})

    assert body is not None and body["stop"] == ["END"] and "temperature" not in body


@pytest.mark.parametrize("option", ["response_format", "stream_options", "max_tokens", "stream"])
def test_any_other_option_is_not_a_plain_request(option: str) -> None:
    assert plain_request("m", 0.0, HISTORY, None, {"tool_choice": "auto", option: 1}) is None


def test_a_tool_call_answer() -> None:
    raw = call("FaqAnswer", '{"faq_id": "f1", "answer": "Yes."}')

    result = chat_result(completion({"role": "assistant", "content": None, "tool_calls": [raw]}))

    message = result.generations[0].message
    assert isinstance(message, AIMessage)
    assert message.content == ""
    assert message.tool_calls == [
        {
            "name": "FaqAnswer",
            "args": {"faq_id": "f1", "answer": "Yes."},
            "id": "call_1",
            "type": "tool_call",
        }
    ]
    assert message.additional_kwargs == {"refusal": None}
    assert message.usage_metadata == {"input_tokens": 12, "output_tokens": 3, "total_tokens": 15}
    assert message.response_metadata["finish_reason"] == "tool_calls"
    assert message.response_metadata["model_name"] == "gpt-4o-mini"
    assert message.response_metadata["id"] == "chatcmpl-1"
    assert message.id is None  # LangChain gives it the run's id, as for ChatOpenAI
    assert result.generations[0].generation_info == {"finish_reason": "tool_calls"}


def test_arguments_that_are_not_json_are_an_invalid_tool_call() -> None:
    raw = call("FaqAnswer", '{"faq_id": ')

    message = chat_result(completion({"role": "assistant", "tool_calls": [raw]})).generations[0]

    assert isinstance(message.message, AIMessage)
    assert message.message.tool_calls == []
    [invalid] = message.message.invalid_tool_calls
    assert invalid["name"] == "FaqAnswer" and invalid["args"] == '{"faq_id": '


def test_text_and_refusal() -> None:
    data = completion({"role": "assistant", "content": "hi", "refusal": "no"})
    data.pop("usage")

    message = chat_result(data).generations[0].message

    assert message.content == "hi" and message.additional_kwargs == {"refusal": "no"}
    assert isinstance(message, AIMessage) and message.usage_metadata is None


def test_an_error_body_raises() -> None:
    with pytest.raises(ValueError, match="overloaded"):
        chat_result({"error": {"message": "overloaded"}})


def test_the_traced_schema_is_converted_once_and_unchanged() -> None:
    model = HostedChatModel(model="gpt-4o-mini", api_key="k", base_url="http://127.0.0.1:9/v1")

    structured = model.with_structured_output(FaqAnswer, method="function_calling")

    assert isinstance(structured, DirectCall)
    traced = structured.options["ls_structured_output_format"]
    assert isinstance(traced["schema"], dict)
    assert convert_to_json_schema(traced["schema"]) == convert_to_json_schema(FaqAnswer)
    assert traced["kwargs"] == {"method": "function_calling", "strict": None}
