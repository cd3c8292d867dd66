"""The console's thread page and the operator's actions on it (approve, reject, edit, reply,
take over, hand back); each action calls the HTTP API's own function in `api.http.operators`.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Request, Response

from api.console import pages
from api.console.timeline import audit_lines, conversation, turn_lines
from api.console.web import back, html, posted, services, session_of
from api.http import operators
from api.http.services import ApiServices
from api.turns import thread_config

router = APIRouter(prefix="/console", include_in_schema=False)


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
    session = await session_of(request)
    svc = services(request)
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
    session, form = await posted(request)
    svc, who = services(request), session.caller
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
