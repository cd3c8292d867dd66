"""Read-only lookups on the signed-in customer's own records."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from langchain_core.tools import BaseTool, tool
from langgraph.prebuilt import ToolRuntime

from state.stores.customers import Customer, CustomerDirectory
from tools.call_context import state_field
from tools.policy import ToolPolicy, with_policy

READ_POLICY = ToolPolicy(
    risk_level="low", requires_confirmation=False, max_calls_per_thread=30, timeout_seconds=5.0
)
"""Lookups only read the signed-in customer's records; the cap stops a model that loops."""

SIGN_IN_FIRST = (
    "No customer is signed in, so I can't look at account details. Please sign in first."
)


def _money(amount: float) -> str:
    return f"${amount:,.2f}"


def build_customer_tools(customers: CustomerDirectory) -> dict[str, BaseTool]:
    """The lookups, by name; each only ever reads the customer the session is signed in as."""

    def signed_in(runtime: ToolRuntime[Any, Any]) -> Customer | None:
        return customers.get(state_field(runtime.state, "customer_id"))

    @tool
    async def get_balance(runtime: ToolRuntime[Any, Any]) -> str:
        """The customer's balance due and when it is due."""
        customer = signed_in(runtime)
        if customer is None:
            return SIGN_IN_FIRST
        unpaid = [inv for inv in customer.invoices if not inv.paid]
        if not unpaid or customer.balance_due <= 0:
            return f"Your balance is {_money(0)}: nothing is due right now."
        due = max(inv.date for inv in unpaid) + timedelta(days=21)
        return (
            f"Your balance due is {_money(customer.balance_due)}, due on {due.isoformat()}"
            f" ({len(unpaid)} unpaid invoice{'s' if len(unpaid) > 1 else ''})."
        )

    @tool
    async def get_invoices(runtime: ToolRuntime[Any, Any]) -> str:
        """The customer's last two invoices with their line items and payment status."""
        customer = signed_in(runtime)
        if customer is None:
            return SIGN_IN_FIRST
        lines = []
        for inv in sorted(customer.invoices, key=lambda i: i.date, reverse=True):
            items = "; ".join(f"{li.description} {_money(li.amount)}" for li in inv.line_items)
            state = "paid" if inv.paid else "unpaid"
            lines.append(
                f"Invoice {inv.invoice_id} dated {inv.date.isoformat()}: total "
                f"{_money(inv.amount)}, {state}. Charges: {items}."
            )
        return "\n".join(lines) or "There are no invoices on your account yet."

    @tool
    async def get_autopay_status(runtime: ToolRuntime[Any, Any]) -> str:
        """Whether autopay is turned on for the customer's account."""
        customer = signed_in(runtime)
        if customer is None:
            return SIGN_IN_FIRST
        if customer.autopay:
            return "Autopay is turned on: each bill is charged 2 days before its due date."
        return "Autopay is turned off on your account; bills are paid manually."

    @tool
    async def get_network_status(runtime: ToolRuntime[Any, Any]) -> str:
        """Live network status in the customer's region."""
        customer = signed_in(runtime)
        if customer is None:
            return SIGN_IN_FIRST
        status = customers.region_status(customer.region)
        if status is None:
            return f"I have no network status for {customer.region}."
        eta = f" Expected fix: {status.eta}." if status.eta else ""
        headline = f"Network in {customer.region}: {status.status} since {status.since}."
        return f"{headline} {status.note}{eta}"

    @tool
    async def get_profile(runtime: ToolRuntime[Any, Any]) -> str:
        """The customer's profile: tier, account status, region and contact details."""
        customer = signed_in(runtime)
        if customer is None:
            return SIGN_IN_FIRST
        return (
            f"Account {customer.customer_id} ({customer.name}): {customer.tier} tier, status "
            f"{customer.status}, region {customer.region}; contact {customer.email}, "
            f"{customer.phone}."
        )

    @tool
    async def get_plan(runtime: ToolRuntime[Any, Any]) -> str:
        """The customer's mobile plan and internet tier on file."""
        customer = signed_in(runtime)
        if customer is None:
            return SIGN_IN_FIRST
        mobile = customer.mobile_plan or "no mobile plan"
        internet = customer.internet_tier or "no home internet"
        return f"You have {mobile} for mobile and {internet} for home internet."

    @tool
    async def get_open_tickets(runtime: ToolRuntime[Any, Any]) -> str:
        """The customer's open support tickets and their status."""
        customer = signed_in(runtime)
        if customer is None:
            return SIGN_IN_FIRST
        if not customer.open_tickets:
            return "You have no open support tickets."
        return "\n".join(
            f"Ticket {t.ticket_id} ({t.category}, opened {t.opened}): {t.subject} — {t.status}."
            for t in customer.open_tickets
        )

    found = [
        get_balance,
        get_invoices,
        get_autopay_status,
        get_network_status,
        get_profile,
        get_plan,
        get_open_tickets,
    ]
    return {t.name: with_policy(t, READ_POLICY) for t in found}
