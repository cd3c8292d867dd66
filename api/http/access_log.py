"""One structured line per request: what was asked, how it ended, how long it took.

Each line is a JSON object on the `supportgraph.access` logger: method, path, status,
duration_ms, the run it concerns (from the path or the `Content-Location` the response names)
and, for a 4xx, the reason the client was given, so a refused request is visible from the
server's side too.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("supportgraph.access")
_RUN = re.compile(r"/runs/([0-9a-fA-F-]{36})")
_REASON_BYTES = 2048


def enable_access_log() -> None:
    """Access lines go to stdout at INFO, whatever level the server logs the rest at."""
    if not log.handlers:
        handler = logging.StreamHandler(sys.stdout)
        handler.setFormatter(logging.Formatter("%(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False


def access_record(
    scope: Scope, status: int, started: float, headers: dict[str, str], body: bytes
) -> dict[str, Any]:
    """The line for one finished request."""
    path = scope.get("path", "")
    record: dict[str, Any] = {
        "method": scope.get("method"),
        "path": path,
        "status": status,
        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
    }
    run = _RUN.search(path) or _RUN.search(headers.get("content-location", ""))
    if run:
        record["run_id"] = run.group(1)
    if 400 <= status < 500:
        record["reason"] = _reason(body)
    return record


def _reason(body: bytes) -> Any:
    try:
        detail = json.loads(body).get("detail")
    except (ValueError, AttributeError):
        return body[:300].decode(errors="replace")
    if isinstance(detail, list):  # FastAPI's validation errors: where, and what
        return [
            {"loc": ".".join(str(p) for p in d.get("loc", [])), "msg": d.get("msg")}
            for d in detail[:5]
            if isinstance(d, dict)
        ]
    return detail


class AccessLogMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        seen: dict[str, Any] = {"status": 500, "headers": {}, "body": b"", "logged": False}

        async def recording(message: Message) -> None:
            if message["type"] == "http.response.start":
                seen["status"] = message["status"]
                seen["headers"] = {
                    k.decode().lower(): v.decode(errors="replace")
                    for k, v in message.get("headers", [])
                }
            elif message["type"] == "http.response.body":
                if 400 <= seen["status"] < 500 and len(seen["body"]) < _REASON_BYTES:
                    seen["body"] += message.get("body", b"")[:_REASON_BYTES]
                if not message.get("more_body"):
                    _write(seen)
            await send(message)

        def _write(state: dict[str, Any]) -> None:
            if not state["logged"]:
                state["logged"] = True
                line = access_record(
                    scope, state["status"], started, state["headers"], state["body"]
                )
                log.info(json.dumps(line))

        try:
            await self.app(scope, receive, recording)
        finally:
            _write(seen)  # a stream cut off by its client, or a crash before any answer
