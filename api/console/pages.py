"""The console's HTML, rendered on the server: plain functions, every value escaped.

Pages work without JavaScript (forms post and redirect back); `static/console.js` adds live
inbox updates over SSE and draws the metrics charts. Every control has a visible label.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from html import escape
from typing import Any
from urllib.parse import quote

from api.console.timeline import Line, Said
from api.http.operators import InboxItem, Pending
from api.http.security import Caller
from state.stores.switches import Switches


def e(value: Any) -> str:
    return escape("" if value is None else str(value), quote=True)


def waited(seconds: float) -> str:
    if seconds < 60:
        return f"{int(seconds)} s"
    if seconds < 3600:
        return f"{int(seconds // 60)} min"
    if seconds < 86400:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} d"


def layout(title: str, body: str, *, page: str, who: Caller | None = None, csrf: str = "") -> str:
    nav = ""
    if who is not None:
        nav = f"""<nav aria-label="Console">
  <a href="/console/inbox">Inbox</a>
  <a href="/console/switches">Switches</a>
  <a href="/console/metrics">Metrics</a>
  <span class="who">Signed in as <strong>{e(who.name)}</strong></span>
  <form method="post" action="/console/sign-out" class="inline">
    <input type="hidden" name="csrf" value="{e(csrf)}">
    <button type="submit">Sign out</button>
  </form>
</nav>"""
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(title)} · supportgraph console</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/console/static/console.css">
<script src="/console/static/console.js" defer></script>
</head>
<body data-page="{e(page)}">
<a class="skip" href="#main">Skip to content</a>
<header><span class="brand">supportgraph console</span>{nav}</header>
<main id="main" tabindex="-1">
<h1>{e(title)}</h1>
{body}
</main>
</body>
</html>"""


def alert(message: str | None) -> str:
    return f'<p class="error" role="alert">{e(message)}</p>' if message else ""


def sign_in(error: str | None, open_mode: bool) -> str:
    hint = (
        "<p>This server runs in open local mode: leave the key empty to sign in.</p>"
        if open_mode
        else ""
    )
    body = f"""{alert(error)}{hint}
<form method="post" action="/console/sign-in" class="card">
  <label for="operator-key">Operator key</label>
  <input id="operator-key" name="operator_key" type="password" autocomplete="current-password"
         {"" if open_mode else "required"}>
  <button type="submit">Sign in</button>
</form>"""
    return layout("Sign in", body, page="sign-in")


def inbox_rows(items: Iterable[InboxItem]) -> str:
    rows = []
    for item in items:
        args = ", ".join(f"{k}={v}" for k, v in item.arguments.items()) if item.arguments else ""
        what = e(item.action) if item.kind == "approval" else "reply to the customer"
        held = f" (held by {e(item.held_by)})" if item.held_by else ""
        rows.append(
            f"""<tr data-thread="{e(item.thread_id)}" data-kind="{e(item.kind)}">
  <td>{waited(item.waiting_seconds)}</td>
  <td>{"approval" if item.kind == "approval" else "handoff"}{held}</td>
  <td>{e(item.customer_id or "anonymous")}</td>
  <td>{what}<div class="args">{e(args)}</div><div class="reason">{e(item.reason)}</div></td>
  <td>{e(item.verdict or "—")}</td>
  <td><a href="/console/threads/{quote(item.thread_id)}">Open<span class="sr-only">
      thread {e(item.thread_id)}</span></a></td>
</tr>"""
        )
    if not rows:
        return '<tr class="empty"><td colspan="6">Nobody is waiting on an operator.</td></tr>'
    return "\n".join(rows)


