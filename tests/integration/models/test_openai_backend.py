"""The `openai` backend end to end: `ChatOpenAI`'s real HTTP path against a scripted local
OpenAI-compatible server, with the real Redis checkpointer and record store.

The stub answers by rule (which tools a request offers, what the customer said, which tool
result the model is looking at), and every request it received is checked afterwards: what
the product sends a hosted model is part of what these tests prove.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any
from uuid import uuid4

import pytest
from langchain_core.messages import AIMessage, AIMessageChunk, HumanMessage, ToolMessage
from langchain_openai import ChatOpenAI

from api.bootstrap import SupportApp, open_support_app
from api.turns import read_turn, resume_turn, send_message, thread_config
from state.schema import ROUTES
from state.settings import Settings
from state.stores.records import CommittedAction
from tests.support.openai_stub import ChatRequest, OpenAIStub, Rule, Text, ToolCall
from tools.handoffs import handoff_name

API_KEY = "test-key"
HANDOFFS = {handoff_name(route) for route in ROUTES}
LATE_FEE = "Late fee (bill of May 8, paid Jun 6)"
REFUND_ARGS = {
    "reason": "Customer asks for the June late fee back",
    "description": "Late fee",
    "invoice_id": "INV-1006-250608",
    "amount": 10.0,
}

GUARDRAIL_OK = Rule(
    offers="GuardrailVerdict", reply=ToolCall("GuardrailVerdict", {"blocked": False})
)


@pytest.fixture(scope="module")
def openai_stub() -> Iterator[OpenAIStub]:
    stub = OpenAIStub().start()
    yield stub
    stub.stop()


@pytest.fixture(scope="module")
async def support_app(openai_stub: OpenAIStub, redis_url: str) -> AsyncIterator[SupportApp]:
    settings = Settings(
        model_backend="openai",
        openai_api_key=API_KEY,
        openai_base_url=openai_stub.base_url,
        redis_url=redis_url,
        cache_dir=None,
        key_prefix=f"oai{uuid4().hex[:8]}",
    )
    async with open_support_app(settings) as app:
        yield app


@pytest.fixture
def thread() -> str:
    return f"openai-backend-{uuid4().hex}"


def offering(stub: OpenAIStub, tool: str) -> list[ChatRequest]:
    return [r for r in stub.requests if tool in r.tool_names]


def assert_all_answered(stub: OpenAIStub) -> None:
    assert stub.unmatched == [], [r.body for r in stub.unmatched]
    assert {r.authorization for r in stub.requests} == {f"Bearer {API_KEY}"}


async def thread_actions(app: SupportApp, thread: str) -> list[CommittedAction]:
    return [a for a in await app.deps.records.list_actions() if a.thread_id == thread]


async def test_ticket_turn_goes_through_guardrail_router_and_triage(
    support_app: SupportApp, openai_stub: OpenAIStub, thread: str
) -> None:
    text = "I was charged twice for my June bill and the second charge is still there"
    summary = "Charged twice on the June bill"
    openai_stub.script(
        GUARDRAIL_OK,
        Rule(
            offers="transfer_to_triage",
            user_says="charged twice",
            reply=ToolCall("transfer_to_triage", {"reason": "a wrong charge needs a ticket"}),
        ),
        Rule(
            offers="TicketClassification",
            reply=ToolCall(
                "TicketClassification",
                {"category": "billing", "priority": "high", "summary": summary},
            ),
        ),
    )

    turn = await send_message(support_app.graph, thread, text, "C-1003")

    assert turn.status == "ticket_created"
    assert turn.category == "billing"
    assert not turn.interrupted
    assert turn.ticket_id is not None
    assert turn.answer is not None and turn.ticket_id in turn.answer
    ticket = await support_app.deps.records.get_ticket(turn.ticket_id)
    assert ticket is not None
    assert (ticket.category, ticket.priority, ticket.summary) == ("billing", "high", summary)
    assert (ticket.customer_id, ticket.thread_id, ticket.message) == ("C-1003", thread, text)

    assert_all_answered(openai_stub)
    guardrail, router, triage = openai_stub.requests
    assert guardrail.forced_tool == "GuardrailVerdict"
    assert guardrail.last_user_text == text
    assert set(router.tool_names) == HANDOFFS
    assert router.body["parallel_tool_calls"] is False
    assert router.body["tool_choice"] == "required"
    assert router.last_user_text == text
    assert triage.tool_names == ["TicketClassification"]
    assert triage.forced_tool == "TicketClassification"
    assert triage.body["parallel_tool_calls"] is False
    assert triage.last_user_text == text


def refund_script(final_answer: str) -> tuple[Rule, ...]:
    """Router → billing; billing proposes the refund, then answers the tool's result."""
    return (
        GUARDRAIL_OK,
        Rule(
            offers="transfer_to_billing",
            user_says="late fee",
            after_tool=False,
            reply=ToolCall("transfer_to_billing", {"reason": "refund of a charge"}),
        ),
        Rule(
            offers="request_refund",
            after_tool="transfer_to_billing",
            reply=ToolCall("request_refund", REFUND_ARGS),
        ),
        Rule(offers="request_refund", after_tool="request_refund", reply=Text(final_answer)),
    )


