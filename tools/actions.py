"""Sensitive actions: verified, approved by an operator, then committed exactly once.

Each tool follows proposer → verifier → approval → commit → reject signal: the model proposes
arguments, a deterministic policy checks them against the customer's own records, an operator
decides through `interrupt()`, and only then is the action written, under an idempotency key,
so a node that re-runs on resume never commits twice. Every refusal goes back to the model as
an error ToolMessage that says why.
"""

from __future__ import annotations

from typing import Any, Literal

from langchain_core.messages import ToolMessage
from langchain_core.tools import BaseTool, tool
from langgraph.prebuilt import ToolRuntime
from langgraph.types import Command

from state.outputs import ApprovalRequest
from state.schema import TicketCategory, TurnStatus
from state.stores.audit import AuditLog, MemoryAuditLog
from state.stores.customers import (
    Customer,
    CustomerDirectory,
)
from state.stores.records import (
    CommittedAction,
    LimitExceeded,
    RecordStore,
    Ticket,
    record_id,
)
from state.stores.switches import MemorySwitchBoard, SwitchBoard
from tools.action_checks import (
    LIMITS,
    PolicyCheck,
    verify_cancellation,
    verify_plan_change,
    verify_refund,
    verify_sim_swap,
)
from tools.approval import PolicyViolation, decide_and_audit
from tools.call_context import actor_of, audit_entry, idempotency_key, state_field, thread_id
from tools.policy import ToolPolicy, with_policy

SENSITIVE_POLICY = ToolPolicy(
    risk_level="high", requires_confirmation=True, max_calls_per_thread=3, timeout_seconds=10.0
)
"""Money, service and SIM changes: an operator approves each one, and a conversation that
asks for more than a few is one for a person to look at."""
POLICIES: dict[str, ToolPolicy] = {
    "request_refund": SENSITIVE_POLICY,
    "change_plan": SENSITIVE_POLICY,
    "cancel_service": SENSITIVE_POLICY.model_copy(update={"max_calls_per_thread": 2}),
    "swap_sim": SENSITIVE_POLICY.model_copy(update={"max_calls_per_thread": 2}),
}
SENSITIVE_TOOLS = frozenset(POLICIES)
ACTION_NAMES = {
    "request_refund": "refund",
    "change_plan": "plan change",
    "cancel_service": "cancellation",
    "swap_sim": "SIM swap",
}
ACTION_CATEGORIES: dict[str, TicketCategory] = {
    "request_refund": "billing",
    "change_plan": "account",
    "cancel_service": "account",
    "swap_sim": "account",
}