def inbox(
    who: Caller, csrf: str, items: list[InboxItem], kind: str | None, customer: str | None
) -> str:
    def option(value: str, label: str) -> str:
        selected = " selected" if (kind or "") == value else ""
        return f'<option value="{value}"{selected}>{label}</option>'

    body = f"""<form method="get" action="/console/inbox" class="filters">
  <label for="filter-kind">Kind</label>
  <select id="filter-kind" name="kind">
    {option("", "All")}{option("approval", "Approvals")}{option("handoff", "Handoffs")}
  </select>
  <label for="filter-customer">Customer</label>
  <input id="filter-customer" name="customer" value="{e(customer)}" placeholder="C-1001">
  <button type="submit">Filter</button>
</form>
<p id="live-status" class="live" role="status" aria-live="polite"></p>
<table class="inbox">
  <caption>Threads waiting on an operator, oldest first</caption>
  <thead><tr><th scope="col">Waiting</th><th scope="col">Kind</th><th scope="col">Customer</th>
  <th scope="col">Action and arguments</th><th scope="col">Policy check</th>
  <th scope="col">Thread</th></tr></thead>
  <tbody id="inbox-rows">
{inbox_rows(items)}
  </tbody>
</table>"""
    return layout("Inbox", body, page="inbox", who=who, csrf=csrf)


def _conversation(said: list[Said]) -> str:
    items = []
    for line in said:
        label = {"customer": "Customer", "assistant": "Assistant", "operator": "Operator"}[
            line.speaker
        ]
        items.append(
            f'<li class="msg {line.speaker}"><span class="speaker">{label}</span>'
            f'<p class="text">{e(line.text)}</p></li>'
        )
    return "\n".join(items) or "<li>No messages yet.</li>"


def _timeline(lines: list[Line]) -> str:
    return (
        "\n".join(
            f'<li class="event {e(line.kind)}"><span class="kind">{e(line.kind)}</span> '
            f"{e(line.text)}"
            + (f' <span class="when">{e(line.at)}</span>' if line.at else "")
            + "</li>"
            for line in lines
        )
        or "<li>Nothing happened yet.</li>"
    )


def _hidden(csrf: str) -> str:
    return f'<input type="hidden" name="csrf" value="{e(csrf)}">'


def _edit_fields(arguments: dict[str, Any]) -> str:
    fields = []
    for name, value in arguments.items():
        if name in ("line_item", "current_plan"):
            continue  # derived by the policy check, not the operator's to set
        kind = 'type="number" step="0.01" min="0"' if isinstance(value, int | float) else ""
        fields.append(
            f'<label for="arg-{e(name)}">{e(name)}</label>'
            f'<input id="arg-{e(name)}" name="arg_{e(name)}" {kind} value="{e(value)}">'
        )
    return "\n".join(fields)


def _decision(tid: str, csrf: str, pending: Pending | None, verdict: str, held: bool) -> str:
    base = f"/console/threads/{quote(tid)}"
    reply = f"""<form method="post" action="{base}/reply" class="card">{_hidden(csrf)}
  <label for="reply-message">Message to the customer</label>
  <textarea id="reply-message" name="message" rows="3" required></textarea>
  <button type="submit">Reply</button>
</form>"""
    if pending is None:
        if held:
            return (
                "<section aria-labelledby='decision-h'>"
                f"<h2 id='decision-h'>Write to the customer</h2>{reply}</section>"
            )
        return ""
    value = pending.value
    error = alert(f"Last answer refused: {value['error']}") if value.get("error") else ""
    if pending.kind != "approval":
        return f"""<section aria-labelledby="decision-h">
<h2 id="decision-h">Waiting for a person</h2>
<p>{e(value.get("reason"))}. Last message: <q>{e(value.get("last_message"))}</q></p>{error}
{reply}</section>"""
    arguments = dict(value.get("arguments") or {})
    args = "".join(f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in arguments.items())
    return f"""<section aria-labelledby="decision-h" class="pending">
<h2 id="decision-h">Pending decision: {e(value.get("action"))}</h2>
<dl class="args">{args}</dl>
<p>Reason: {e(value.get("reason"))}</p>
<p>Policy check: <strong class="verdict">{e(verdict)}</strong></p>{error}
<div class="actions">
<form method="post" action="{base}/approve">{_hidden(csrf)}
  <button type="submit">Approve</button></form>
<form method="post" action="{base}/reject" class="card">{_hidden(csrf)}
  <label for="reject-reason">Reason for rejecting</label>
  <textarea id="reject-reason" name="reason" rows="2" required></textarea>
  <button type="submit">Reject</button>
</form>
<form method="post" action="{base}/edit" class="card">{_hidden(csrf)}
  <fieldset><legend>Edit the arguments</legend>{_edit_fields(arguments)}</fieldset>
  <button type="submit">Edit</button>
</form>
{reply}
</div></section>"""


