"""`GET /metrics`: Prometheus' text format, the same totals from every server on one Redis."""

from __future__ import annotations

from fastapi import APIRouter, Response
from prometheus_client import CONTENT_TYPE_LATEST

from api.http.deps import Authed, Services
from api.http.operators import require_operator
from api.observability.metrics import exposition
from api.observability.queue_metrics import QueueCollector, read_queue

router = APIRouter(tags=["metrics"])


@router.get("/metrics", response_class=Response)
async def get_metrics(who: Authed, svc: Services) -> Response:
    """Turns by status and route, turn latency, guardrail blocks, model fallbacks, decisions
    waiting on an operator and their age, the run queue, the task queue's depth, live workers
    and job outcomes (operators only)."""
    require_operator(who, "read the metrics")
    queue = await read_queue(svc.app.tasks, svc.app.jobs)
    body = exposition(await svc.metrics.snapshot(), QueueCollector(queue))
    return Response(body, media_type=CONTENT_TYPE_LATEST)
