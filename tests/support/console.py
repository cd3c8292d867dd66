"""Helpers of the console's browser tests: one operator's tab, and a customer's message."""

from __future__ import annotations

import json
from typing import Any

import httpx
from playwright.sync_api import BrowserContext, Page, expect

CHROMIUM = "/usr/bin/chromium"
ANA, BEN, SERVICE = "ana-operator-key", "ben-operator-key", "backend-service-key"
KEYS = json.dumps(
    {
        ANA: {"role": "operator", "name": "Ana"},
        BEN: {"role": "operator", "name": "Ben"},
        SERVICE: {"role": "service", "name": "backend"},
    }
)


class Console:
    """One operator's browser tab, with everything the browser logged as an error."""

    def __init__(self, context: BrowserContext, base: str) -> None:
        self.context = context
        self.base = base
        self.page: Page = context.new_page()
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.set_default_timeout(20_000)

    def sign_in(self, key: str) -> Console:
        self.page.goto(f"{self.base}/console")
        self.page.get_by_label("Operator key").fill(key)
        self.page.get_by_role("button", name="Sign in").click()
        expect(self.page.get_by_role("heading", name="Inbox")).to_be_visible()
        return self

    def open_thread(self, thread_id: str) -> None:
        self.page.goto(f"{self.base}/console/threads/{thread_id}")


def customer_says(api: httpx.Client, text: str, customer: str, thread: str | None = None) -> Any:
    """Send a customer's message through the API; (thread id, final values)."""
    if thread is None:
        thread = api.post("/threads", json={}).json()["thread_id"]
    body = {
        "assistant_id": "support",
        "input": {"messages": [{"role": "user", "content": text}], "customer_id": customer},
    }
    answer = api.post(f"/threads/{thread}/runs/wait", json=body)
    assert answer.status_code == 200, answer.text
    return thread, answer.json()
