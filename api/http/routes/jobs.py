"""Long-running jobs of a thread (list, cancel) and the task queue's depth and workers."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from api.http.deps import Authed, Services
from api.jobs.resume import cancel_thread_jobs

router = APIRouter(tags=["jobs"])


@router.get("/threads/{thread_id}/jobs")
async def list_jobs(thread_id: str, who: Authed, svc: Services) -> list[dict[str, Any]]:
    await svc.thread_for(who, thread_id)
    return [j.model_dump(mode="json") for j in await svc.app.jobs.for_thread(thread_id)]


@router.post("/threads/{thread_id}/jobs/cancel")
async def cancel_jobs(thread_id: str, who: Authed, svc: Services) -> dict[str, Any]:
    """Cancel the thread's unfinished jobs; the thread resumes with each cancellation."""
    await svc.thread_for(who, thread_id)
    cancelled = await cancel_thread_jobs(svc, thread_id, "cancelled on request", who.name, who.role)
    return {"cancelled": [j.job_id for j in cancelled]}


@router.get("/jobs/stats")
async def job_stats(who: Authed, svc: Services) -> dict[str, Any]:
    """Queue depth (queued, active, scheduled) and the workers that reported recently."""
    return await svc.app.tasks.stats()
