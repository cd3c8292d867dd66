"""Threads: create, read, patch, delete, search; status comes from their runs."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, HTTPException, Response
from langgraph.types import StateSnapshot

from api.encoding import interrupts_by_task, jsonable
from api.http.deps import Authed, Services
from api.http.schemas import ThreadCreate, ThreadPatch, ThreadSearch
from api.http.services import ApiServices
from api.runs.threads import ThreadRecord

router = APIRouter(prefix="/threads", tags=["threads"])


def thread_json(record: ThreadRecord, snapshot: StateSnapshot | None) -> dict[str, Any]:
    values = jsonable(snapshot.values) if snapshot is not None else {}
    return {
        "thread_id": record.thread_id,
        "created_at": record.created_at.isoformat(),
        "updated_at": record.updated_at.isoformat(),
        "metadata": record.metadata,
        "status": record.status,
        "values": values or None,
        "interrupts": interrupts_by_task(snapshot) if snapshot is not None else {},
        "config": {},
    }


async def snapshot_of(svc: ApiServices, thread_id: str) -> StateSnapshot:
    return await svc.graph.aget_state({"configurable": {"thread_id": thread_id}})


@router.post("")
async def create_thread(body: ThreadCreate, who: Authed, svc: Services) -> dict[str, Any]:
    thread_id = body.thread_id or str(uuid.uuid4())
    record, created = await svc.threads.create(thread_id, who.owner, body.metadata)
    if not created:
        if record.owner != who.owner:
            raise HTTPException(409, f"thread {thread_id} already exists")
        if body.if_exists == "raise":
            raise HTTPException(409, f"thread {thread_id} already exists")
    return thread_json(record, await snapshot_of(svc, thread_id))


@router.post("/search")
async def search_threads(body: ThreadSearch, who: Authed, svc: Services) -> list[dict[str, Any]]:
    ids = await svc.threads.list_ids(who.owner)
    if body.ids is not None:
        wanted = set(body.ids)
        ids = [i for i in ids if i in wanted]
    records = await svc.threads.get_many(ids)
    if body.metadata:
        records = [r for r in records if _contains(r.metadata, body.metadata)]
    if body.status:
        records = [r for r in records if r.status == body.status]
    records.sort(key=lambda r: str(getattr(r, body.sort_by)), reverse=body.sort_order == "desc")
    found: list[dict[str, Any]] = []
    for record in records:
        snapshot = await snapshot_of(svc, record.thread_id)
        if body.values and not _contains(jsonable(snapshot.values), body.values):
            continue
        found.append(thread_json(record, snapshot))
        if len(found) >= body.offset + body.limit:
            break
    return found[body.offset :]


@router.get("/{thread_id}")
async def get_thread(thread_id: str, who: Authed, svc: Services) -> dict[str, Any]:
    record = await svc.thread_for(who, thread_id)
    return thread_json(record, await snapshot_of(svc, thread_id))


@router.patch("/{thread_id}")
async def patch_thread(
    thread_id: str, body: ThreadPatch, who: Authed, svc: Services
) -> dict[str, Any]:
    record = await svc.thread_for(who, thread_id)
    record = await svc.threads.update_metadata(record, body.metadata)
    return thread_json(record, await snapshot_of(svc, thread_id))


@router.delete("/{thread_id}", status_code=204)
async def delete_thread(thread_id: str, who: Authed, svc: Services) -> Response:
    record = await svc.thread_for(who, thread_id)
    run_ids = await svc.runs.all_ids(thread_id)
    for run in await svc.runs.get_many(run_ids):
        if run.status in ("pending", "running"):
            await svc.runs.request_cancel(run, "interrupt")
            svc.executor.cancel_local(run.run_id, "interrupt")
    await svc.app.jobs.forget_thread(thread_id)  # its jobs are cancelled, nobody waits
    await svc.threads.delete(record, run_ids)
    await svc.app.checkpointer.adelete_thread(thread_id)
    return Response(status_code=204)


def _contains(values: Any, wanted: dict[str, Any]) -> bool:
    """Every key of `wanted` present in `values` with an equal value."""
    return isinstance(values, dict) and all(values.get(k) == v for k, v in wanted.items())
