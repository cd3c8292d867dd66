"""Human handoff: the conversation waits on `interrupt()` until an operator replies."""

from __future__ import annotations

from typing import Any

from langchain_core.messages import AIMessage

from nodes.base import AsyncNode
from nodes.context import last_customer_text
from nodes.router import person_required
from state.outputs import HumanHandoffRequest
from state.schema import SupportState, TurnStatus
from state.stores.switches import MemorySwitchBoard, SwitchBoard
from tools.approval import await_operator_reply
from tools.call_context import current_thread_id

ASKED = "the customer asked for a person"


def make_wait_for_operator(switches: SwitchBoard | None = None) -> AsyncNode:
    board = switches or MemorySwitchBoard()

    async def wait_for_operator(state: SupportState) -> dict[str, Any]:
        request = HumanHandoffRequest(
            reason=await person_required(board, current_thread_id()) or ASKED,
            customer_id=state.customer_id,
            last_message=last_customer_text(state.messages),
        )
        reply = await_operator_reply(request)
        return {
            "messages": [AIMessage(content=reply.message, name="operator")],
            "route": "human",
            "status": TurnStatus.HANDED_TO_HUMAN,
        }

    return wait_for_operator
