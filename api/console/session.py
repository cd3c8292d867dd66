"""Console sessions: an operator key (or none, in open local mode) buys a session id, held in
an HttpOnly, SameSite=Strict cookie; every form carries the session's CSRF token.

The session lives in Redis (any server process answers for it) and holds who the operator is,
never the key. A form POST is accepted only with the session's token and, when the browser
sends one, an `Origin` of this server.
"""

from __future__ import annotations

import hmac
import json
import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit

from fastapi import HTTPException, Request
from redis.asyncio import Redis
from starlette.datastructures import Headers

from api.http.security import ApiKeyCheck, Caller
from state.redis_text import text

COOKIE = "sg_console"
SESSION_SECONDS = 8 * 3600


@dataclass(frozen=True)
class ConsoleSession:
    session_id: str
    caller: Caller
    csrf: str


def operator_for_key(check: ApiKeyCheck, key: str) -> Caller:
    """The operator an operator key names (any key, or none, in open local mode); else 401/403."""
    headers = [(b"x-api-key", key.encode())] if key else []
    caller = check(Request({"type": "http", "headers": headers}))
    if not caller.is_operator:
        raise HTTPException(403, "only operators sign in to the console")
    return caller


class SessionStore:
    def __init__(self, redis: Redis, prefix: str) -> None:
        self.redis = redis
        self.prefix = f"{prefix}:console:session"

    def _key(self, session_id: str) -> str:
        return f"{self.prefix}:{session_id}"

    async def start(self, caller: Caller) -> ConsoleSession:
        session = ConsoleSession(secrets.token_urlsafe(32), caller, secrets.token_urlsafe(32))
        doc = {
            "owner": caller.owner,
            "role": caller.role,
            "name": caller.name,
            "customer_id": caller.customer_id,
            "csrf": session.csrf,
        }
        await self.redis.set(self._key(session.session_id), json.dumps(doc), ex=SESSION_SECONDS)
        return session

    async def get(self, session_id: str | None) -> ConsoleSession | None:
        if not session_id or len(session_id) > 100:
            return None
        raw = await self.redis.get(self._key(session_id))
        if raw is None:
            return None
        doc = json.loads(text(raw))
        caller = Caller(doc["owner"], doc["role"], doc["name"], doc.get("customer_id"))
        return ConsoleSession(session_id, caller, doc["csrf"])

    async def end(self, session_id: str) -> None:
        await self.redis.delete(self._key(session_id))


def check_csrf(request: Request, session: ConsoleSession, token: str | None) -> None:
    """403 unless the form carries the session's token and comes from this server's pages."""
    if not token or not hmac.compare_digest(token, session.csrf):
        raise HTTPException(403, "missing or invalid CSRF token: reload the page")
    origin = Headers(scope=request.scope).get("origin")
    if origin and urlsplit(origin).netloc != request.headers.get("host"):
        raise HTTPException(403, "cross-site form refused")
