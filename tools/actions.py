"""Sensitive actions: verified, approved by an operator, then committed exactly once.

Each tool follows proposer → verifier → approval → commit → reject signal: the model proposes
arguments, a deterministic policy checks them against the customer's own records, an operator
decides through `interrupt()`, and only then is the action written, under an idempotency key,
so a node that re-runs on resume never commits twice. Every refusal goes back to the model as
an error ToolMessage that says why.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Literal

from langchain_core.messages import ToolMessage
from langchain_core.tools import BaseTool, tool
from langgraph.prebuilt import ToolRuntime
from langgraph.types import Command

from state.outputs import ApprovalRequest, Edit, Reject, Reply, Withdraw
from state.schema import TicketCategory, TurnStatus
from state.stores.audit import AuditAction, AuditLog, MemoryAuditLog
from state.stores.customers import (
    INTERNET_TIERS,
    MOBILE_PLANS,
    Customer,
    CustomerDirectory,
    Invoice,
)
from state.stores.records import (
    CommittedAction,
    LimitExceeded,
    RecordStore,
    RefundLimit,
    Ticket,
    record_id,
)
from state.stores.switches import MemorySwitchBoard, SwitchBoard
from tools.approval import PolicyViolation, await_approval
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
_WORD = re.compile(r"[a-z0-9]+")
_IGNORED = frozenset({"the", "and", "for", "my", "on", "of", "a", "plan", "fee", "fees", "refund"})


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _IGNORED and len(w) > 2}


def _dollars(value: Any) -> float | None:
    """An amount as a number: an operator's edit arrives as JSON and may carry it as text."""
    if value is None:
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        raise PolicyViolation(f"the amount must be a number of dollars, not {value!r}") from None


def verify_refund(customer: Customer, args: dict[str, Any], *, final: bool) -> dict[str, Any]:
    """A refund only on the customer's own invoice, never above the invoice or the charge."""
    invoices = sorted(customer.invoices, key=lambda i: i.date, reverse=True)
    invoice: Invoice | None = None
    if args.get("invoice_id"):
        invoice = next((i for i in invoices if i.invoice_id == args["invoice_id"]), None)
        if invoice is None:
            raise PolicyViolation(f"invoice {args['invoice_id']} is not on this customer's account")
    wanted = _words(str(args.get("description") or ""))
    best: tuple[int, Invoice, float, str] | None = None
    for inv in [invoice] if invoice else invoices:
        for item in inv.line_items:
            overlap = len(wanted & _words(item.description))
            if item.amount > 0 and overlap and (best is None or overlap > best[0]):
                best = (overlap, inv, item.amount, item.description)
    amount = _dollars(args.get("amount"))
    if best is not None:
        _, invoice, charge, description = best
        amount = charge if amount is None else amount
        if amount > charge:
            raise PolicyViolation(
                f"${amount:.2f} is more than the ${charge:.2f} charged for {description}"
            )
        args = {**args, "invoice_id": invoice.invoice_id, "line_item": description}
    if amount is not None:
        ceiling = invoice.amount if invoice else max((i.amount for i in invoices), default=0.0)
        if not 0 < float(amount) <= ceiling:
            raise PolicyViolation(f"a refund must be more than $0 and at most ${ceiling:.2f}")
    elif final:
        raise PolicyViolation("the refund amount is unknown: edit the request with an 'amount'")
    return {**args, "amount": amount}


def verify_plan_change(customer: Customer, args: dict[str, Any], *, final: bool) -> dict[str, Any]:
    new_plan = args.get("new_plan")
    if new_plan not in (*MOBILE_PLANS, *INTERNET_TIERS):
        raise PolicyViolation(
            f"new_plan must be one of {', '.join((*MOBILE_PLANS, *INTERNET_TIERS))}"
        )
    current = customer.mobile_plan if new_plan in MOBILE_PLANS else customer.internet_tier
    if current is None:
        kind = "mobile plan" if new_plan in MOBILE_PLANS else "home internet"
        raise PolicyViolation(f"the account has no {kind} to change")
    if current == new_plan:
        raise PolicyViolation(f"the account is already on {new_plan}")
    return {**args, "current_plan": current}


def verify_cancellation(customer: Customer, args: dict[str, Any], *, final: bool) -> dict[str, Any]:
    service = args.get("service")
    if service not in ("mobile", "internet", "account"):
        raise PolicyViolation("service must be mobile, internet or account")
    if customer.status == "closed":
        raise PolicyViolation("the account is already closed")
    if service == "mobile" and customer.mobile_plan is None:
        raise PolicyViolation("the account has no mobile service")
    if service == "internet" and customer.internet_tier is None:
        raise PolicyViolation("the account has no home internet")
    return args


def verify_sim_swap(customer: Customer, args: dict[str, Any], *, final: bool) -> dict[str, Any]:
    if args.get("sim_type") not in ("esim", "physical"):
        raise PolicyViolation("sim_type must be esim or physical")
    if customer.mobile_plan is None:
        raise PolicyViolation("the account has no mobile line to move")
    return args


def refund_limit(customer: Customer, args: dict[str, Any]) -> RefundLimit:
    """What a verified refund may take, checked against the customer's earlier refunds (in
    any thread) when it commits: its charge once, its invoice's and the account's totals."""
    invoice = next((i for i in customer.invoices if i.invoice_id == args.get("invoice_id")), None)
    charged = sum(i.amount for i in customer.invoices if i.amount > 0)
    return RefundLimit(
        invoice_id=invoice.invoice_id if invoice else None,
        line_item=args.get("line_item") if invoice else None,
        amount_cents=round(float(args["amount"]) * 100),
        invoice_cents=round(invoice.amount * 100) if invoice else 0,
        charged_cents=round(charged * 100),
    )


LIMITS: dict[str, Callable[[Customer, dict[str, Any]], RefundLimit]] = {
    "request_refund": refund_limit
}
"""Limits that hold across threads, per action: checked by the record store at commit."""

PolicyCheck = Callable[..., dict[str, Any]]


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
VERIFIERS: dict[str, PolicyCheck] = {
    "request_refund": verify_refund,
    "change_plan": verify_plan_change,
    "cancel_service": verify_cancellation,
    "swap_sim": verify_sim_swap,
}
"""Each sensitive action's policy check, as the tool and an operator's edit run it."""


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
        decision, final_args = await_approval(request, lambda a: check(customer, a, final=True))
        key = idempotency_key(runtime, action)
        logged = {"tool": action, "customer_id": customer.customer_id}
        if isinstance(decision, Reject):
            await audit_log.append(
                audit_entry(runtime.config, "reject", key, {**logged, "reason": decision.reason})
            )
            return refused(
                f"The operator rejected this request: {decision.reason}. Nothing was changed."
            )
        if isinstance(decision, Reply):
            await audit_log.append(
                audit_entry(
                    runtime.config, "operator_reply", key, {**logged, "message": decision.message}
                )
            )
            return refused(f"An operator replied instead of approving: {decision.message}")
        if isinstance(decision, Withdraw):
            await audit_log.append(
                audit_entry(runtime.config, "withdraw", key, {**logged, "reason": decision.reason})
            )
            return refused(
                f"The request was withdrawn before anyone approved it ({decision.reason}). "
                "Nothing was changed."
            )
        kind: AuditAction = "edit" if isinstance(decision, Edit) else "approve"
        await audit_log.append(
            audit_entry(runtime.config, kind, key, {**logged, "arguments": final_args})
        )
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
