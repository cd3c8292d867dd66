"""Limits at the edge: a request body bigger than the server takes is refused before it is read
whole, let alone parsed."""

from __future__ import annotations

import asyncio
import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

DRAIN_BYTES = 8 * 1024 * 1024
"""How much of a refused body is read and dropped after the 413 is sent. Most clients (httpx,
requests, the SDKs) write the whole body before they read the answer: a server that closes on
unread bytes resets the connection, and they see a network error instead of the 413."""

DRAIN_SECONDS = 5.0
"""How long a refused body is drained at most, so a slow sender cannot hold the connection."""


class BodyLimitMiddleware:
    """413 for a body over `max_bytes`: at once from `Content-Length`, or as soon as a chunked
    body passes the limit (nothing beyond it is buffered)."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None:
            try:
                too_big = int(declared) > self.max_bytes
            except ValueError:
                too_big = False
            if too_big:
                body_coming = headers.get(b"expect", b"").lower() != b"100-continue"
                drain = body_coming and int(declared) <= self.max_bytes + DRAIN_BYTES
                await self._refuse(send, receive if drain else None)
                return
        received = 0
        started = refused = False

        async def limited() -> Message:
            nonlocal received, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes and not started:
                    # Answer now; the app sees a client that went away and stops reading.
                    refused = True
                    more = bool(message.get("more_body"))
                    await self._refuse(send, receive if more else None)
                    return {"type": "http.disconnect"}
            return message

        async def tracking(message: Message) -> None:
            nonlocal started
            if refused:
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited, tracking)
        except Exception:
            if not refused:
                raise

    async def _refuse(self, send: Send, drain: Receive | None) -> None:
        """Send the 413 whole, then drop the rest of the body (`drain`, when given) before the
        answer is complete: the server would stop reading and close once it is."""
        body = json.dumps({"detail": f"request body larger than {self.max_bytes} bytes"}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body, "more_body": drain is not None})
        if drain is not None:
            await _drained(drain)
            await send({"type": "http.response.body", "body": b""})


async def _drained(receive: Receive) -> None:
    """Read and drop request body messages until the body ends, the client goes away, or the
    byte or time bound is reached."""
    dropped = 0
    try:
        async with asyncio.timeout(DRAIN_SECONDS):
            while dropped <= DRAIN_BYTES:
                message = await receive()
                if message["type"] != "http.request":
                    return
                dropped += len(message.get("body", b""))
                if not message.get("more_body"):
                    return
    except TimeoutError:
        return
