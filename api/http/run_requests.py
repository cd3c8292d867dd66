"""Create a run from a request: thread resolution, validation, queueing on the thread."""

from __future__ import annotations

import asyncio
import functools
import time
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import HTTPException

from api.http.run_input import (
    InvalidRun,
    check_nodes,
    normalize_command,
    normalize_input,
    user_config,
)
from api.http.schemas import RunCreate
from api.http.security import Caller, authorize_run, forbid
from api.http.services import ASSISTANT_ID, ApiServices
from api.jobs.webhooks import WebhookRefused, check_target
from api.runs.queue import ThreadBusy, ThreadMissing
from api.runs.records import RunKwargs, RunRecord
from api.runs.threads import ThreadRecord, utc_now
from api.turns import all_interrupts

T = TypeVar("T")

INLINE_CHARS = 4096
"""A run input or command of at most this many characters (strings, keys and a few per other
value) is masked and validated on the event loop: for one user message the thread hop costs
more CPU than the work. A larger one goes to a worker thread, so the loop keeps serving others
while masking reads every character."""


def fits_inline(value: object, budget: int = INLINE_CHARS) -> bool:
    """Whether `value` (JSON-shaped) holds at most `budget` characters; stops once over."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            budget -= len(item)
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list | tuple):
            pending.extend(item)
        else:
            budget -= 8
        if budget < 0:
            return False
    return True


async def off_loop_if_large(payload: object, work: Callable[[], T]) -> T:
    """`work()` on the loop when `payload` fits inline, in a worker thread otherwise."""
    if fits_inline(payload):
        return work()
    return await asyncio.to_thread(work)


def run_json(run: RunRecord) -> dict[str, Any]:
    """A run as the Platform's `Run`."""
    return {
        "run_id": run.run_id,
        "thread_id": run.thread_id,
        "assistant_id": run.assistant_id,
        "created_at": run.created_at.isoformat(),
        "updated_at": run.updated_at.isoformat(),
        "status": run.status,
        "metadata": run.metadata,
        "multitask_strategy": run.multitask_strategy,
        "kwargs": run.params.model_dump(mode="json"),
        "error": run.error,
    }


async def create_run(
    svc: ApiServices,
    who: Caller,
    thread_id: str | None,
    body: RunCreate,
    *,
    publish: bool = False,
    detached: bool = False,
) -> RunRecord:
    """Validate the request and queue the run on its thread; 4xx for anything it can't run.

    A `publish`ed run (streamed, or in the background) writes its events to its event log,
    so its stream can be joined or replayed from any process. A `detached` run (background:
    no client waits on this process) that is scheduled for later belongs to no process until
    it is due (`worker` empty): whichever process's scheduler finds it due starts it."""
    svc.assistant_graph_id(body.assistant_id)
    authorize_run(who, body)
    run_id = str(uuid.uuid4())
    not_before = time.time() + body.after_seconds if body.after_seconds else None
    await svc.quotas.new_run(who, run_id, not_before)
    temporary = thread_id is None
    record: ThreadRecord | None = None
    created = temporary
    if thread_id is None:
        thread_id = str(uuid.uuid4())
        await svc.threads.create(thread_id, who.owner, {"temporary": True})
    else:
        record, created = await _thread_or_create(svc, who, thread_id, body)
    try:
        params = await _params(svc, who, thread_id, run_id, body, temporary)
        params.publish = publish
        params.resumable = publish and body.stream_resumable
    except (InvalidRun, HTTPException) as exc:
        if created:  # a refused request leaves no thread behind, not even one it asked for
            await _drop_thread(svc, who, thread_id)
        if isinstance(exc, InvalidRun):
            raise HTTPException(422, exc.message) from exc
        raise
    now = utc_now()
    run = RunRecord(
        run_id=run_id,
        thread_id=thread_id,
        assistant_id=body.assistant_id,
        owner=who.owner,
        created_at=now,
        updated_at=now,
        metadata=body.metadata,
        multitask_strategy=body.multitask_strategy,
        params=params,
        worker="" if detached and params.not_before is not None else svc.executor.worker_id,
    )
    try:  # only a run that is accepted names its graph on the thread
        await svc.runs.enqueue(run, stamp=None if record is None else _stamped(svc, record))
    except ThreadBusy as exc:
        raise HTTPException(
            409, f"{exc}; use multitask_strategy enqueue, interrupt or rollback"
        ) from exc
    except ThreadMissing as exc:
        raise HTTPException(404, str(exc)) from exc
    return run


async def _thread_or_create(
    svc: ApiServices, who: Caller, thread_id: str, body: RunCreate
) -> tuple[ThreadRecord, bool]:
    """The thread, and whether this request created it (`if_not_exists: create`)."""
    record = await svc.threads.get(thread_id)
    created = False
    if record is None and body.if_not_exists == "create":
        await svc.quotas.new_thread(who)
        record, created = await svc.threads.create(thread_id, who.owner, {})
    if record is None or not who.sees(record.owner):
        raise HTTPException(404, f"thread {thread_id} not found")
    return record, created


