"""What every console page shares: the session check, the form and CSRF check, and the
HTML and redirect responses with the console's security headers."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

from api.console.session import COOKIE, ConsoleSession, SessionStore, check_csrf
from api.http.services import ApiServices

STATIC = Path(__file__).parent / "static"
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def mount_static(app: Any) -> None:
    app.mount("/console/static", StaticFiles(directory=STATIC), name="console-static")


def services(request: Request) -> ApiServices:
    found: ApiServices = request.app.state.services
    return found


def store(request: Request) -> SessionStore:
    svc = services(request)
    return SessionStore(svc.app.redis, svc.settings.key_prefix)


class SignInRequired(Exception):
    """No session: the page answers with a redirect to the sign-in page."""


async def session_of(request: Request) -> ConsoleSession:
    session = await store(request).get(request.cookies.get(COOKIE))
    if session is None:
        raise SignInRequired
    return session


def html(body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(body, status_code=status, headers=SECURITY_HEADERS)


def back(path: str, error: str | None = None) -> RedirectResponse:
    target = f"{path}?{urlencode({'error': error})}" if error else path
    return RedirectResponse(target, status_code=303, headers=SECURITY_HEADERS)


async def form_of(request: Request) -> dict[str, str]:
    body = (await request.body()).decode("utf-8", errors="replace")
    return {k: v[0] for k, v in parse_qs(body, keep_blank_values=True).items()}


async def posted(request: Request) -> tuple[ConsoleSession, dict[str, str]]:
    session = await session_of(request)
    form = await form_of(request)
    check_csrf(request, session, form.get("csrf"))
    return session, form
