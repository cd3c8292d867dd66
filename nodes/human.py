"""Human handoff: the conversation waits on `interrupt()` until an operator replies."""

from __future__ import annotations

from typing import Any

from langchain_core.messages import AIMessage

from nodes.context import last_customer_text
from state.outputs import HumanHandoffRequest
from state.schema import SupportState, TurnStatus
from tools.approval import await_operator_reply


async def wait_for_operator(state: SupportState) -> dict[str, Any]:
    request = HumanHandoffRequest(
        reason="the customer asked for a person",
        customer_id=state.customer_id,
        last_message=last_customer_text(state.messages),
    )
    reply = await_operator_reply(request)
    return {
        "messages": [AIMessage(content=reply.message, name="operator")],
        "route": "human",
        "status": TurnStatus.HANDED_TO_HUMAN,
    }
