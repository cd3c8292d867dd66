"""The support graph as the server's one assistant."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from langgraph.graph.state import CompiledStateGraph

from api.http.deps import Services
from api.http.schemas import AssistantCount, AssistantSearch
from api.http.services import ASSISTANT_ID, ApiServices

router = APIRouter(prefix="/assistants", tags=["assistants"])
_CREATED = datetime(2026, 1, 1, tzinfo=UTC)


def assistant_json(graph_id: str) -> dict[str, Any]:
    return {
        "assistant_id": ASSISTANT_ID,
        "graph_id": graph_id,
        "name": graph_id,
        "description": "Customer support: guardrail, FAQ, specialists, approvals, tickets",
        "config": {},
        "context": {},
        "metadata": {"created_by": "system"},
        "version": 1,
        "created_at": _CREATED.isoformat(),
        "updated_at": _CREATED.isoformat(),
    }


def schemas_json(graph: CompiledStateGraph[Any, Any, Any, Any], graph_id: str) -> dict[str, Any]:
    return {
        "graph_id": graph_id,
        "input_schema": graph.get_input_jsonschema(),
        "output_schema": graph.get_output_jsonschema(),
        "state_schema": _state_schema(graph),
        "config_schema": graph.get_context_jsonschema() or {},
        "context_schema": graph.get_context_jsonschema() or {},
    }


def _state_schema(graph: CompiledStateGraph[Any, Any, Any, Any]) -> dict[str, Any]:
    schema: dict[str, Any] = graph.builder.state_schema.model_json_schema()
    return schema


@router.post("/search")
async def search_assistants(body: AssistantSearch, svc: Services) -> list[dict[str, Any]]:
    return _matching(svc, body)[body.offset : body.offset + body.limit]


@router.post("/count")
async def count_assistants(body: AssistantCount, svc: Services) -> int:
    return len(_matching(svc, body))


def _matching(svc: ApiServices, body: AssistantCount | AssistantSearch) -> list[dict[str, Any]]:
    graph_id = str(svc.graph.name)
    assistant = assistant_json(graph_id)
    matches = (
        body.graph_id in (None, graph_id)
        and body.name in (None, graph_id)
        and all(assistant["metadata"].get(k) == v for k, v in (body.metadata or {}).items())
    )
    return [assistant] if matches else []


@router.get("/{assistant_id}")
async def get_assistant(assistant_id: str, svc: Services) -> dict[str, Any]:
    return assistant_json(svc.assistant_graph_id(assistant_id))


@router.get("/{assistant_id}/graph")
async def get_assistant_graph(
    assistant_id: str, svc: Services, xray: Annotated[int | bool, Query()] = False
) -> dict[str, Any]:
    svc.assistant_graph_id(assistant_id)
    drawable = await svc.graph.aget_graph(xray=xray)
    return drawable.to_json()


@router.get("/{assistant_id}/schemas")
async def get_assistant_schemas(assistant_id: str, svc: Services) -> dict[str, Any]:
    return schemas_json(svc.graph, svc.assistant_graph_id(assistant_id))


@router.get("/{assistant_id}/subgraphs")
@router.get("/{assistant_id}/subgraphs/{namespace}")
async def get_assistant_subgraphs(
    assistant_id: str,
    svc: Services,
    namespace: str | None = None,
    recurse: Annotated[bool, Query()] = False,
) -> dict[str, Any]:
    svc.assistant_graph_id(assistant_id)
    found: dict[str, Any] = {}
    async for name, subgraph in svc.graph.aget_subgraphs(namespace=namespace, recurse=recurse):
        found[name] = schemas_json(subgraph, name)  # type: ignore[arg-type]
    return found
