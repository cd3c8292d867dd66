"""The operator console in a real browser: sign in, a live inbox, decisions, takeover, kill
switches, two operators at once; every action also in `GET /audit` under the operator's name."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Browser, expect
from prometheus_client.parser import text_string_to_metric_families

from tests.support.api_server import ApiServer
from tests.support.console import ANA, BEN, Console, customer_says
from tests.support.queue_worker import QueueWorker

LATE_FEE = ("I want a refund of the late payment fee", "C-1006")
WORLD_CALLING = ("Please refund the World Calling add-on on my last bill", "C-1012")
PROTECT = ("Please refund the Nimbus Protect charge", "C-1015")
PAPER_BILL = ("I want a refund of the paper bill fee", "C-1014")
WORLD_CALLING_2 = ("Please refund the World Calling add-on on my last bill", "C-1014")


def audited(operator_api: httpx.Client, thread: str) -> list[tuple[str, str]]:
    entries: list[dict[str, Any]] = operator_api.get("/audit", params={"thread_id": thread}).json()
    return [(e["action"], e["actor"]) for e in entries]


def in_background(api: httpx.Client, text: str, customer: str) -> tuple[str, threading.Thread]:
    """Send the customer's message while the browser keeps watching: its thread, and the
    sender to join."""
    thread = str(api.post("/threads", json={}).json()["thread_id"])
    sender = threading.Thread(target=customer_says, args=(api, text, customer, thread))
    sender.start()
    return thread, sender


def test_sign_in_rejects_a_wrong_key_and_signs_out(
    browser: Browser, server: ApiServer, consoles: list[Console]
) -> None:
    tab = Console(browser.new_context(), server.url)
    consoles.append(tab)
    tab.page.goto(f"{server.url}/console/inbox")
    expect(tab.page.get_by_role("heading", name="Sign in")).to_be_visible()
    tab.page.get_by_label("Operator key").fill("not-a-key")
    tab.page.keyboard.press("Enter")
    expect(tab.page.get_by_role("alert")).to_contain_text("invalid API key")
    tab.sign_in(ANA)
    cookie = next(c for c in tab.context.cookies() if c["name"] == "sg_console")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    expect(tab.page.get_by_text("Signed in as Ana")).to_be_visible()
    tab.page.get_by_role("button", name="Sign out").click()
    expect(tab.page.get_by_role("heading", name="Sign in")).to_be_visible()
    tab.page.goto(f"{server.url}/console/switches")
    expect(tab.page.get_by_role("heading", name="Sign in")).to_be_visible()


def test_a_form_without_the_session_token_is_refused(
    console: Console, server: ApiServer, operator_api: httpx.Client
) -> None:
    cookie = next(c for c in console.context.cookies() if c["name"] == "sg_console")
    forged = httpx.post(
        f"{server.url}/console/switches",
        data={"assistant": "off"},
        cookies={"sg_console": cookie["value"]},
    )
    assert forged.status_code == 403
    assert operator_api.get("/switches").json()["assistant"] == "on"


def test_a_refund_appears_live_and_approve_resumes_it(
    console: Console, api: httpx.Client, operator_api: httpx.Client, tmp_path: Path
) -> None:
    page = console.page
    expect(page.get_by_text("Live updates on")).to_be_visible()
    thread, sender = in_background(api, *LATE_FEE)
    row = page.locator(f"tr[data-thread='{thread}']")
    # No reload: the SSE event refreshed the rows. The server's first turn warms its models
    # (12 s on a loaded machine), past Playwright's default 5 s.
    expect(row).to_be_visible(timeout=60_000)
    expect(row).to_contain_text("request_refund")
    expect(row).to_contain_text("C-1006")
    expect(row).to_contain_text("amount=10.0")
    expect(row).to_contain_text("passes")
    page.screenshot(path=str(tmp_path / "inbox.png"), full_page=True)
    sender.join()
    row.get_by_role("link", name="Open").click()
    expect(page.get_by_role("heading", name="Pending decision: request_refund")).to_be_visible()
    expect(page.locator("#timeline")).to_contain_text("request_refund")
    page.screenshot(path=str(tmp_path / "pending-decision.png"), full_page=True)
    page.get_by_role("button", name="Approve").click()
    conversation = page.locator("#conversation")
    expect(conversation).to_contain_text("A refund of $10.00 was approved")
    expect(page.locator("#timeline")).to_contain_text("Ana (operator) approved request_refund")
    expect(page.locator("#thread-status")).to_have_text("resolved")
    assert ("approve", "Ana") in audited(operator_api, thread)
    assert ("action_committed", "Ana") in audited(operator_api, thread)


def test_reject_asks_for_a_reason_and_the_customer_hears_it(
    console: Console, api: httpx.Client, operator_api: httpx.Client
) -> None:
    thread, _ = customer_says(api, *WORLD_CALLING)
    console.open_thread(thread)
    page = console.page
    page.get_by_role("button", name="Reject").click()  # no reason yet: the form will not send
    expect(page.get_by_role("heading", name="Pending decision: request_refund")).to_be_visible()
    page.get_by_label("Reason for rejecting").fill("the add-on was used all month")
    page.get_by_role("button", name="Reject").click()
    expect(page.locator("#conversation")).to_contain_text("the add-on was used all month")
    expect(page.get_by_role("heading", name="Pending decision: request_refund")).to_have_count(0)
    assert ("reject", "Ana") in audited(operator_api, thread)


def test_edit_an_amount_validated_like_the_api(
    console: Console, api: httpx.Client, operator_api: httpx.Client
) -> None:
    thread, _ = customer_says(api, *PROTECT)
    console.open_thread(thread)
    page = console.page
    page.get_by_label("amount").fill("500")
    page.get_by_role("button", name="Edit").click()
    expect(page.get_by_role("alert")).to_contain_text("more than the $12.00 charged")
    page.get_by_label("amount").fill("5")
    page.get_by_role("button", name="Edit").click()
    expect(page.locator("#conversation")).to_contain_text("A refund of $5.00 was approved")
    assert ("edit", "Ana") in audited(operator_api, thread)


def test_take_over_reply_and_hand_back(
    console: Console, api: httpx.Client, operator_api: httpx.Client
) -> None:
    thread, values = customer_says(api, "How do I reset my voicemail PIN?", "C-1003")
    assert values["status"] == "faq_answered"
    console.open_thread(thread)
    page = console.page
    page.get_by_role("button", name="Take over").click()
    expect(page.get_by_text("Held by Ana")).to_be_visible()
    page.get_by_label("Message to the customer").fill("Hi, Ana here from Nimbus.")
    page.get_by_role("button", name="Reply").click()
    expect(page.locator(".msg.operator")).to_contain_text("Hi, Ana here from Nimbus.")

    _, waiting = customer_says(api, "Thanks! Is my bill paid?", "C-1003", thread)
    assert waiting["status"] == "handed_to_human"
    page.reload()
    expect(page.get_by_role("heading", name="Waiting for a person")).to_be_visible()
    page.get_by_label("Message to the customer").fill("Yes, all paid.")
    page.get_by_role("button", name="Reply").click()
    expect(page.locator(".msg.operator").last).to_contain_text("Yes, all paid.")
    page.get_by_role("button", name="Hand back").click()
    expect(page.get_by_role("button", name="Take over")).to_be_visible()

    _, back = customer_says(api, "How do I reset my voicemail PIN?", "C-1003", thread)
    assert back["status"] == "faq_answered"
    found = audited(operator_api, thread)
    assert ("take_over", "Ana") in found and ("hand_back", "Ana") in found
    assert found.count(("operator_reply", "Ana")) == 2


def test_paused_sensitive_actions_turn_the_next_refund_into_a_ticket(
    console: Console, api: httpx.Client, operator_api: httpx.Client
) -> None:
    page = console.page
    page.get_by_role("link", name="Switches").click()
    page.get_by_label("Paused: open a ticket instead").check()
    page.get_by_role("button", name="Save switches").click()
    expect(page.get_by_role("status")).to_have_text("Switches saved.")
    assert operator_api.get("/switches").json()["sensitive_actions"] == "paused"

    thread, values = customer_says(api, *PAPER_BILL)
    assert values["status"] == "ticket_created" and "__interrupt__" not in values
    console.open_thread(thread)
    expect(page.locator("#conversation")).to_contain_text("Sensitive actions are paused")
    expect(page.locator("#conversation")).to_contain_text(values["ticket_id"])
    expect(page.locator("#timeline")).to_contain_text("ticket opened")
    flips = [e for e in operator_api.get("/audit", params={"actor": "Ana"}).json()]
    assert any(e["action"] == "switch" for e in flips)


def test_a_second_operators_decision_appears_live_in_the_first_ones_inbox(
    console: Console,
    browser: Browser,
    server: ApiServer,
    consoles: list[Console],
    api: httpx.Client,
    operator_api: httpx.Client,
) -> None:
    thread, _ = customer_says(api, *WORLD_CALLING_2)
    ben = Console(browser.new_context(), server.url).sign_in(BEN)
    consoles.append(ben)
    ana_row = console.page.locator(f"tr[data-thread='{thread}']")
    expect(ana_row).to_be_visible()

    ben.open_thread(thread)
    ben.page.get_by_role("button", name="Approve").click()
    expect(ben.page.locator("#conversation")).to_contain_text("A refund of $10.00 was approved")
    expect(ana_row).to_have_count(0)  # Ana's inbox dropped it without a reload
    expect(console.page.locator("#live-status")).to_contain_text("Inbox updated")
    assert ("approve", "Ben") in audited(operator_api, thread)


def test_inbox_filters_by_kind_and_customer(
    console: Console, api: httpx.Client, operator_api: httpx.Client
) -> None:
    handoff, _ = customer_says(api, "I want to talk to a real person please", "C-1011")
    page = console.page
    page.get_by_label("Kind").select_option("handoff")
    page.get_by_label("Customer").fill("C-1011")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator(f"tr[data-thread='{handoff}']")).to_be_visible()
    expect(page.locator("tr[data-kind='approval']")).to_have_count(0)
    page.get_by_label("Customer").fill("C-1999")
    page.get_by_label("Customer").press("Enter")
    expect(page.get_by_text("Nobody is waiting on an operator.")).to_be_visible()


def test_metrics_page_draws_charts(console: Console) -> None:
    page = console.page
    page.get_by_role("link", name="Metrics").click()
    expect(page.locator("figure[data-window='hour'] svg rect").first).to_be_attached()
    expect(page.locator("figure[data-window='day'] svg")).to_be_attached()
    expect(page.locator("table.summary")).to_contain_text("turns")


def scraped_workers(operator_api: httpx.Client) -> float:
    text = operator_api.get("/metrics").text
    return next(
        s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
        if s.name == "supportgraph_task_queue_workers"
    )


def test_metrics_page_shows_the_task_queue_beside_the_runs(
    console: Console,
    server: ApiServer,
    operator_api: httpx.Client,
    brain_cache_dir: Path,
    tmp_path: Path,
) -> None:
    page = console.page
    page.get_by_role("link", name="Metrics").click()
    summary = page.locator("table.summary")
    for label in ("runs queued", "jobs queued", "jobs active", "jobs scheduled", "jobs failed"):
        expect(summary).to_contain_text(label)
    expect(summary.locator("tr", has_text="queue workers").locator("td")).to_have_text("0")
    env = {"SUPPORTGRAPH_KEY_PREFIX": "sgconsole"}
    worker = QueueWorker(server.redis_url, brain_cache_dir, tmp_path / "worker.log", env=env)
    worker.start()
    try:
        deadline = time.monotonic() + 30
        while scraped_workers(operator_api) < 1 and time.monotonic() < deadline:
            time.sleep(0.3)
        page.reload()
        expect(summary.locator("tr", has_text="queue workers").locator("td")).to_have_text("1")
    finally:
        worker.stop()
