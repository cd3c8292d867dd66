"""What the API tests send as a customer and read back: sample messages, `user`, `human_texts`."""

from __future__ import annotations

from typing import Any

PLAN_CHANGE = "I want to upgrade my mobile plan from Plus to Unlimited."
FAQ = "How do I reset my voicemail PIN?"
OUTAGE = "My internet has been down since this morning in Harbor Bay."
TICKET = "My landline has crackling noise on every call since the storm."
REFUND = "Please refund the $10 late fee on my June invoice"
APPROVE = {"resume": {"decision": "approve"}}


def user(text: Any, customer: str = "C-1001") -> dict[str, Any]:
    """A run's input: one customer message (text or content blocks) from `customer`."""
    return {"messages": [{"role": "user", "content": text}], "customer_id": customer}


def human_texts(values: dict[str, Any]) -> list[str]:
    """The customer's messages in a thread's values, in order."""
    return [m["content"] for m in values["messages"] if m["type"] == "human"]
