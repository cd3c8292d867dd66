"""What operators do, in one place for the HTTP API and the console: flip the kill switches,
decide a pending approval or handoff, take a thread over, write to its customer, hand it back.

Each of these is audited with the operator's name. A decision goes through the same run
machinery as `POST /threads/{id}/runs/wait` with `command.resume`, so the console and the API
cannot disagree about what a decision does.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from typing import Any

from fastapi import HTTPException
from langchain_core.messages import AIMessage

from api.http.run_requests import create_run
from api.http.schemas import RunCreate
from api.http.security import Caller, forbid
from api.http.services import ApiServices
from api.runs.outcome import RunOutcome
from api.turns import all_interrupts, thread_config
from nodes.pii import mask_pii
from state.outputs import LEGACY_KINDS, interrupt_kind, parse_resume
from state.stores.audit import AuditAction, AuditEntry
from state.stores.switches import SwitchChange, Switches
from tools.action_checks import VERIFIERS
from tools.approval import PolicyViolation


def require_operator(who: Caller, what: str) -> None:
    if not who.is_operator:
        raise forbid(who, what)


async def audit(
    svc: ApiServices,
    who: Caller,
    action: AuditAction,
    thread_id: str | None,
    arguments: dict[str, Any],
) -> None:
    """One entry for an operator's own act (not taken inside a run)."""
    await svc.app.deps.audit.append(
        AuditEntry(
            entry_id=f"operator:{uuid.uuid4().hex}",
            actor=who.name,
            role=who.role,
            thread_id=thread_id,
            run_id=None,
            action=action,
            arguments=arguments,
        )
    )


async def read_switches(svc: ApiServices, who: Caller) -> Switches:
    require_operator(who, "read the kill switches")
    return await svc.app.deps.switches.current()


async def change_switches(svc: ApiServices, who: Caller, change: SwitchChange) -> Switches:
    require_operator(who, "flip the kill switches")
    before = await svc.app.deps.switches.current()
    after = await svc.app.deps.switches.change(change)
    changed = {
        name: {"from": getattr(before, name), "to": value}
        for name, value in change.model_dump(exclude_none=True).items()
        if getattr(before, name) != value
    }
    if changed:
        await audit(svc, who, "switch", None, changed)
    return after


@dataclass
class Pending:
    """What a thread waits on: its interrupt payload, and since when."""

    thread_id: str
    interrupt_id: str
    value: dict[str, Any]
    waiting_since: float

    @property
    def kind(self) -> str:
        return interrupt_kind(self.value) or "approval"


async def pending_of(svc: ApiServices, thread_id: str) -> Pending | None:
    snapshot = await svc.graph.aget_state(thread_config(thread_id), subgraphs=True)
    found = all_interrupts(snapshot)
    if not found or not isinstance(found[0].value, dict):
        return None
    since = await svc.runs.redis.zscore(svc.threads.keys.waiting, thread_id)
    return Pending(thread_id, found[0].id, found[0].value, float(since or time.time()))


def policy_verdict(svc: ApiServices, pending: Pending) -> str:
    """The policy check's verdict on the pending action's arguments, as commit would run it."""
    action = str(pending.value.get("action") or "")
    check = VERIFIERS.get(action)
    customer = svc.app.deps.customers.get(pending.value.get("customer_id"))
    if check is None or customer is None:
        return "no policy check applies"
    try:
        check(customer, dict(pending.value.get("arguments") or {}), final=True)
    except PolicyViolation as exc:
        return f"fails: {exc}"
    return "passes"


def check_edit(svc: ApiServices, pending: Pending, edits: dict[str, Any]) -> dict[str, Any]:
    """Edited arguments as the action's policy sees them at commit, or 422 saying why not."""
    action = str(pending.value.get("action") or "")
    check = VERIFIERS.get(action)
    customer = svc.app.deps.customers.get(pending.value.get("customer_id"))
    if check is None or customer is None:
        raise HTTPException(422, "this request has no arguments to edit")
    try:
        return check(customer, {**(pending.value.get("arguments") or {}), **edits}, final=True)
    except PolicyViolation as exc:
        raise HTTPException(422, f"arguments: {exc}") from exc


