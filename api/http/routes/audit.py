"""The audit log: who decided what, on which thread, when (operators only)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query

from api.http.deps import Authed, Services
from api.http.security import forbid

router = APIRouter(tags=["audit"])


@router.get("/audit")
async def read_audit(
    who: Authed,
    svc: Services,
    thread_id: Annotated[str | None, Query(max_length=128)] = None,
    actor: Annotated[str | None, Query(max_length=200)] = None,
    since: Annotated[datetime | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[dict[str, Any]]:
    """Entries oldest first; `since` is an ISO time (entries at or after it)."""
    if not who.is_operator:
        raise forbid(who, "read the audit log")
    entries = await svc.app.deps.audit.query(
        thread_id=thread_id, actor=actor, since=since, limit=limit
    )
    return [e.model_dump(mode="json") for e in entries]
