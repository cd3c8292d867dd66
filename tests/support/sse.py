"""Server-sent events read off the wire, `id:` lines included (the SDKs hide them)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx


@dataclass
class Sse:
    event: str
    data: Any
    id: str | None


async def sse_events(response: httpx.Response) -> AsyncIterator[Sse]:
    fields: dict[str, str] = {}
    async for line in response.aiter_lines():
        if not line:
            if "event" in fields or "data" in fields:
                data = json.loads(fields["data"]) if fields.get("data") else None
                yield Sse(fields.get("event", "message"), data, fields.get("id"))
            fields = {}
        elif not line.startswith(":"):
            name, _, value = line.partition(":")
            fields[name] = value[1:] if value.startswith(" ") else value