def build_action_tools(
    customers: CustomerDirectory,
    records: RecordStore,
    audit: AuditLog | None = None,
    switches: SwitchBoard | None = None,
) -> dict[str, BaseTool]:
    audit_log: AuditLog = audit or MemoryAuditLog()
    board = switches or MemorySwitchBoard()

    async def held_as_ticket(
        action: str, proposal: dict[str, Any], customer: Customer, runtime: ToolRuntime[Any, Any]
    ) -> Command[Any]:
        """Sensitive actions are paused: open a ticket for a person instead of an approval."""
        key = idempotency_key(runtime, action)
        ticket, _ = await records.create_ticket_once(
            Ticket(
                ticket_id=record_id("TKT", key),
                customer_id=customer.customer_id,
                category=ACTION_CATEGORIES[action],
                priority="medium",
                summary=f"{ACTION_NAMES[action]} requested while sensitive actions are paused",
                message=f"{action} {proposal}",
                thread_id=thread_id(runtime.config),
            )
        )
        await audit_log.append(
            audit_entry(
                runtime.config,
                "ticket_created",
                key,
                {
                    "tool": action,
                    "customer_id": customer.customer_id,
                    "ticket_id": ticket.ticket_id,
                    "arguments": proposal,
                    "why": "sensitive actions are paused",
                },
            )
        )
        text = (
            f"Sensitive actions are paused by our team right now, so I could not make this "
            f"{ACTION_NAMES[action]} myself. I've opened ticket {ticket.ticket_id} and a person "
            "will follow up. Nothing was changed yet."
        )
        message = ToolMessage(content=text, tool_call_id=runtime.tool_call_id or "", name=action)
        return Command(
            update={
                "messages": [message],
                "ticket_id": ticket.ticket_id,
                "status": TurnStatus.TICKET_CREATED,
            }
        )

    async def run_sensitive(
        action: str, arguments: dict[str, Any], reason: str, runtime: ToolRuntime[Any, Any],
        check: PolicyCheck,
    ) -> ToolMessage | Command[Any]:  # fmt: skip
        call_id = runtime.tool_call_id or ""

        def refused(text: str) -> ToolMessage:
            return ToolMessage(content=text, tool_call_id=call_id, name=action, status="error")

        customer = customers.get(state_field(runtime.state, "customer_id"))
        if customer is None:
            return refused("Refused: no customer is signed in, so no account can be changed.")
        clean = {k: v for k, v in arguments.items() if v is not None}
        try:
            proposal = check(customer, clean, final=False)
        except PolicyViolation as exc:
            return refused(f"Refused by policy: {exc}. Nothing was changed.")
        if (await board.current()).sensitive_actions == "paused":
            return await held_as_ticket(action, proposal, customer, runtime)
        request = ApprovalRequest(
            action=action, arguments=proposal, reason=reason[:500], customer_id=customer.customer_id
        )
        key = idempotency_key(runtime, action)
        final_args = await decide_and_audit(
            request, lambda a: check(customer, a, final=True), audit_log, runtime.config, key
        )
        if isinstance(final_args, str):
            return refused(final_args)
        logged = {"tool": action, "customer_id": customer.customer_id}
        limit = LIMITS[action](customer, final_args) if action in LIMITS else None
        try:
            committed, _ = await records.commit_action_once(
                CommittedAction(
                    action_id=record_id("ACT", key),
                    action=action,
                    arguments=final_args,
                    customer_id=customer.customer_id,
                    thread_id=thread_id(runtime.config),
                    approved_by=actor_of(runtime.config)["name"],
                    limit=limit,
                )
            )
        except LimitExceeded as exc:
            return refused(f"Refused by policy: {exc}. Nothing was changed.")
        await audit_log.append(
            audit_entry(
                runtime.config,
                "action_committed",
                key,
                {**logged, "action_id": committed.action_id, "arguments": committed.arguments},
            )
        )
        return ToolMessage(
            content=_confirmation(action, committed), tool_call_id=call_id, name=action
        )

    @tool
    async def request_refund(
        reason: str,
        runtime: ToolRuntime[Any, Any],
        description: str | None = None,
        amount: float | None = None,
        invoice_id: str | None = None,
    ) -> ToolMessage | Command[Any]:
        """Refund a charge on the customer's own invoice, after an operator approves it."""
        args = {"description": description, "amount": amount, "invoice_id": invoice_id}
        return await run_sensitive("request_refund", args, reason, runtime, verify_refund)

    @tool
    async def change_plan(
        new_plan: str | None, reason: str, runtime: ToolRuntime[Any, Any]
    ) -> ToolMessage | Command[Any]:
        """Change the mobile plan or internet tier, after an operator approves it."""
        return await run_sensitive(
            "change_plan", {"new_plan": new_plan}, reason, runtime, verify_plan_change
        )

    @tool
    async def cancel_service(
        service: Literal["mobile", "internet", "account"],
        reason: str,
        runtime: ToolRuntime[Any, Any],
    ) -> ToolMessage | Command[Any]:
        """Cancel mobile service, home internet, or the whole account, after approval."""
        return await run_sensitive(
            "cancel_service", {"service": service}, reason, runtime, verify_cancellation
        )

    @tool
    async def swap_sim(
        sim_type: Literal["esim", "physical"], reason: str, runtime: ToolRuntime[Any, Any]
    ) -> ToolMessage | Command[Any]:
        """Move the customer's number to a new SIM or eSIM, after an operator approves it."""
        return await run_sensitive(
            "swap_sim", {"sim_type": sim_type}, reason, runtime, verify_sim_swap
        )

    found = [request_refund, change_plan, cancel_service, swap_sim]
    return {t.name: with_policy(t, POLICIES[t.name]) for t in found}


def _confirmation(action: str, committed: CommittedAction) -> str:
    args = committed.arguments
    done = {
        "request_refund": f"A refund of ${float(args.get('amount') or 0):.2f} was approved",
        "change_plan": f"Your plan change to {args.get('new_plan')} was approved and scheduled",
        "cancel_service": f"Cancellation of your {args.get('service')} service was approved",
        "swap_sim": f"Moving your number to a new {args.get('sim_type')} SIM was approved",
    }[action]
    return f"{done} (reference {committed.action_id})."
