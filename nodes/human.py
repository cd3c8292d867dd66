"""Human handoff: the conversation waits on `interrupt()` until an operator replies."""

from __future__ import annotations

from typing import Any

from langchain_core.messages import AIMessage
from langchain_core.runnables import RunnableConfig

from nodes.base import AsyncNode
from nodes.context import last_customer_text
from nodes.router import person_required
from state.outputs import HumanHandoffRequest
from state.schema import SupportState, TurnStatus
from state.stores.audit import AuditLog
from state.stores.switches import MemorySwitchBoard, SwitchBoard
from tools.approval import await_operator_reply
from tools.call_context import audit_entry, thread_id

ASKED = "the customer asked for a person"


def make_wait_for_operator(
    audit: AuditLog | None = None, switches: SwitchBoard | None = None
) -> AsyncNode:
    """The handoff node; with an `audit` log, each operator reply is recorded there. The
    request says why a person is needed: the customer asked, the assistant is switched off,
    or an operator holds the thread."""
    board = switches or MemorySwitchBoard()

    async def wait_for_operator(state: SupportState, config: RunnableConfig) -> dict[str, Any]:
        request = HumanHandoffRequest(
            reason=await person_required(board, thread_id(config)) or ASKED,
            customer_id=state.customer_id,
            last_message=last_customer_text(state.messages),
        )
        reply = await_operator_reply(request)
        if audit is not None:
            key = f"{thread_id(config)}:{state.turn_id}:human"
            logged = {"customer_id": state.customer_id, "message": reply.message}
            await audit.append(audit_entry(config, "operator_reply", key, logged))
        return {
            "messages": [AIMessage(content=reply.message, name="operator")],
            "route": "human",
            "status": TurnStatus.HANDED_TO_HUMAN,
        }

    return wait_for_operator
