"""Triage step 3: open the ticket, once per turn however often this node runs.

Streams a `custom` event when the ticket exists, so a client can show it before the turn ends.
"""

from __future__ import annotations

from typing import Any

from langchain_core.messages import AIMessage
from langchain_core.runnables import RunnableConfig
from langgraph.types import StreamWriter

from nodes.base import AsyncNode
from nodes.context import last_customer_text
from nodes.language import detect_language, korean_label
from state.schema import SupportState, TurnStatus
from state.stores.audit import AuditLog
from state.stores.records import RecordStore, Ticket, record_id
from tools.call_context import audit_entry, thread_id


def _unstreamed(_: Any) -> None:
    """The writer when the node runs outside a streamed graph run (e.g. called directly)."""


def make_create_ticket(records: RecordStore, audit: AuditLog | None = None) -> AsyncNode:
    async def create_ticket(
        state: SupportState, config: RunnableConfig, writer: StreamWriter = _unstreamed
    ) -> dict[str, Any]:
        thread = thread_id(config)
        key = f"{thread}:{state.turn_id}"
        ticket, created = await records.create_ticket_once(
            Ticket(
                ticket_id=record_id("TKT", key),
                customer_id=state.customer_id,
                category=state.category or "general",
                priority=state.priority or "medium",
                summary=state.ticket_summary or "",
                message=last_customer_text(state.messages),
                thread_id=thread,
                contact_customer_id=state.contact_customer_id,
            )
        )
        if audit is not None:
            logged = {
                "ticket_id": ticket.ticket_id,
                "customer_id": ticket.customer_id,
                "category": ticket.category,
                "priority": ticket.priority,
            }
            await audit.append(audit_entry(config, "ticket_created", ticket.ticket_id, logged))
        writer({"event": "ticket_created", "ticket_id": ticket.ticket_id, "created": created})
        if detect_language(ticket.message) == "ko":
            reply = (
                f"담당 팀이 확인할 수 있도록 상담 티켓 {ticket.ticket_id}"
                f"({korean_label(ticket.category)}, 우선순위 {korean_label(ticket.priority)})"
                "를 접수했습니다. "
                "이메일이나 전화로 연락드리겠습니다."
            )
        else:
            reply = (
                f"I've opened ticket {ticket.ticket_id} ({ticket.category}, {ticket.priority} "
                "priority) so our team can look into this. You'll hear from us by e-mail or phone."
            )
        return {
            "messages": [AIMessage(content=reply, name="triage")],
            "ticket_id": ticket.ticket_id,
            "status": TurnStatus.TICKET_CREATED,
            "route": state.route or "triage",
        }

    return create_ticket
