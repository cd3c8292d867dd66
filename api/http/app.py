"""The FastAPI application: the LangGraph Platform API subset over the support graph."""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.console import install_console
from api.http.access_log import AccessLogMiddleware, enable_access_log
from api.http.browser import add_browser_support
from api.http.limits import BodyLimitMiddleware
from api.http.routes import (
    assistants,
    audit,
    inbox,
    jobs,
    metrics,
    runs,
    state,
    switches,
    system,
    takeover,
    threads,
)
from api.http.security import ApiKeyCheck
from api.http.services import open_services
from api.http.timeouts import reject_overdue_approvals
from api.runs.outage import RETRY_AFTER_SECONDS, UNAVAILABLE, storage_full, storage_unavailable
from api.runs.worker import SWEEP_SECONDS
from state.settings import Settings, get_settings

log = logging.getLogger("supportgraph.api")


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app; state (Redis, graph, worker loop) opens in the lifespan, not here."""
    settings = settings or get_settings()
    key_check = ApiKeyCheck(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if key_check.open and not os.environ.get("SUPPORTGRAPH_STARTUP_NOTICES_SHOWN"):
            log.warning(
                "no credentials configured: the server is open for local use "
                "and every caller is an operator"
            )
        async with open_services(settings) as svc:
            app.state.services = svc

            async def approval_timeouts() -> None:
                await reject_overdue_approvals(svc)

            svc.worker.every(SWEEP_SECONDS, approval_timeouts, "approval-timeouts")
            yield

    app = FastAPI(
        title="supportgraph",
        summary="Customer-support agent over the LangGraph Platform API",
        lifespan=lifespan,
    )
    app.state.key_check = key_check
    for module in (
        system,
        assistants,
        threads,
        state,
        runs,
        jobs,
        audit,
        switches,
        takeover,
        inbox,
        metrics,
    ):
        app.include_router(module.router)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    install_console(app)
    for error in UNAVAILABLE:
        app.add_exception_handler(error, _redis_unavailable)
    app.add_middleware(StorageOutageMiddleware)
    # Added innermost first: the access log sees every answer, CORS headers reach a 413 too.
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    add_browser_support(app, settings)
    app.add_middleware(AccessLogMiddleware)
    enable_access_log()
    return app


async def _invalid_request(request: Request, exc: Exception) -> JSONResponse:
    """422 naming the fields at fault, without echoing the input back: the input may be huge,
    or not even valid text (a lone surrogate cannot be encoded into a response)."""
    errors = exc.errors() if isinstance(exc, RequestValidationError) else []
    detail = [
        {
            "loc": [_printable(p) for p in error.get("loc", ())],
            "msg": _printable(error.get("msg", "")),
            "type": error.get("type", "value_error"),
        }
        for error in errors
    ]
    return JSONResponse({"detail": detail}, status_code=422)


def _printable(value: object) -> object:
    if isinstance(value, str):
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    return value


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
            if not (storage_unavailable(exc) or storage_full(exc)):
                raise
            log.warning("%s %s: Redis unavailable: %r", scope["method"], scope["path"], exc)
            if not sent["start"]:
                await _unavailable_response()(scope, receive, send)
            elif not sent["end"]:
                await send({"type": "http.response.body", "body": b"", "more_body": False})
