"""Triage step 2: who might this be? An e-mail or phone in an anonymous customer's message.

Typing a contact detail proves nothing (anyone can type someone else's e-mail), so a match
never signs the thread in: it is kept as `contact_customer_id`, an unverified contact that
goes on the ticket for a person to check, and the conversation stays anonymous.
"""

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
                return {"contact_customer_id": found.customer_id}
        for phone in PHONE.findall(text):
            found = customers.find_by_phone(phone)
            if found:
                return {"contact_customer_id": found.customer_id}
        return {}

    return lookup_customer
