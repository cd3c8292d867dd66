"""An operator takes a thread over, writes to its customer, and hands it back."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from api.http.deps import Authed, Services, ThreadId
from api.http.operators import hand_back, take_over, write_to_customer

router = APIRouter(prefix="/threads/{thread_id}", tags=["takeover"])


class OperatorMessage(BaseModel):
    model_config = ConfigDict(extra="forbid")
    message: str = Field(min_length=1, max_length=4000)


@router.get("/takeover")
async def get_takeover(thread_id: ThreadId, who: Authed, svc: Services) -> dict[str, Any]:
    await svc.thread_for(who, thread_id)
    holder = await svc.app.deps.switches.holder(thread_id)
    return {"thread_id": thread_id, "held": holder is not None, "operator": holder}


@router.post("/takeover")
async def post_takeover(thread_id: ThreadId, who: Authed, svc: Services) -> dict[str, Any]:
    """Pause the assistant on this thread: the customer's messages wait for the operator."""
    await take_over(svc, who, thread_id)
    return {"thread_id": thread_id, "held": True, "operator": who.name}


@router.delete("/takeover")
async def delete_takeover(thread_id: ThreadId, who: Authed, svc: Services) -> dict[str, Any]:
    """Hand the thread back to the assistant."""
    await hand_back(svc, who, thread_id)
    return {"thread_id": thread_id, "held": False, "operator": None}


@router.post("/operator_messages")
async def post_operator_message(
    thread_id: ThreadId, body: OperatorMessage, who: Authed, svc: Services
) -> dict[str, Any]:
    """The operator writes to the customer (the reply to a waiting handoff, or a message on
    a thread they hold)."""
    return await write_to_customer(svc, who, thread_id, body.message)
