"""The demo tenant's customer records and live network status (read-only)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import BaseModel

MOBILE_PLANS = ("Nimbus Lite", "Nimbus Plus", "Nimbus Unlimited")
INTERNET_TIERS = ("Fiber 300", "Fiber 1 Gig", "Fiber 2 Gig")


class LineItem(BaseModel):
    description: str
    amount: float


class Invoice(BaseModel):
    invoice_id: str
    date: date
    amount: float
    paid: bool
    line_items: list[LineItem]


class OpenTicket(BaseModel):
    ticket_id: str
    category: str
    subject: str
    status: str
    opened: str


class Customer(BaseModel):
    customer_id: str
    name: str
    email: str
    phone: str
    tier: Literal["standard", "premium", "business"]
    status: Literal["active", "suspended", "closed"]
    region: str
    mobile_plan: str | None
    internet_tier: str | None
    balance_due: float
    autopay: bool
    invoices: list[Invoice]
    open_tickets: list[OpenTicket]


class RegionStatus(BaseModel):
    status: Literal["ok", "degraded", "outage"]
    since: str
    eta: str | None
    note: str


class CustomerDirectory:
    """Customers by id, e-mail and phone, plus network status by region."""

    def __init__(self, customers: list[Customer], network: dict[str, RegionStatus]) -> None:
        self._by_id = {c.customer_id: c for c in customers}
        self._by_email = {c.email.lower(): c for c in customers}
        self._by_phone = {_digits(c.phone)[-10:]: c for c in customers}
        self.network = network

    @classmethod
    def from_file(cls, path: Path) -> CustomerDirectory:
        raw = json.loads(path.read_text(encoding="utf-8"))
        customers = [Customer.model_validate(c) for c in raw["customers"]]
        network = {k: RegionStatus.model_validate(v) for k, v in raw["network_status"].items()}
        return cls(customers, network)

    def get(self, customer_id: str | None) -> Customer | None:
        return self._by_id.get(customer_id) if customer_id else None

    def find_by_email(self, email: str) -> Customer | None:
        return self._by_email.get(email.lower())

    def find_by_phone(self, phone: str) -> Customer | None:
        digits = _digits(phone)
        return self._by_phone.get(digits[-10:]) if len(digits) >= 10 else None

    def names(self) -> dict[str, str]:
        """Customer id by lower-case full name, for spotting requests about other people."""
        return {c.name.lower(): c.customer_id for c in self._by_id.values()}

    def ids(self) -> frozenset[str]:
        return frozenset(self._by_id)

    def region_status(self, region: str) -> RegionStatus | None:
        return self.network.get(region)


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())