async def decide(
    svc: ApiServices, who: Caller, thread_id: str, decision: dict[str, Any]
) -> dict[str, Any]:
    """Resume the thread's pending interrupt with the decision; the run's final values."""
    require_operator(who, "decide an approval or a handoff")
    await svc.thread_for(who, thread_id)
    try:
        valid = parse_resume(decision)
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from exc
    pending = await pending_of(svc, thread_id)
    if pending is None:
        raise HTTPException(409, f"thread {thread_id} waits on no decision")
    if valid.decision == "edit":
        check_edit(svc, pending, decision.get("arguments") or {})
    body = RunCreate.model_validate(
        {"assistant_id": "support", "command": {"resume": valid.model_dump(mode="json")}}
    )
    run = await create_run(svc, who, thread_id, body)
    outcome: RunOutcome = await svc.executor.start(run)
    if outcome.error is not None:
        raise HTTPException(409, outcome.error.get("message") or "the decision did not run")
    return outcome.values


async def take_over(svc: ApiServices, who: Caller, thread_id: str) -> None:
    require_operator(who, "take a thread over")
    await svc.thread_for(who, thread_id)
    await svc.app.deps.switches.take_over(thread_id, who.name)
    await audit(svc, who, "take_over", thread_id, {})


async def hand_back(svc: ApiServices, who: Caller, thread_id: str) -> None:
    require_operator(who, "hand a thread back")
    await svc.thread_for(who, thread_id)
    await svc.app.deps.switches.hand_back(thread_id)
    await audit(svc, who, "hand_back", thread_id, {})


async def write_to_customer(
    svc: ApiServices, who: Caller, thread_id: str, message: str
) -> dict[str, Any]:
    """The operator's message to the customer: the reply to a waiting handoff, or (on an idle
    thread an operator holds) a message added to the conversation as the operator node's."""
    require_operator(who, "write to a customer")
    await svc.thread_for(who, thread_id)
    text = mask_pii(message.strip())
    if not text:
        raise HTTPException(422, "message: empty")
    pending = await pending_of(svc, thread_id)
    if pending is not None:
        if pending.kind != "handoff":
            raise HTTPException(409, "the thread waits on an approval: decide it first")
        return await decide(svc, who, thread_id, {"decision": "reply", "message": text})
    if await svc.runs.thread_holder(thread_id) or await svc.runs.queued(thread_id):
        raise HTTPException(409, f"thread {thread_id} is busy with a run; write when idle")
    await svc.graph.aupdate_state(
        thread_config(thread_id),
        {"messages": [AIMessage(content=text, name="operator")]},
        as_node="operator",
    )
    await audit(svc, who, "operator_reply", thread_id, {"message": text})
    return {}


@dataclass
class InboxItem:
    """A thread waiting on an operator, as the inbox lists it."""

    thread_id: str
    kind: str
    customer_id: str | None
    action: str | None
    arguments: dict[str, Any]
    reason: str
    verdict: str
    waiting_seconds: float
    error: str | None
    held_by: str | None

    def json(self) -> dict[str, Any]:
        return dict(self.__dict__)


async def inbox(
    svc: ApiServices, who: Caller, kind: str | None = None, customer_id: str | None = None
) -> list[InboxItem]:
    """Every thread waiting on an operator, oldest first, filtered by kind (`approval` or
    `handoff`; `human`, the handoff's earlier name, still filters handoffs) and customer."""
    require_operator(who, "read the operators' inbox")
    kind = LEGACY_KINDS.get(kind, kind) if kind else None
    waiting = await svc.runs.redis.zrange(svc.threads.keys.waiting, 0, -1)
    held = await svc.app.deps.switches.held_threads()
    now = time.time()
    items: list[InboxItem] = []
    for raw in waiting:
        thread_id = raw.decode() if isinstance(raw, bytes) else str(raw)
        pending = await pending_of(svc, thread_id)
        if pending is None:
            continue
        value = pending.value
        item = InboxItem(
            thread_id=thread_id,
            kind=pending.kind,
            customer_id=value.get("customer_id"),
            action=value.get("action"),
            arguments=dict(value.get("arguments") or {}),
            reason=str(value.get("reason") or ""),
            verdict=policy_verdict(svc, pending) if pending.kind == "approval" else "",
            waiting_seconds=max(0.0, now - pending.waiting_since),
            error=value.get("error"),
            held_by=held.get(thread_id),
        )
        if kind and item.kind != kind:
            continue
        if customer_id and item.customer_id != customer_id:
            continue
        items.append(item)
    return items