def _stamped(svc: ApiServices, record: ThreadRecord) -> ThreadRecord | None:
    """The thread with metadata that names the graph and assistant that run on it, as
    LangGraph's server stamps them (`threads.search({metadata: {graph_id}})`, agent-chat-ui's
    thread history, finds it); None when it already does. The run's enqueue writes it."""
    stamp = {"graph_id": str(svc.graph.name), "assistant_id": ASSISTANT_ID}
    if all(record.metadata.get(k) == v for k, v in stamp.items()):
        return None
    return record.model_copy(update={"metadata": {**record.metadata, **stamp}})


async def _params(
    svc: ApiServices, who: Caller, thread_id: str, run_id: str, body: RunCreate, temporary: bool
) -> RunKwargs:
    if body.input and body.command is not None:
        raise InvalidRun("command", "send either input or command, not both")
    if body.command is not None and body.command.resume is not None and not who.is_operator:
        await _refuse_resume(svc, who, thread_id)
    if body.command is not None:
        body = body.model_copy(update={"input": None})  # agent-chat-ui sends `input: {}` too
    if body.webhook is not None:
        try:
            await check_target(body.webhook, svc.settings.webhook_allowed_hosts)
        except WebhookRefused as exc:
            raise InvalidRun("webhook", f"webhook: {exc}") from exc
    nodes = set(svc.graph.nodes) - {"__start__"}
    check_nodes("interrupt_before", body.interrupt_before, nodes)
    check_nodes("interrupt_after", body.interrupt_after, nodes)
    raw_command = body.command
    command = await off_loop_if_large(
        None if raw_command is None else [raw_command.resume, raw_command.goto, raw_command.update],
        functools.partial(normalize_command, raw_command, svc.app.deps.customers),
    )
    if command is not None and "goto" in command:
        goto = command["goto"] if isinstance(command["goto"], list) else [command["goto"]]
        names = [g["node"] if isinstance(g, dict) else g for g in goto]
        check_nodes("command.goto", names, nodes)
    checkpoint_id = body.checkpoint_id or (
        body.checkpoint.checkpoint_id if body.checkpoint else None
    )
    if checkpoint_id:
        found = await svc.app.checkpointer.aget_tuple(
            {
                "configurable": {
                    "thread_id": thread_id,
                    "checkpoint_ns": "",
                    "checkpoint_id": checkpoint_id,
                }
            }
        )
        if found is None:
            raise HTTPException(404, f"checkpoint {checkpoint_id} not found on thread {thread_id}")
    graph_input = await off_loop_if_large(
        body.input,
        functools.partial(
            normalize_input,
            body.input,
            run_id,
            svc.app.deps.customers,
            signed_in=who.customer_id,
            user_only=not who.is_operator,
        ),
    )
    return RunKwargs(
        input=graph_input,
        command=command,
        config=user_config(body, customer=who.is_customer),
        actor=who.actor(),
        context=body.context,
        stream_mode=list(body.stream_modes()),
        stream_subgraphs=body.stream_subgraphs,
        interrupt_before=body.interrupt_before,
        interrupt_after=body.interrupt_after,
        checkpoint_id=checkpoint_id,
        durability=body.durability or svc.settings.run_durability,
        temporary=temporary and body.on_completion != "keep",
        not_before=time.time() + body.after_seconds if body.after_seconds else None,
        webhook=body.webhook,
    )


async def _refuse_resume(svc: ApiServices, who: Caller, thread_id: str) -> None:
    """Approvals and handoffs wait for an operator: anyone else is refused (403) and the
    interrupt stays pending, untouched."""
    snapshot = await svc.graph.aget_state({"configurable": {"thread_id": thread_id}})
    if all_interrupts(snapshot):
        raise forbid(who, "answer an approval or a handoff; an operator must")


async def _drop_thread(
    svc: ApiServices, who: Caller, thread_id: str, *, keep_audit: bool = False
) -> None:
    record = await svc.threads.get(thread_id)
    if record is not None and record.owner == who.owner:
        run_ids = await svc.runs.all_ids(thread_id)
        await svc.threads.delete(record, run_ids, keep_audit=keep_audit)
        await svc.app.checkpointer.adelete_thread(thread_id)


async def finish_temporary(svc: ApiServices, who: Caller, run: RunRecord) -> None:
    """Stateless runs leave nothing behind unless the caller asked to keep the thread; what
    they decided stays in the audit log for the thread TTL (forever without one)."""
    if run.params.temporary:
        await _drop_thread(svc, who, run.thread_id, keep_audit=True)
