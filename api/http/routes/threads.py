"""Threads: create, read, patch, delete, search; status comes from their runs."""

from __future__ import annotations

import copy
import uuid
from typing import Any

from fastapi import APIRouter, HTTPException, Response
from langgraph.types import StateSnapshot

from api.encoding import interrupts_by_task, jsonable, pending_interrupts, waiting_status
from api.http.deps import Authed, Services, ThreadId
from api.http.schemas import ThreadCount, ThreadCreate, ThreadPatch, ThreadPrune, ThreadSearch
from api.http.security import Caller
from api.http.services import ApiServices
from api.runs.threads import ThreadRecord

router = APIRouter(prefix="/threads", tags=["threads"])


def thread_json(record: ThreadRecord, snapshot: StateSnapshot | None) -> dict[str, Any]:
    values = (
        waiting_status(jsonable(snapshot.values), pending_interrupts(snapshot))
        if snapshot is not None
        else {}
    )
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
    await svc.quotas.new_thread(who)
    record, created = await svc.threads.create(thread_id, who.owner, body.metadata)
    if not created:
        if not who.sees(record.owner):  # never reveal that another owner's id exists
            raise HTTPException(404, f"thread {thread_id} not found")
        if body.if_exists == "raise":
            raise HTTPException(409, f"thread {thread_id} already exists")
    return thread_json(record, await snapshot_of(svc, thread_id))


@router.post("/search")
async def search_threads(body: ThreadSearch, who: Authed, svc: Services) -> list[dict[str, Any]]:
    records = await _matching(svc, who, body.metadata, body.status, body.ids)
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


@router.post("/count")
async def count_threads(body: ThreadCount, who: Authed, svc: Services) -> int:
    records = await _matching(svc, who, body.metadata, body.status, None)
    if not body.values:
        return len(records)
    snapshots = [await snapshot_of(svc, r.thread_id) for r in records]
    return sum(_contains(jsonable(s.values), body.values) for s in snapshots)


async def _matching(
    svc: ApiServices,
    who: Caller,
    metadata: dict[str, Any] | None,
    status: str | None,
    ids: list[str] | None,
) -> list[ThreadRecord]:
    """The caller's threads with this metadata and status (and among `ids`, when given)."""
    found = await (svc.threads.all_ids() if who.is_operator else svc.threads.list_ids(who.owner))
    if ids is not None:
        wanted = set(ids)
        found = [i for i in found if i in wanted]
    records = await svc.threads.get_many(found)
    if metadata:
        records = [r for r in records if _contains(r.metadata, metadata)]
    if status:
        records = [r for r in records if r.status == status]
    return records


@router.post("/prune")
async def prune_threads(body: ThreadPrune, who: Authed, svc: Services) -> dict[str, int]:
    """Delete the threads named (`delete`), or keep only their latest checkpoint
    (`keep_latest`); threads the caller cannot see, and busy ones for `keep_latest`, are
    skipped."""
    pruned = 0
    for record in await svc.threads.get_many(list(dict.fromkeys(body.thread_ids))):
        if record.owner != who.owner:
            continue
        if body.strategy == "delete":
            await svc.delete_thread(record)
        elif await svc.runs.thread_holder(record.thread_id) or await svc.runs.queued(
            record.thread_id
        ):
            continue
        else:
            await svc.app.checkpointer.aprune([record.thread_id], keep_last=1)
        pruned += 1
    return {"pruned_count": pruned}


@router.post("/{thread_id}/copy")
async def copy_thread(thread_id: ThreadId, who: Authed, svc: Services) -> dict[str, Any]:
    """A new thread with the same metadata and every checkpoint and pending write."""
    source = await svc.thread_for(who, thread_id)
    copy_id = str(uuid.uuid4())
    record, _ = await svc.threads.create(copy_id, who.owner, copy.deepcopy(source.metadata))
    await svc.app.checkpointer.acopy_thread(thread_id, copy_id)
    snapshot = await snapshot_of(svc, copy_id)
    if snapshot.next:
        record = await svc.threads.set_status(record, "interrupted")
    return thread_json(record, snapshot)


@router.get("/{thread_id}")
async def get_thread(thread_id: ThreadId, who: Authed, svc: Services) -> dict[str, Any]:
    record = await svc.thread_for(who, thread_id)
    return thread_json(record, await snapshot_of(svc, thread_id))


@router.patch("/{thread_id}")
async def patch_thread(
    thread_id: ThreadId, body: ThreadPatch, who: Authed, svc: Services
) -> dict[str, Any]:
    record = await svc.thread_for(who, thread_id)
    record = await svc.threads.update_metadata(record, body.metadata)
    return thread_json(record, await snapshot_of(svc, thread_id))


@router.delete("/{thread_id}", status_code=204)
async def delete_thread(thread_id: ThreadId, who: Authed, svc: Services) -> Response:
    await svc.delete_thread(await svc.thread_for(who, thread_id))
    return Response(status_code=204)


def _contains(values: Any, wanted: dict[str, Any]) -> bool:
    """Every key of `wanted` present in `values` with an equal value."""
    return isinstance(values, dict) and all(values.get(k) == v for k, v in wanted.items())
