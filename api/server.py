"""The FastAPI application: the LangGraph Platform API subset over the support graph."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from redis.exceptions import BusyLoadingError, ConnectionError, TimeoutError

from api.routes import assistants, runs, state, system, threads
from api.security import ApiKeyCheck
from api.services import open_services
from state.settings import Settings, get_settings

log = logging.getLogger("supportgraph.api")
RETRY_AFTER_SECONDS = 1


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app; state (Redis, graph, worker loop) opens in the lifespan, not here."""
    settings = settings or get_settings()
    key_check = ApiKeyCheck(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if key_check.open:
            log.warning("no API keys configured: the server is open for local use")
        async with open_services(settings) as svc:
            app.state.services = svc
            yield

    app = FastAPI(
        title="supportgraph",
        summary="Customer-support agent over the LangGraph Platform API",
        lifespan=lifespan,
    )
    app.state.key_check = key_check
    for module in (system, assistants, threads, state, runs):
        app.include_router(module.router)
    app.add_exception_handler(ConnectionError, _redis_unavailable)
    app.add_exception_handler(TimeoutError, _redis_unavailable)
    app.add_exception_handler(BusyLoadingError, _redis_unavailable)
    return app


async def _redis_unavailable(request: Request, exc: Exception) -> JSONResponse:
    """Redis is down or restarting: tell the client to come back instead of failing."""
    log.warning("%s %s: Redis unavailable: %s", request.method, request.url.path, exc)
    return JSONResponse(
        {"detail": "storage temporarily unavailable, retry shortly"},
        status_code=503,
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )
