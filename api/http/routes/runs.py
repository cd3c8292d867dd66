"""Runs on a thread (wait, stream, background, list, get, join, cancel) and stateless runs."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Header, HTTPException, Query, Response
from fastapi.responses import JSONResponse
from sse_starlette import EventSourceResponse, ServerSentEvent

from api.encoding import dumps
from api.http.deps import Authed, Services, ThreadId
from api.http.run_requests import create_run, finish_temporary, run_json
from api.http.schemas import MAX_OFFSET, RunCreate
from api.http.security import Caller
from api.http.services import ApiServices
from api.runs.event_log import after_id
from api.runs.outage import RETRY_AFTER_SECONDS
from api.runs.outcome import RunOutcome, result_values
from api.runs.records import TERMINAL, CancelAction, RunRecord
from api.runs.stream_modes import check_stream_modes

router = APIRouter(tags=["runs"])
_JOIN_POLL_MAX = 0.25
_THREAD_STREAM_QUIET_WAITS = 3
"""Quiet 5 s reads after which a thread stream with nothing running ends."""
_STREAM_END = ("", None, None)


def _locations(run: RunRecord, then: str = "join") -> dict[str, str]:
    """Where the run lives, and where to go next: `join` for its result, `stream` to
    (re)join its events — what the SDK reconnects to."""
    base = f"/threads/{run.thread_id}/runs/{run.run_id}"
    return {"Content-Location": base, "Location": f"{base}/{then}"}


@router.post("/threads/{thread_id}/runs")
async def create_background_run(
    thread_id: ThreadId, body: RunCreate, who: Authed, svc: Services
) -> JSONResponse:
    run = await create_run(svc, who, thread_id, body, publish=True, detached=True)
    if run.worker:  # else it waits for its time; a scheduler starts it then
        svc.executor.start(run)
    return JSONResponse(
        run_json(run), headers={"Content-Location": _locations(run)["Content-Location"]}
    )


@router.post("/threads/{thread_id}/runs/wait")
async def wait_run(thread_id: ThreadId, body: RunCreate, who: Authed, svc: Services) -> Response:
    run = await create_run(svc, who, thread_id, body)
    outcome = await _await_outcome(svc, run, body.on_disconnect == "cancel")
    return _outcome_response(outcome, _locations(run))


@router.post("/runs/wait")
async def wait_stateless_run(body: RunCreate, who: Authed, svc: Services) -> Response:
    run = await create_run(svc, who, None, body)
    try:
        outcome = await _await_outcome(svc, run, body.on_disconnect == "cancel")
    finally:
        await svc.executor.later.now_or_later(run.run_id, lambda: finish_temporary(svc, who, run))
    return _outcome_response(outcome, {})


def _outcome_response(outcome: RunOutcome, headers: dict[str, str]) -> Response:
    """The run's final values or error; 503 when Redis went away under it (start it again)."""
    if outcome.storage_failed:
        return JSONResponse(
            {"detail": "storage became unavailable during the run; retry shortly"},
            status_code=503,
            headers={**headers, "Retry-After": str(RETRY_AFTER_SECONDS)},
        )
    return Response(dumps(outcome.wait_body()), media_type="application/json", headers=headers)


async def _await_outcome(
    svc: ApiServices, run: RunRecord, cancel_on_disconnect: bool
) -> RunOutcome:
    task = svc.executor.start(run)
    try:
        return await asyncio.shield(task)
    except asyncio.CancelledError:
        if cancel_on_disconnect:
            svc.executor.cancel_local(run.run_id, "interrupt")
        raise


@router.post("/threads/{thread_id}/runs/stream")
async def stream_run(
    thread_id: ThreadId, body: RunCreate, who: Authed, svc: Services
) -> EventSourceResponse:
    run = await create_run(svc, who, thread_id, body, publish=True)
    return EventSourceResponse(
        _events(svc, who, run, body.on_disconnect == "cancel"),
        headers=_locations(run, "stream"),
    )


@router.post("/runs/stream")
async def stream_stateless_run(body: RunCreate, who: Authed, svc: Services) -> EventSourceResponse:
    run = await create_run(svc, who, None, body, publish=body.on_completion == "keep")
    headers = _locations(run, "stream") if run.params.publish else {}
    return EventSourceResponse(
        _events(svc, who, run, body.on_disconnect == "cancel"), headers=headers
    )


async def _events(
    svc: ApiServices, who: Caller, run: RunRecord, cancel_on_disconnect: bool
) -> AsyncIterator[ServerSentEvent]:
    queue: asyncio.Queue[tuple[str, Any, str | None]] = asyncio.Queue()

    async def listener(event: str, data: Any, event_id: str | None) -> None:
        queue.put_nowait((event, data, event_id))

    task = svc.executor.start(run, listener)
    task.add_done_callback(lambda _: queue.put_nowait(_STREAM_END))
    try:
        while True:
            event, data, event_id = await queue.get()
            if (event, data, event_id) == _STREAM_END:
                break
            yield ServerSentEvent(data=dumps(data).decode(), event=event, id=event_id)
    except asyncio.CancelledError:
        if cancel_on_disconnect:
            svc.executor.cancel_local(run.run_id, "interrupt")
        raise
    finally:
        if run.params.temporary and task.done():
            await svc.executor.later.now_or_later(
                run.run_id, lambda: finish_temporary(svc, who, run)
            )
        elif run.params.temporary:
            svc.executor.later.background(
                _drop_when_done(svc, who, run, task), f"drop-temporary:{run.run_id}"
            )


async def _drop_when_done(
    svc: ApiServices, who: Caller, run: RunRecord, task: asyncio.Task[RunOutcome]
) -> None:
    """A stateless run's thread goes when the run ends, even if its client left first."""
    await asyncio.wait({task})
    await svc.executor.later.now_or_later(run.run_id, lambda: finish_temporary(svc, who, run))


@router.get("/threads/{thread_id}/runs")
async def list_runs(
    thread_id: ThreadId,
    who: Authed,
    svc: Services,
    limit: Annotated[int, Query(ge=1, le=1000)] = 10,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
    status: Annotated[
        str | None, Query(pattern="^(pending|running|error|success|timeout|interrupted)$")
    ] = None,
) -> list[dict[str, Any]]:
    await svc.thread_for(who, thread_id)
    if status is None:
        ids = await svc.runs.list_ids(thread_id, limit, offset)
        return [run_json(r) for r in await svc.runs.get_many(ids)]
    every = await svc.runs.get_many(await svc.runs.list_ids(thread_id, 10_000, 0))
    return [run_json(r) for r in every if r.status == status][offset : offset + limit]


@router.get("/threads/{thread_id}/runs/{run_id}")
async def get_run(thread_id: ThreadId, run_id: str, who: Authed, svc: Services) -> dict[str, Any]:
    return run_json(await svc.run_for(who, thread_id, run_id))


@router.get("/threads/{thread_id}/runs/{run_id}/join")
async def join_run(thread_id: ThreadId, run_id: str, who: Authed, svc: Services) -> Response:
    run = await _until_finished(svc, await svc.run_for(who, thread_id, run_id))
    if run.status == "error":
        body: dict[str, Any] = {
            "__error__": {"error": "RunError", "message": run.error or "run failed"}
        }
    else:
        snapshot = await svc.graph.aget_state({"configurable": {"thread_id": thread_id}})
        body = result_values(snapshot)
    return Response(dumps(body), media_type="application/json")


async def _until_finished(svc: ApiServices, run: RunRecord) -> RunRecord:
    task = svc.executor.tasks.get(run.run_id)
    if task is not None:
        await asyncio.shield(task)
    delay = 0.01
    while run.status not in TERMINAL:
        await asyncio.sleep(delay)
        delay = min(delay * 2, _JOIN_POLL_MAX)
        found = await svc.runs.get(run.run_id)
        if found is None:
            raise HTTPException(404, f"run {run.run_id} was rolled back")
        run = found
    return run


@router.get("/threads/{thread_id}/runs/{run_id}/stream")
async def join_run_stream(
    thread_id: ThreadId,
    run_id: str,
    who: Authed,
    svc: Services,
    last_event_id: Annotated[str | None, Header()] = None,
    cancel_on_disconnect: Annotated[bool, Query()] = False,
    stream_mode: Annotated[str | None, Query()] = None,
) -> EventSourceResponse:
    """The run's events after `Last-Event-ID` (all of them without one), then live ones until
    it ends — from whichever process runs it."""
    run = await svc.run_for(who, thread_id, run_id)
    wanted = _mode_filter(stream_mode)
    return EventSourceResponse(
        _joined(svc, run, after_id(last_event_id), wanted, cancel_on_disconnect),
        headers=_locations(run, "stream"),
    )