def thread(
    who: Caller,
    csrf: str,
    tid: str,
    said: list[Said],
    lines: list[Line],
    pending: Pending | None,
    verdict: str,
    holder: str | None,
    status: str | None,
    error: str | None,
) -> str:
    base = f"/console/threads/{quote(tid)}"
    if holder:
        control = f"""<p>Held by <strong>{e(holder)}</strong>: the assistant is paused here.</p>
<form method="post" action="{base}/hand-back">{_hidden(csrf)}
  <button type="submit">Hand back</button></form>"""
    else:
        control = f"""<form method="post" action="{base}/take-over">{_hidden(csrf)}
  <button type="submit">Take over</button></form>"""
    body = f"""{alert(error)}
<p class="meta">Thread <code>{e(tid)}</code> · status
  <strong id="thread-status">{e(status or "idle")}</strong></p>
<section aria-labelledby="takeover-h" class="takeover">
<h2 id="takeover-h">Takeover</h2>{control}</section>
{_decision(tid, csrf, pending, verdict, bool(holder))}
<div class="columns">
<section aria-labelledby="conv-h"><h2 id="conv-h">Conversation</h2>
<ol class="conversation" id="conversation">{_conversation(said)}</ol></section>
<section aria-labelledby="time-h"><h2 id="time-h">Timeline</h2>
<ol class="timeline" id="timeline">{_timeline(lines)}</ol></section>
</div>"""
    return layout(f"Thread {tid[:12]}", body, page="thread", who=who, csrf=csrf)


def switches(who: Caller, csrf: str, current: Switches, saved: bool) -> str:
    def radio(name: str, value: str, label: str) -> str:
        checked = " checked" if getattr(current, name) == value else ""
        rid = f"{name}-{value}"
        return (
            f'<input type="radio" id="{rid}" name="{name}" value="{value}"{checked}>'
            f'<label for="{rid}">{label}</label>'
        )

    done = '<p role="status" class="saved">Switches saved.</p>' if saved else ""
    body = f"""{done}
<form method="post" action="/console/switches" class="card">{_hidden(csrf)}
<fieldset><legend>Sensitive actions</legend>
  {radio("sensitive_actions", "active", "Active: ask an operator to approve")}
  {radio("sensitive_actions", "paused", "Paused: open a ticket instead")}
</fieldset>
<fieldset><legend>Assistant</legend>
  {radio("assistant", "on", "On")}
  {radio("assistant", "off", "Off: every message goes to a person")}
</fieldset>
<button type="submit">Save switches</button>
</form>"""
    return layout("Kill switches", body, page="switches", who=who, csrf=csrf)


def metrics(who: Caller, csrf: str, summary: dict[str, Any]) -> str:
    rows = "".join(
        f"<tr><th scope='row'>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in summary.items()
    )
    charts = "".join(
        f"""<section aria-labelledby="chart-{w}-h"><h2 id="chart-{w}-h">Last {w}</h2>
<figure class="chart" data-window="{w}"><figcaption>Turns, guardrail blocks and average latency
per {"minute" if w == "hour" else "30 minutes"}</figcaption><div class="plot" role="img"
aria-label="Chart of the last {w}"></div></figure></section>"""
        for w in ("hour", "day")
    )
    body = f"""<table class="summary"><caption>Now</caption>{rows}</table>{charts}
<script type="application/json" id="summary-data">{e(json.dumps(summary))}</script>"""
    return layout("Metrics", body, page="metrics", who=who, csrf=csrf)