async def start_refund(app: SupportApp, stub: OpenAIStub, thread: str) -> dict[str, Any]:
    """Run the refund turn up to the operator's approval; returns the interrupt payload."""
    turn = await send_message(
        app.graph, thread, "Please refund the late fee on my June invoice", "C-1006"
    )
    assert turn.interrupted
    assert (turn.status, turn.route) == ("awaiting_approval", "billing")
    assert turn == await read_turn(app.graph, thread)  # the pending interrupt stays visible
    (interrupt,) = turn.interrupts
    payload: dict[str, Any] = interrupt["value"]
    assert payload["kind"] == "approval"
    assert payload["action"] == "request_refund"
    assert payload["customer_id"] == "C-1006"
    assert payload["arguments"] == {
        "description": "Late fee",
        "amount": 10.0,
        "invoice_id": "INV-1006-250608",
        "line_item": LATE_FEE,
    }
    assert payload["error"] is None
    assert await thread_actions(app, thread) == []

    assert_all_answered(stub)
    assert len(stub.requests) == 3
    specialist = stub.requests[-1]
    assert {"get_balance", "get_invoices", "request_refund"} <= set(specialist.tool_names)
    assert specialist.body["parallel_tool_calls"] is False
    return payload


async def test_refund_waits_for_approval_then_commits_once(
    support_app: SupportApp, openai_stub: OpenAIStub, thread: str
) -> None:
    final = "Your $10.00 late fee refund is done."
    openai_stub.script(*refund_script(final))
    await start_refund(support_app, openai_stub, thread)

    turn = await resume_turn(support_app.graph, thread, {"decision": "approve"})

    assert (turn.status, turn.route, turn.interrupted) == ("resolved", "billing", False)
    assert turn.answer == final
    (action,) = await thread_actions(support_app, thread)
    assert action.action == "request_refund"
    assert action.customer_id == "C-1006"
    assert action.arguments["amount"] == 10.0
    assert action.arguments["invoice_id"] == "INV-1006-250608"
    assert action.arguments["line_item"] == LATE_FEE

    assert_all_answered(openai_stub)
    assert len(openai_stub.requests) == 4
    result = openai_stub.requests[-1].last_tool_result
    assert result is not None and result["name"] == "request_refund"
    assert "A refund of $10.00 was approved" in result["content"]
    assert action.action_id in result["content"]


async def test_rejected_refund_tells_the_model_why_and_commits_nothing(
    support_app: SupportApp, openai_stub: OpenAIStub, thread: str
) -> None:
    final = "I'm sorry, the refund was not approved: not eligible."
    openai_stub.script(*refund_script(final))
    await start_refund(support_app, openai_stub, thread)

    turn = await resume_turn(
        support_app.graph, thread, {"decision": "reject", "reason": "not eligible"}
    )

    assert (turn.status, turn.interrupted, turn.answer) == ("resolved", False, final)
    assert await thread_actions(support_app, thread) == []

    assert_all_answered(openai_stub)
    assert len(openai_stub.requests) == 4
    result = openai_stub.requests[-1].last_tool_result
    assert result is not None and result["name"] == "request_refund"
    assert "rejected" in result["content"] and "not eligible" in result["content"]
    assert "Nothing was changed" in result["content"]
    assert "approved" not in result["content"]
    state = await support_app.graph.aget_state(thread_config(thread))
    (tool_message,) = [
        m
        for m in state.values["messages"]
        if isinstance(m, ToolMessage) and m.name == "request_refund"
    ]
    assert tool_message.status == "error"


async def test_stub_streams_tool_calls_and_text(openai_stub: OpenAIStub) -> None:
    """`ChatOpenAI` streams under `stream_mode="messages"`; the stub must speak SSE too."""
    openai_stub.script(
        Rule(offers="request_refund", reply=ToolCall("request_refund", REFUND_ARGS)),
        Rule(reply=Text("streamed answer")),
    )
    model = ChatOpenAI(model="stub", api_key=API_KEY, base_url=openai_stub.base_url)
    tool = {
        "type": "function",
        "function": {"name": "request_refund", "parameters": {"type": "object"}},
    }
    called = AIMessageChunk(content="")
    async for chunk in model.bind_tools([tool]).astream([HumanMessage("refund please")]):
        assert isinstance(chunk, AIMessageChunk)
        called += chunk
    assert [(c["name"], c["args"]) for c in called.tool_calls] == [("request_refund", REFUND_ARGS)]
    answer = await model.ainvoke([HumanMessage("hello")], stream=True)
    assert isinstance(answer, AIMessage) and answer.text == "streamed answer"
    assert [r.body.get("stream") for r in openai_stub.requests] == [True, True]
    assert_all_answered(openai_stub)