async def _joined(
    svc: ApiServices,
    run: RunRecord,
    after: str,
    wanted: set[str] | None,
    cancel_on_disconnect: bool,
) -> AsyncIterator[ServerSentEvent]:
    if run.status in TERMINAL and not await svc.events.has_run(run.run_id):
        return  # a run that never published (a `wait`), or whose events expired
    try:
        async for stored in svc.events.follow_run(run.run_id, after):
            if stored is None:  # quiet: is the run still alive to say more?
                found = await svc.runs.get(run.run_id)
                if found is None or found.status in TERMINAL:
                    return  # everything it published has been read; its end was not
                continue
            if _wanted(stored.event, wanted):
                yield ServerSentEvent(data=stored.data.decode(), event=stored.event, id=stored.id)
    except asyncio.CancelledError:
        if cancel_on_disconnect:
            await svc.runs.request_cancel(run, "interrupt")
            svc.executor.cancel_local(run.run_id, "interrupt")
        raise


@router.get("/threads/{thread_id}/stream")
async def join_thread_stream(
    thread_id: ThreadId,
    who: Authed,
    svc: Services,
    last_event_id: Annotated[str | None, Header()] = None,
) -> EventSourceResponse:
    """Every run's events on the thread, as they come; with `Last-Event-ID`, what it missed
    first. Each run ends with `metadata` `run_done`. The stream ends after a quiet spell with
    no run queued or running (about 15 s), so nobody holds a connection to an idle thread."""
    await svc.thread_for(who, thread_id)
    if last_event_id is None:
        after = await svc.events.latest_id(thread_id)
    else:
        after = after_id(last_event_id)

    async def events() -> AsyncIterator[ServerSentEvent]:
        quiet = 0
        async for stored in svc.events.follow_thread(thread_id, after):
            if stored is not None:
                quiet = 0
                yield ServerSentEvent(data=stored.data.decode(), event=stored.event, id=stored.id)
                continue
            quiet += 1
            if quiet >= _THREAD_STREAM_QUIET_WAITS and not await _thread_active(svc, thread_id):
                return  # nothing is running and nothing was said: the client reconnects

    return EventSourceResponse(events())


async def _thread_active(svc: ApiServices, thread_id: str) -> bool:
    return bool(await svc.runs.thread_holder(thread_id) or await svc.runs.queued(thread_id))


def _mode_filter(stream_mode: str | None) -> set[str] | None:
    """`stream_mode` as the SDK sends it on a join: one mode, or a JSON list of them."""
    if not stream_mode:
        return None
    try:
        parsed = json.loads(stream_mode)
    except ValueError:
        parsed = stream_mode
    modes = [parsed] if isinstance(parsed, str) else parsed
    if not isinstance(modes, list):
        raise HTTPException(422, "stream_mode: a mode or a JSON list of modes")
    try:
        return set(check_stream_modes([str(m) for m in modes]))
    except ValueError as exc:
        raise HTTPException(422, f"stream_mode: {exc}") from exc


def _wanted(event: str, wanted: set[str] | None) -> bool:
    if wanted is None or event in ("metadata", "error"):
        return True
    mode = event.split("|", 1)[0]
    if mode.startswith("messages"):
        return bool(wanted & {"messages", "messages-tuple"})
    return mode in wanted


@router.post("/threads/{thread_id}/runs/{run_id}/cancel")
async def cancel_run(
    thread_id: ThreadId,
    run_id: str,
    who: Authed,
    svc: Services,
    wait: Annotated[bool, Query()] = False,
    action: Annotated[str, Query(pattern="^(interrupt|rollback)$")] = "interrupt",
) -> Response:
    run = await svc.run_for(who, thread_id, run_id)
    if run.status in TERMINAL:
        raise HTTPException(409, f"run {run_id} already finished with status {run.status}")
    cancel_action: CancelAction = "rollback" if action == "rollback" else "interrupt"
    await svc.runs.request_cancel(run, cancel_action)
    if not svc.executor.cancel_local(run_id, cancel_action):
        await svc.executor.cancel_scheduled(run, cancel_action)
    if not wait:
        return Response(status_code=202)
    with contextlib.suppress(HTTPException):  # a rolled-back run is deleted: that is the end
        await _until_finished(svc, run)
    return Response(status_code=204)


@router.delete("/threads/{thread_id}/runs/{run_id}", status_code=204)
async def delete_run(thread_id: ThreadId, run_id: str, who: Authed, svc: Services) -> Response:
    run = await svc.run_for(who, thread_id, run_id)
    if run.status not in TERMINAL:
        raise HTTPException(409, f"run {run_id} is {run.status}; cancel it first")
    await svc.runs.delete(run)
    return Response(status_code=204)
