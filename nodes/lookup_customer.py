"""Triage step 2: who is this? The signed-in id, else an e-mail or phone in the message."""

from __future__ import annotations

from typing import Any

from nodes.base import AsyncNode
from nodes.context import last_customer_text
from nodes.pii import EMAIL, PHONE
from state.schema import SupportState
from state.stores.customers import CustomerDirectory


def make_lookup_customer(
    customers: CustomerDirectory,
) -> AsyncNode:
    async def lookup_customer(state: SupportState) -> dict[str, Any]:
        if customers.get(state.customer_id):
            return {}
        text = last_customer_text(state.messages)
        for email in EMAIL.findall(text):
            found = customers.find_by_email(email)
            if found:
                return {"customer_id": found.customer_id}
        for phone in PHONE.findall(text):
            found = customers.find_by_phone(phone)
            if found:
                return {"customer_id": found.customer_id}
        return {}

    return lookup_customer
