"""The operator console at `/console`, served by the API server itself.

Every page needs a session (see `session.py`); every form POST needs the session's CSRF
token. Each action calls the same function as its HTTP API route (`api.http.operators`), so
it is audited the same way, under the operator's name.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import parse_qs, quote, urlencode

from fastapi import APIRouter, HTTPException, Query, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from sse_starlette import EventSourceResponse, ServerSentEvent

from api.console import pages
from api.console.session import (
    COOKIE,
    SESSION_SECONDS,
    ConsoleSession,
    SessionStore,
    check_csrf,
    operator_for_key,
)
from api.console.timeline import audit_lines, conversation, turn_lines
from api.http import operators
from api.http.security import ApiKeyCheck
from api.http.services import ApiServices
from api.observability.queue_metrics import read_queue
from api.turns import thread_config
from state.outputs import LEGACY_KINDS
from state.stores.switches import SwitchChange

STATIC = Path(__file__).parent / "static"
EVENTS_POLL_SECONDS = 0.5
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}

router = APIRouter(prefix="/console", include_in_schema=False)


def mount_static(app: Any) -> None:
    app.mount("/console/static", StaticFiles(directory=STATIC), name="console-static")


def _svc(request: Request) -> ApiServices:
    found: ApiServices = request.app.state.services
    return found


def _store(request: Request) -> SessionStore:
    svc = _svc(request)
    return SessionStore(svc.app.redis, svc.settings.key_prefix)


class SignInRequired(Exception):
    """No session: the page answers with a redirect to the sign-in page."""


async def _session(request: Request) -> ConsoleSession:
    session = await _store(request).get(request.cookies.get(COOKIE))
    if session is None:
        raise SignInRequired
    return session


def html(body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(body, status_code=status, headers=SECURITY_HEADERS)


def back(path: str, error: str | None = None) -> RedirectResponse:
    target = f"{path}?{urlencode({'error': error})}" if error else path
    return RedirectResponse(target, status_code=303, headers=SECURITY_HEADERS)


async def _form(request: Request) -> dict[str, str]:
    body = (await request.body()).decode("utf-8", errors="replace")
    return {k: v[0] for k, v in parse_qs(body, keep_blank_values=True).items()}


async def _posted(request: Request) -> tuple[ConsoleSession, dict[str, str]]:
    session = await _session(request)
    form = await _form(request)
    check_csrf(request, session, form.get("csrf"))
    return session, form


@router.get("")
async def console_home(request: Request) -> Response:
    signed_in = await _store(request).get(request.cookies.get(COOKIE))
    return back("/console/inbox" if signed_in else "/console/sign-in")


@router.get("/sign-in")
async def sign_in_page(request: Request, error: str | None = None) -> Response:
    check: ApiKeyCheck = request.app.state.key_check
    return html(pages.sign_in(error, check.open))


@router.post("/sign-in")
async def sign_in(request: Request) -> Response:
    form = await _form(request)
    check: ApiKeyCheck = request.app.state.key_check
    try:
        caller = operator_for_key(check, form.get("operator_key", "").strip())
    except HTTPException as exc:  # back to the form (post/redirect/get), saying why
        return back("/console/sign-in", str(exc.detail))
    session = await _store(request).start(caller)
    response = back("/console/inbox")
    response.set_cookie(
        COOKIE,
        session.session_id,
        max_age=SESSION_SECONDS,
        path="/console",
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    return response


@router.post("/sign-out")
async def sign_out(request: Request) -> Response:
    session, _ = await _posted(request)
    await _store(request).end(session.session_id)
    response = back("/console/sign-in")
    response.delete_cookie(COOKIE, path="/console", httponly=True, samesite="strict")
    return response


def _filters(kind: str | None, customer: str | None) -> tuple[str | None, str | None]:
    kind = LEGACY_KINDS.get(kind, kind) if kind else None
    return (kind if kind in ("approval", "handoff") else None), (customer or "").strip() or None


@router.get("/inbox")
async def inbox_page(
    request: Request, kind: str | None = None, customer: str | None = None
) -> Response:
    session = await _session(request)
    kind, customer = _filters(kind, customer)
    items = await operators.inbox(_svc(request), session.caller, kind, customer)
    return html(pages.inbox(session.caller, session.csrf, items, kind, customer))


@router.get("/inbox/rows")
async def inbox_rows(
    request: Request, kind: str | None = None, customer: str | None = None
) -> Response:
    session = await _session(request)
    kind, customer = _filters(kind, customer)
    items = await operators.inbox(_svc(request), session.caller, kind, customer)
    return html(pages.inbox_rows(items))


async def _fingerprint(svc: ApiServices) -> str:
    waiting: list[Any] = await svc.runs.redis.zrange(
        svc.threads.keys.waiting, 0, -1, withscores=True
    )
    held = await svc.app.deps.switches.held_threads()
    return json.dumps([[str(row[0]), row[1]] for row in waiting] + sorted(held.items()))


@router.get("/events")
async def events(request: Request) -> Response:
    """`inbox` whenever a thread starts or stops waiting on an operator, or is taken over."""
    await _session(request)
    svc = _svc(request)

    async def stream() -> AsyncIterator[ServerSentEvent]:
        seen = await _fingerprint(svc)
        yield ServerSentEvent(data="ready", event="ready")
        while True:
            await asyncio.sleep(EVENTS_POLL_SECONDS)
            now = await _fingerprint(svc)
            if now != seen:
                seen = now
                yield ServerSentEvent(data="changed", event="inbox")

    return EventSourceResponse(stream(), ping=10, headers={"Cache-Control": "no-store"})


async def _turn_outcomes(svc: ApiServices, thread_id: str) -> dict[str, dict[str, Any]]:
    outcomes: dict[str, dict[str, Any]] = {}
    async for snapshot in svc.graph.aget_state_history(thread_config(thread_id), limit=200):
        values = snapshot.values if isinstance(snapshot.values, dict) else {}
        turn = values.get("turn_id")
        if turn and turn not in outcomes and values.get("status"):
            outcomes[turn] = {k: values.get(k) for k in ("status", "route", "block_reason")}
    return outcomes


@router.get("/threads/{thread_id}")
async def thread_page(request: Request, thread_id: str, error: str | None = None) -> Response:
    session = await _session(request)
    svc = _svc(request)
    try:
        await svc.thread_for(session.caller, thread_id)
    except HTTPException:
        return html(pages.layout("Not found", "<p>No such thread.</p>", page="thread"), 404)
    snapshot = await svc.graph.aget_state(thread_config(thread_id), subgraphs=True)
    values = snapshot.values if isinstance(snapshot.values, dict) else {}
    messages = values.get("messages") or []
    for task in snapshot.tasks:  # a paused specialist holds the turn's newest messages
        sub = getattr(task.state, "values", None)
        if task.interrupts and isinstance(sub, dict) and sub.get("messages"):
            messages = sub["messages"]
    pending = await operators.pending_of(svc, thread_id)
    verdict = operators.policy_verdict(svc, pending) if pending is not None else ""
    entries = await svc.app.deps.audit.query(thread_id=thread_id, limit=500)
    lines = [*turn_lines(messages, await _turn_outcomes(svc, thread_id)), *audit_lines(entries)]
    holder = await svc.app.deps.switches.holder(thread_id)
    status = values.get("status")
    if pending is not None:
        status = "awaiting_approval" if pending.kind == "approval" else "handed_to_human"
    body = pages.thread(
        session.caller,
        session.csrf,
        thread_id,
        conversation(messages),
        lines,
        pending,
        verdict,
        holder,
        str(status) if status else None,
        error,
    )
    return html(body)


def _thread_path(thread_id: str) -> str:
    return f"/console/threads/{quote(thread_id)}"


async def _act(request: Request, thread_id: str, action: str) -> Response:
    session, form = await _posted(request)
    svc, who = _svc(request), session.caller
    try:
        if action == "approve":
            await operators.decide(svc, who, thread_id, {"decision": "approve"})
        elif action == "reject":
            reason = form.get("reason", "").strip()
            if not reason:
                return back(_thread_path(thread_id), "a rejection needs a reason")
            await operators.decide(svc, who, thread_id, {"decision": "reject", "reason": reason})
        elif action == "edit":
            await operators.decide(
                svc,
                who,
                thread_id,
                {"decision": "edit", "arguments": await _edits(svc, thread_id, form)},
            )
        elif action == "reply":
            await operators.write_to_customer(svc, who, thread_id, form.get("message", ""))
        elif action == "take-over":
            await operators.take_over(svc, who, thread_id)
        elif action == "hand-back":
            await operators.hand_back(svc, who, thread_id)
    except HTTPException as exc:
        return back(_thread_path(thread_id), str(exc.detail))
    return back(_thread_path(thread_id))


async def _edits(svc: ApiServices, thread_id: str, form: dict[str, str]) -> dict[str, Any]:
    """The edit form's fields as arguments, typed like the pending request's own."""
    pending = await operators.pending_of(svc, thread_id)
    current = dict((pending.value.get("arguments") or {}) if pending else {})
    edits: dict[str, Any] = {}
    for field, raw in form.items():
        if not field.startswith("arg_"):
            continue
        name, value = field.removeprefix("arg_"), raw.strip()
        if name not in current or value == str(current[name]):
            continue
        if isinstance(current[name], int | float):
            try:
                edits[name] = float(value)
            except ValueError:
                raise HTTPException(422, f"{name}: {value!r} is not a number") from None
        else:
            edits[name] = value or None
    return edits


for _action in ("approve", "reject", "edit", "reply", "take-over", "hand-back"):

    async def _route(request: Request, thread_id: str, _a: str = _action) -> Response:
        return await _act(request, thread_id, _a)

    router.add_api_route(f"/threads/{{thread_id}}/{_action}", _route, methods=["POST"])


@router.get("/switches")
async def switches_page(request: Request, saved: bool = False) -> Response:
    session = await _session(request)
    current = await operators.read_switches(_svc(request), session.caller)
    return html(pages.switches(session.caller, session.csrf, current, saved))


@router.post("/switches")
async def switches_save(request: Request) -> Response:
    session, form = await _posted(request)
    change = SwitchChange.model_validate(
        {k: form[k] for k in ("sensitive_actions", "assistant") if form.get(k)}
    )
    await operators.change_switches(_svc(request), session.caller, change)
    return back("/console/switches?saved=true")


@router.get("/metrics")
async def metrics_page(request: Request) -> Response:
    session = await _session(request)
    svc = _svc(request)
    snap, queue = await svc.metrics.snapshot(), await read_queue(svc.app.tasks, svc.app.jobs)
    summary = {
        "turns": sum(snap.turns.values()),
        "guardrail blocks": sum(snap.blocks.values()),
        "model fallbacks": sum(snap.fallbacks.values()),
        "waiting approvals": len(snap.pending_ages.get("approval", [])),
        "waiting handoffs": len(snap.pending_ages.get("handoff", [])),
        "oldest wait (s)": int(max((a for v in snap.pending_ages.values() for a in v), default=0)),
        "runs queued": snap.queued,
        "runs running": snap.running,
        **queue.summary(),
    }
    return html(pages.metrics(session.caller, session.csrf, summary))


@router.get("/metrics/series")
async def metrics_series(
    request: Request, window: Annotated[str, Query(pattern="^(hour|day)$")] = "hour"
) -> Response:
    await _session(request)
    minutes, step = (60, 1) if window == "hour" else (1440, 30)
    points = await _svc(request).metrics.series(minutes, step)
    return JSONResponse({"window": window, "step_minutes": step, "points": points})
