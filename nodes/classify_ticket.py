"""Triage step 1: category and priority, as a validated structured output."""

from __future__ import annotations

from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage

from nodes.base import AsyncNode
from nodes.context import last_customer_text
from state.outputs import TicketClassification
from state.schema import SupportState

PROMPT = """Classify this Nimbus Telecom support problem for a ticket.
category: billing (charges, credits, fees, collections), technical (something broken: network,
equipment, a device or a phone feature that does not work, such as a WiFi Calling switch
greyed out, the app or website, a payment page that fails), account (identity, security,
fraud, profile, a name misspelt on the bill or in the app, porting a number in or out, even one
that is stuck, privacy), general (complaints about staff or technicians, such as a rep who was
rude or refused to help, delivery, property damage).
priority: high (fraud, security, total loss of service, safety, collections), medium
(something broken, money wrong), low (complaints, cosmetic)."""


def make_classify_ticket(
    model: BaseChatModel,
) -> AsyncNode:
    classifier = model.with_structured_output(TicketClassification, method="function_calling")

    async def classify_ticket(state: SupportState) -> dict[str, Any]:
        text = last_customer_text(state.messages)
        result = await classifier.ainvoke([SystemMessage(PROMPT), HumanMessage(text)])
        if not isinstance(result, TicketClassification):
            result = TicketClassification(category="general", priority="medium", summary=text[:200])
        return {
            "category": result.category,
            "priority": result.priority,
            "ticket_summary": result.summary or text[:200],
        }

    return classify_ticket
