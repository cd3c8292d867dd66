"""Specialists (billing, technical, account): answer from the customer's own records.

One node function serves the three; each gets its own prompt and tools. A sensitive tool call
marks the turn `awaiting_approval` here, before the tool pauses for the operator, so the
checkpoint that waits already says so.
"""

from __future__ import annotations

from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, SystemMessage
from langchain_core.tools import BaseTool

from nodes.base import AsyncNode
from nodes.context import recent_turns
from state.schema import Route, SupportState, TurnStatus

SCOPES: dict[str, str] = {
    "billing": "balance, invoices and their line items, payments, autopay, and refunds",
    "technical": "the live network status in the customer's region",
    "account": "profile, customer tier, account status, the mobile plan and internet tier on "
    "file, open tickets, plan changes, cancellations and SIM swaps",
}

PROMPT = """You are Nimbus Telecom's {route} specialist. Your scope: {scope}.
Use your tools to read the signed-in customer's records (customer {customer}) and answer from
what they return; never invent account facts. Sensitive actions go through their tools, which
ask an operator first: never say an action is done unless the tool confirmed it, and if a tool
refuses, tell the customer why. Outside your scope, transfer to the right colleague or back to
the router. Call at most one tool at a time."""


def make_specialist(route: Route, model: BaseChatModel, tools: list[BaseTool]) -> AsyncNode:
    allowed = {t.name for t in tools}
    sensitive = {t.name for t in tools if (t.metadata or {}).get("requires_confirmation")}
    bound = model.bind_tools(tools, parallel_tool_calls=False)

    async def call_specialist(state: SupportState) -> dict[str, Any]:
        prompt = PROMPT.format(
            route=route, scope=SCOPES[route], customer=state.customer_id or "none: anonymous"
        )
        response = await bound.ainvoke([SystemMessage(prompt), *recent_turns(state.messages)])
        message = response if isinstance(response, AIMessage) else AIMessage(str(response))
        calls = [c for c in message.tool_calls if c["name"] in allowed][:1]
        message = message.model_copy(update={"tool_calls": calls})
        if not calls:
            return {"messages": [message], "route": route, "status": TurnStatus.RESOLVED}
        update: dict[str, Any] = {"messages": [message], "route": route}
        if calls[0]["name"] in sensitive:
            update["status"] = TurnStatus.AWAITING_APPROVAL
        return update

    return call_specialist


def route_after_specialist(state: SupportState) -> str:
    last = state.messages[-1] if state.messages else None
    return "tools" if isinstance(last, AIMessage) and last.tool_calls else "__end__"
