"""The FastAPI application: the LangGraph Platform API subset over the support graph."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.http.routes import assistants, jobs, runs, state, system, threads
from api.http.security import ApiKeyCheck
from api.http.services import open_services
from api.runs.outage import RETRY_AFTER_SECONDS, UNAVAILABLE, storage_unavailable
from state.settings import Settings, get_settings

log = logging.getLogger("supportgraph.api")


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
    for module in (system, assistants, threads, state, runs, jobs):
        app.include_router(module.router)
    for error in UNAVAILABLE:
        app.add_exception_handler(error, _redis_unavailable)
    app.add_middleware(StorageOutageMiddleware)
    return app


def _unavailable_response() -> JSONResponse:
    return JSONResponse(
        {"detail": "storage temporarily unavailable, retry shortly"},
        status_code=503,
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


async def _redis_unavailable(request: Request, exc: Exception) -> JSONResponse:
    """Redis is down or restarting: tell the client to come back instead of failing."""
    log.warning("%s %s: Redis unavailable: %s", request.method, request.url.path, exc)
    return _unavailable_response()


class StorageOutageMiddleware:
    """The same 503 for a Redis outage that reaches us wrapped (by redisvl, LangGraph, a task
    group) or from inside a streaming body; a stream already under way is ended cleanly."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        sent = {"start": False, "end": False}

        async def tracking(message: Message) -> None:
            if message["type"] == "http.response.start":
                sent["start"] = True
            elif message["type"] == "http.response.body" and not message.get("more_body"):
                sent["end"] = True
            await send(message)

        try:
            await self.app(scope, receive, tracking)
        except Exception as exc:
            if not storage_unavailable(exc):
                raise
            log.warning("%s %s: Redis unavailable: %r", scope["method"], scope["path"], exc)
            if not sent["start"]:
                await _unavailable_response()(scope, receive, send)
            elif not sent["end"]:
                await send({"type": "http.response.body", "body": b"", "more_body": False})
