"""API keys and thread ownership: a key sees only the threads it created."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from fastapi import HTTPException, Request

from state.settings import Settings

OPEN_OWNER = "local"
"""Owner of every thread when no key is configured (the open local server)."""


@dataclass(frozen=True)
class Caller:
    owner: str


def owner_of(key: str) -> str:
    """A stable, non-reversible owner id for a key, so records never hold the key itself."""
    return hashlib.sha256(key.encode()).hexdigest()[:24]


class ApiKeyCheck:
    """FastAPI dependency: the caller identified by `x-api-key`, or 401."""

    def __init__(self, settings: Settings) -> None:
        self._keys = [k.get_secret_value().encode() for k in settings.api_keys]

    @property
    def open(self) -> bool:
        return not self._keys

    def __call__(self, request: Request) -> Caller:
        if self.open:
            return Caller(OPEN_OWNER)
        given = request.headers.get("x-api-key")
        if not given:
            raise HTTPException(401, "missing x-api-key header")
        for key in self._keys:
            if hmac.compare_digest(given.encode(), key):
                return Caller(owner_of(given))
        raise HTTPException(401, "invalid API key")
