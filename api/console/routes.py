"""The operator console at `/console`, served by the API server itself: sign-in, the inbox
and its live events, the switches and the metrics (a thread's page is `thread_routes.py`).

Every page needs a session (see `session.py`); every form POST needs the session's CSRF
token. Each action calls the same function as its HTTP API route (`api.http.operators`), so
it is audited the same way, under the operator's name.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request, Response
from fastapi.responses import JSONResponse
from sse_starlette import EventSourceResponse, ServerSentEvent

from api.console import pages
from api.console.session import COOKIE, SESSION_SECONDS, operator_for_key
from api.console.web import back, form_of, html, posted, services, session_of, store
from api.http import operators
from api.http.security import ApiKeyCheck
from api.http.services import ApiServices
from api.observability.queue_metrics import read_queue
from state.outputs import LEGACY_KINDS
from state.stores.switches import SwitchChange

EVENTS_POLL_SECONDS = 0.5

router = APIRouter(prefix="/console", include_in_schema=False)


@router.get("")
async def console_home(request: Request) -> Response:
    signed_in = await store(request).get(request.cookies.get(COOKIE))
    return back("/console/inbox" if signed_in else "/console/sign-in")


@router.get("/sign-in")
async def sign_in_page(request: Request, error: str | None = None) -> Response:
    check: ApiKeyCheck = request.app.state.key_check
    return html(pages.sign_in(error, check.open))


@router.post("/sign-in")
async def sign_in(request: Request) -> Response:
    form = await form_of(request)
    check: ApiKeyCheck = request.app.state.key_check
    try:
        caller = operator_for_key(check, form.get("operator_key", "").strip())
    except HTTPException as exc:  # back to the form (post/redirect/get), saying why
        return back("/console/sign-in", str(exc.detail))
    session = await store(request).start(caller)
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
    session, _ = await posted(request)
    await store(request).end(session.session_id)
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
    session = await session_of(request)
    kind, customer = _filters(kind, customer)
    items = await operators.inbox(services(request), session.caller, kind, customer)
    return html(pages.inbox(session.caller, session.csrf, items, kind, customer))


@router.get("/inbox/rows")
async def inbox_rows(
    request: Request, kind: str | None = None, customer: str | None = None
) -> Response:
    """The inbox's rows alone, which the page fetches again on each `inbox` event."""
    session = await session_of(request)
    items = await operators.inbox(services(request), session.caller, *_filters(kind, customer))
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
    await session_of(request)
    svc = services(request)

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


@router.get("/switches")
async def switches_page(request: Request, saved: bool = False) -> Response:
    session = await session_of(request)
    current = await operators.read_switches(services(request), session.caller)
    return html(pages.switches(session.caller, session.csrf, current, saved))


@router.post("/switches")
async def switches_save(request: Request) -> Response:
    session, form = await posted(request)
    change = SwitchChange.model_validate(
        {k: form[k] for k in ("sensitive_actions", "assistant") if form.get(k)}
    )
    await operators.change_switches(services(request), session.caller, change)
    return back("/console/switches?saved=true")


@router.get("/metrics")
async def metrics_page(request: Request) -> Response:
    session = await session_of(request)
    svc = services(request)
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
    await session_of(request)
    minutes, step = (60, 1) if window == "hour" else (1440, 30)
    points = await services(request).metrics.series(minutes, step)
    return JSONResponse({"window": window, "step_minutes": step, "points": points})
