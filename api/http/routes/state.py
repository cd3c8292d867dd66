"""A thread's state now, at a checkpoint, its history, and updates to it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query
from langchain_core.messages import HumanMessage
from langchain_core.runnables import RunnableConfig
from langgraph.errors import InvalidUpdateError
from langgraph.types import StateSnapshot
from pydantic import ValidationError

from api.encoding import checkpoint_json, snapshot_json
from api.http.deps import Authed, Services, ThreadId
from api.http.run_input import InvalidRun, masked_update
from api.http.schemas import CheckpointRef, HistoryRequest, StateAt, StateUpdate
from api.http.security import authorize_state_update
from api.http.services import ApiServices
from nodes.guardrail import deterministic_block
from state.checkpoint.saver import before_checkpoint_id

router = APIRouter(prefix="/threads/{thread_id}", tags=["thread state"])


def _config(
    thread_id: str, ref: CheckpointRef | None = None, checkpoint_id: str | None = None
) -> RunnableConfig:
    configurable: dict[str, Any] = {"thread_id": thread_id, "checkpoint_ns": ""}
    if ref is not None:
        configurable["checkpoint_ns"] = ref.checkpoint_ns
        checkpoint_id = ref.checkpoint_id or checkpoint_id
    if checkpoint_id:
        configurable["checkpoint_id"] = checkpoint_id
    return {"configurable": configurable}


async def _snapshot(svc: ApiServices, config: RunnableConfig, subgraphs: bool) -> StateSnapshot:
    wanted = config["configurable"].get("checkpoint_id")
    if wanted and await svc.app.checkpointer.aget_tuple(config) is None:
        raise HTTPException(404, f"checkpoint {wanted} not found")
    return await svc.graph.aget_state(config, subgraphs=subgraphs)


@router.get("/state")
async def get_state(
    thread_id: ThreadId, who: Authed, svc: Services, subgraphs: Annotated[bool, Query()] = False
) -> dict[str, Any]:
    await svc.thread_for(who, thread_id)
    return snapshot_json(await _snapshot(svc, _config(thread_id), subgraphs))


@router.get("/state/{checkpoint_id}")
async def get_state_at(
    thread_id: ThreadId,
    checkpoint_id: str,
    who: Authed,
    svc: Services,
    subgraphs: Annotated[bool, Query()] = False,
) -> dict[str, Any]:
    await svc.thread_for(who, thread_id)
    config = _config(thread_id, checkpoint_id=checkpoint_id)
    return snapshot_json(await _snapshot(svc, config, subgraphs))


@router.post("/state/checkpoint")
async def post_state_at(
    thread_id: ThreadId, body: StateAt, who: Authed, svc: Services
) -> dict[str, Any]:
    await svc.thread_for(who, thread_id)
    return snapshot_json(await _snapshot(svc, _config(thread_id, body.checkpoint), body.subgraphs))


@router.post("/state")
async def update_state(
    thread_id: ThreadId, body: StateUpdate, who: Authed, svc: Services
) -> dict[str, Any]:
    await svc.thread_for(who, thread_id)
    authorize_state_update(who, body.values)
    if await svc.runs.thread_holder(thread_id) or await svc.runs.queued(thread_id):
        raise HTTPException(409, f"thread {thread_id} is busy with a run; update it when idle")
    if body.as_node is not None and body.as_node not in svc.graph.nodes:
        raise HTTPException(422, f"as_node: unknown node {body.as_node!r}")
    config = _config(thread_id, body.checkpoint, body.checkpoint_id)
    if config["configurable"].get("checkpoint_id"):
        await _snapshot(svc, config, subgraphs=False)
    values = _masked(body.values, svc)
    if body.as_node is not None:
        _screened(values, svc)
    try:
        written = await svc.graph.aupdate_state(config, values, as_node=body.as_node)
    except (InvalidUpdateError, ValidationError, ValueError, TypeError, KeyError) as exc:
        raise HTTPException(422, f"values: {exc}") from exc
    return {"checkpoint": checkpoint_json(written)}


def _masked(values: dict[str, Any] | None, svc: ApiServices) -> Any:
    """Text in a state update is masked like a run's input."""
    if values is None:
        return values
    try:
        return masked_update(values, svc.app.deps.customers)
    except InvalidRun as exc:
        raise HTTPException(422, f"values.{exc.message}") from exc


def _screened(values: Any, svc: ApiServices) -> None:
    """Customer text written as a node (past the guardrail) gets the guardrail's own checks:
    `as_node` cannot plant a message the guardrail would have refused."""
    if not isinstance(values, dict):
        return
    customer_id = values.get("customer_id")
    signed_in = customer_id if isinstance(customer_id, str) else None
    for message in values.get("messages") or []:
        if not isinstance(message, HumanMessage):
            continue
        reason = deterministic_block(message.text, signed_in, svc.app.deps.customers)
        if reason is not None:
            raise HTTPException(422, f"values.messages: the guardrail refuses this text ({reason})")


@router.post("/history")
async def post_history(
    thread_id: ThreadId, body: HistoryRequest, who: Authed, svc: Services
) -> list[dict[str, Any]]:
    await svc.thread_for(who, thread_id)
    return await _history(svc, thread_id, body)


@router.get("/history")
async def get_history(
    thread_id: ThreadId,
    who: Authed,
    svc: Services,
    limit: Annotated[int, Query(ge=1, le=1000)] = 10,
    before: str | None = None,
) -> list[dict[str, Any]]:
    await svc.thread_for(who, thread_id)
    return await _history(svc, thread_id, HistoryRequest(limit=limit, before=before))


async def _history(svc: ApiServices, thread_id: str, body: HistoryRequest) -> list[dict[str, Any]]:
    config = _config(thread_id, body.checkpoint)
    before = _before(thread_id, body.before)
    return [
        snapshot_json(s)
        async for s in svc.graph.aget_state_history(
            config, filter=body.metadata, before=before, limit=body.limit
        )
    ]


def _before(thread_id: str, before: str | dict[str, Any] | None) -> RunnableConfig | None:
    """`before` as an id, a checkpoint reference, a Checkpoint or a config — what clients send."""
    if before is None:
        return None
    if isinstance(before, str):
        return _config(thread_id, checkpoint_id=before)
    checkpoint_id = before_checkpoint_id(before)
    if not isinstance(checkpoint_id, str):
        raise HTTPException(422, "before: expected a checkpoint id or an object with checkpoint_id")
    return _config(thread_id, checkpoint_id=checkpoint_id)
