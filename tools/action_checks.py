"""The deterministic checks of sensitive actions: each proposal against the customer's own
records (own invoice and charge, existing plan, open service), and the limits a committed
refund must respect across every thread. The tools in `actions` and an operator's edit both
run these; nothing here writes."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from state.stores.customers import INTERNET_TIERS, MOBILE_PLANS, Customer, Invoice
from state.stores.records import RefundLimit
from tools.approval import PolicyViolation

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


VERIFIERS: dict[str, PolicyCheck] = {
    "request_refund": verify_refund,
    "change_plan": verify_plan_change,
    "cancel_service": verify_cancellation,
    "swap_sim": verify_sim_swap,
}
"""Each sensitive action's policy check, as the tool and an operator's edit run it."""
