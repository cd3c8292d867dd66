"""Human handoff: the customer is told a person is coming, then the conversation waits on
`interrupt()` until an operator replies.

A customer who writes again while the handoff waits is told their message is with the team
(the handoff stays pending); while an operator already talks with them (a takeover, or the
assistant switched off) the notice is not repeated.

The notice is its own node so it is written once, before the pause: a resumed node re-runs
from its first line, and a message added after `interrupt()` would only appear on resume.
"""

from __future__ import annotations

from typing import Any

from langchain_core.messages import AIMessage
from langchain_core.runnables import RunnableConfig

from nodes.base import AsyncNode
from nodes.context import last_customer_text, person_in_conversation
from nodes.language import detect_language
from nodes.router import person_required
from state.outputs import HumanHandoffRequest
from state.schema import SupportState, TurnStatus
from state.stores.audit import AuditLog
from state.stores.switches import MemorySwitchBoard, SwitchBoard
from tools.approval import await_operator_reply
from tools.call_context import audit_entry, thread_id

ASKED = "the customer asked for a person"

HANDOFF_NOTICE = {
    "en": "I'm connecting you with a person from our support team. Please stay in this chat: "
    "they can see our conversation so far and will reply here shortly.",
    "ko": "상담원에게 연결해 드리고 있습니다. 이 채팅창을 닫지 말고 "
    "잠시만 기다려 주세요. 상담원이 지금까지의 대화를 "
    "확인하고 곧 이곳에서 답변드릴 예정입니다.",
}


STILL_WAITING_NOTICE = {
    "en": "Thanks, your message is with our support team too. A person will reply here shortly.",
    "ko": "메시지가 상담팀에 함께 전달되었습니다. 곧 상담원이 이곳에서 답변드릴 예정입니다.",
}


async def announce_handoff(state: SupportState) -> dict[str, Any]:
    """Tell the customer, in their language, that a person is taking over; once only."""
    outcome: dict[str, Any] = {"route": "human", "status": TurnStatus.HANDED_TO_HUMAN}
    already = person_in_conversation(state.messages)
    if already == "operator":
        return outcome  # a person is already talking with the customer
    language = detect_language(last_customer_text(state.messages))
    notice = (STILL_WAITING_NOTICE if already == "handoff" else HANDOFF_NOTICE)[language]
    return {**outcome, "messages": [AIMessage(content=notice, name="handoff")]}


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
