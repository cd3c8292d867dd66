"""The operators' inbox: every thread waiting on an approval or a person, oldest first."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query

from api.http.deps import Authed, Services
from api.http.operators import inbox

router = APIRouter(tags=["inbox"])


@router.get("/inbox")
async def get_inbox(
    who: Authed,
    svc: Services,
    kind: Annotated[Literal["approval", "handoff", "human"] | None, Query()] = None,
    customer_id: Annotated[str | None, Query(max_length=32)] = None,
) -> list[dict[str, Any]]:
    return [item.json() for item in await inbox(svc, who, kind, customer_id)]
