"""Human handoff: the customer is told a person is coming, then the conversation waits on
`interrupt()` until an operator replies.

The notice is its own node so it is written once, before the pause: a resumed node re-runs
from its first line, and a message added after `interrupt()` would only appear on resume.
"""

from __future__ import annotations

from typing import Any

from langchain_core.messages import AIMessage

from nodes.context import last_customer_text
from nodes.language import detect_language
from state.outputs import HumanHandoffRequest
from state.schema import SupportState, TurnStatus
from tools.approval import await_operator_reply

HANDOFF_NOTICE = {
    "en": "I'm connecting you with a person from our support team. Please stay in this chat: "
    "they can see our conversation so far and will reply here shortly.",
    "ko": "상담원에게 연결해 드리고 있습니다. 이 채팅창을 닫지 말고 "
    "잠시만 기다려 주세요. 상담원이 지금까지의 대화를 "
    "확인하고 곧 이곳에서 답변드릴 예정입니다.",
}


async def announce_handoff(state: SupportState) -> dict[str, Any]:
    """Tell the customer, in their language, that a person is taking over."""
    language = detect_language(last_customer_text(state.messages))
    return {
        "messages": [AIMessage(content=HANDOFF_NOTICE[language], name="handoff")],
        "route": "human",
        "status": TurnStatus.HANDED_TO_HUMAN,
    }


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
