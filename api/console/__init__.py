"""The operator console: server-rendered pages at /console over the same services as the API."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response

from api.console.routes import router
from api.console.thread_routes import router as thread_router
from api.console.web import SignInRequired, mount_static


async def _sign_in_first(request: Request, exc: Exception) -> Response:
    if request.url.path.startswith(
        ("/console/events", "/console/inbox/rows", "/console/metrics/series")
    ):
        return Response("sign in first", status_code=401)
    return RedirectResponse("/console/sign-in", status_code=303)


def install_console(app: FastAPI) -> None:
    app.include_router(router)
    app.include_router(thread_router)
    mount_static(app)
    app.add_exception_handler(SignInRequired, _sign_in_first)
