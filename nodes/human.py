"""Human handoff: the conversation waits on `interrupt()` until an operator replies."""

from __future__ import annotations

from typing import Any

from langchain_core.messages import AIMessage
from langchain_core.runnables import RunnableConfig

from nodes.base import AsyncNode
from nodes.context import last_customer_text
from state.outputs import HumanHandoffRequest
from state.schema import SupportState, TurnStatus
from state.stores.audit import AuditLog
from tools.approval import await_operator_reply
from tools.call_context import audit_entry, thread_id


def make_wait_for_operator(audit: AuditLog | None = None) -> AsyncNode:
    """The handoff node; with an `audit` log, each operator reply is recorded there."""

    async def node(state: SupportState, config: RunnableConfig) -> dict[str, Any]:
        update = await wait_for_operator(state)
        if audit is not None:
            reply = update["messages"][0].content
            key = f"{thread_id(config)}:{state.turn_id}:human"
            logged = {"customer_id": state.customer_id, "message": reply}
            await audit.append(audit_entry(config, "operator_reply", key, logged))
        return update

    node.__name__ = "wait_for_operator"
    return node


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
