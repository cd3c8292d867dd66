"""Router: one decision per turn, made by calling exactly one handoff tool."""

from __future__ import annotations

from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, SystemMessage
from langchain_core.tools import BaseTool

from nodes.base import AsyncNode
from nodes.context import person_in_conversation, recent_turns
from state.schema import SupportState
from state.stores.switches import SwitchBoard
from tools.call_context import current_thread_id
from tools.handoffs import handoff_name

PROMPT = """You route Nimbus Telecom customer messages. Call exactly one transfer tool:
- transfer_to_faq: general questions the help center answers, including how refunds, plan
  changes, SIM swaps and cancellations work and what they cost;
- transfer_to_billing / transfer_to_technical / transfer_to_account: questions about this
  customer's own data, or asking us to DO something (refund, plan change, cancel, SIM swap);
- transfer_to_human: an explicit request to talk to a person;
- transfer_to_triage: a real problem (something broken, a wrong charge, fraud, a complaint)
  that needs a ticket.
A question quoting the customer's own bill figures or naming a month of their bill ("why is
my March bill $184.10, it's usually 150?") goes to billing, who reads the invoice; the same
question without their own figures is a help-center question. A dispute with figures or
evidence ("it should be $10 a month but my bills show $6", "I returned it but was
charged anyway", "I have the receipt") is a wrong charge for triage. When service will be
back, an outage's estimated time, or whether anything is wrong today ("several of my staff
keep dropping calls, is something going on?") goes to technical, who reads the region's
status. The customer's own balance (also on a closed account), device payments left, whether
a trade-in credit was applied, or a line on their bills goes to billing. A refund for a
specific purchase, also at the end of a story ("...the trip was cancelled, can I get that
back?"), goes to billing, who proposes it; a payment page or app that fails is a ticket.
Korean requests in casual endings ("바꿔주세여", "해주삼", "해주셈", "해지 ㄱㄱ") ask us to act
as "바꿔 주세요" does.
Customers write in English or Korean (and other languages): route by what they ask, not by
the language. A plan change is never a cancellation; when unsure between an action and a
question about it, prefer the specialist who can ask. Asking whether humans work here is a
request for a person. In a long message, route by the request it ends with, not by the story
before it. If you cannot tell what the customer needs, transfer_to_triage (a person reads the
ticket) rather than guess.
Signed-in customer: {customer}."""

STILL_WAITING = "the customer is still waiting for a person"
"""Why a message goes to a person when a handoff waits: it stays pending, the customer's new
message joins it (a new message would otherwise start a turn that drops the wait)."""

FALLBACK = "faq"
"""Where a turn goes when the model names no valid handoff: the FAQ, which falls back to triage."""


def make_router(
    model: BaseChatModel, handoffs: list[BaseTool], switches: SwitchBoard | None = None
) -> AsyncNode:
    allowed = {tool.name for tool in handoffs}
    bound = model.bind_tools(handoffs, tool_choice="any", parallel_tool_calls=False)

    async def route_request(state: SupportState) -> dict[str, Any]:
        why = await person_required(switches, current_thread_id()) if switches else None
        if why is None and person_in_conversation(state.messages) == "handoff":
            why = STILL_WAITING  # a person was asked for and has not replied yet
        if why is not None:
            return {"messages": [to_person(why, state)]}
        prompt = PROMPT.format(customer=state.customer_id or "nobody (anonymous chat)")
        response = await bound.ainvoke([SystemMessage(prompt), *recent_turns(state.messages)])
        return {"messages": [verified_handoff(response, allowed)]}

    return route_request


def verified_handoff(response: Any, allowed: set[str]) -> AIMessage:
    """Exactly one allowed handoff call; anything else is replaced by the fallback route."""
    message = response if isinstance(response, AIMessage) else AIMessage(content=str(response))
    calls = [c for c in message.tool_calls if c["name"] in allowed]
    if calls:
        return message.model_copy(update={"tool_calls": calls[:1]})
    fallback = {
        "name": handoff_name(FALLBACK),
        "args": {"reason": "no valid route was chosen"},
        "id": f"fallback_{message.id or 'router'}",
    }
    return AIMessage(content=message.text, tool_calls=[fallback], id=message.id)


async def person_required(switches: SwitchBoard, thread: str | None) -> str | None:
    """Why this message must go to a person without the assistant, if it must: the
    `assistant: off` switch, or an operator holding the thread."""
    if (await switches.current()).assistant == "off":
        return "the assistant is switched off"
    holder = await switches.holder(thread) if thread else None
    return f"{holder} took this conversation over" if holder else None


def to_person(reason: str, state: SupportState) -> AIMessage:
    """The handoff to a person, decided without asking the model."""
    turn = state.turn_id or "turn"
    call = {"name": handoff_name("human"), "args": {"reason": reason}, "id": f"person_{turn}"}
    return AIMessage(content="", tool_calls=[call])
