"""What browsers and their proxies need from the API: CORS, and JSON whatever the content type.

agent-chat-ui, Studio and `useStream` call the server from a page on another origin; the
SDK's requests carry `x-api-key` or `authorization`, and a reconnecting stream `last-event-id`.
agent-chat-ui's own API passthrough forwards bodies as `text/plain`: LangGraph's server parses
them as JSON all the same, and so does this one.
"""

from __future__ import annotations

from typing import Any

from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from state.settings import Settings

LOCAL_ORIGINS = r"^https?://(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$"
"""Origins allowed when `SUPPORTGRAPH_CORS_ORIGINS` is unset: pages served from this machine."""

EXPOSED_HEADERS = ["Content-Location", "Location"]
"""Where a run lives: the SDK reads them to join or resume a run's stream."""

_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
_KEPT_TYPES = (b"application/json", b"multipart/", b"application/x-www-form-urlencoded")


def cors_options(settings: Settings) -> dict[str, Any]:
    """The CORS middleware's settings: the configured origins, or local development ones."""
    origins = settings.cors_origins
    allow: dict[str, Any] = (
        {"allow_origin_regex": LOCAL_ORIGINS} if origins is None else {"allow_origins": origins}
    )
    return {
        **allow,
        "allow_methods": ["*"],
        "allow_headers": ["*"],
        "expose_headers": EXPOSED_HEADERS,
        "allow_credentials": origins != ["*"],
        "max_age": 600,
    }


def add_browser_support(app: Any, settings: Settings) -> None:
    """CORS outermost (a preflight never reaches a route), then JSON bodies."""
    app.add_middleware(JsonBodyMiddleware)
    app.add_middleware(CORSMiddleware, **cors_options(settings))


class JsonBodyMiddleware:
    """A request body without a JSON content type (`text/plain`, none at all) is read as JSON."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in _BODY_METHODS:
            headers = [(k, v) for k, v in scope["headers"] if k != b"content-type"]
            given = next((v for k, v in scope["headers"] if k == b"content-type"), b"")
            if not given.lower().startswith(_KEPT_TYPES) and b"json" not in given.lower():
                scope = {**scope, "headers": [*headers, (b"content-type", b"application/json")]}
        await self.app(scope, receive, send)
