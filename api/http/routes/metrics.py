"""`GET /metrics`: Prometheus' text format, the same totals from every server on one Redis."""

from __future__ import annotations

from fastapi import APIRouter, Response
from prometheus_client import CONTENT_TYPE_LATEST

from api.http.deps import Authed, Services
from api.http.operators import require_operator
from api.observability.metrics import exposition

router = APIRouter(tags=["metrics"])


@router.get("/metrics", response_class=Response)
async def get_metrics(who: Authed, svc: Services) -> Response:
    """Turns by status and route, turn latency, guardrail blocks, model fallbacks, decisions
    waiting on an operator and their age, the run queue (operators only)."""
    require_operator(who, "read the metrics")
    body = exposition(await svc.metrics.snapshot())
    return Response(body, media_type=CONTENT_TYPE_LATEST)
