"""Who is calling: API keys (services and operators) and customer tokens, and what each may do.

Three kinds of caller, after LangGraph Platform's custom-auth model (one authenticated
identity per request, checked per resource):

- `customer`: a JWT the company's app signed (`Authorization: Bearer`, or `x-api-key` for
  clients whose only credential field is an API key, such as agent-chat-ui), `sub` = the
  customer id. The caller *is* that customer: it sees its own threads only and talks as itself.
- `service`: an API key of the company's backend, which vouches for the customer it names.
- `operator`: an API key of a person behind the product: sees every thread, resumes approvals
  and handoffs, edits state.

With no credential configured the server is open for local use and every caller is an
operator. A missing or invalid credential is 401; what a role may not do is 403.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from typing import Any, Literal

import jwt
from fastapi import HTTPException, Request

from api.http.schemas import RunCreate
from state.schema import CUSTOMER_ID
from state.settings import Settings

OPEN_OWNER = "local"
"""Owner of every thread when no credential is configured (the open local server)."""

Role = Literal["customer", "service", "operator"]
_CUSTOMER_SUB = re.compile(f"^{CUSTOMER_ID}$")
_HMAC_ALGORITHMS = ["HS256"]
_KEY_ALGORITHMS = ["RS256", "ES256"]
_JWT_SHAPE = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$")
"""A compact JWS: three base64url parts (header, claims, signature)."""


@dataclass(frozen=True)
class Caller:
    owner: str
    """Whose threads these are: a hash of the key, or of the customer id; never the secret."""
    role: Role = "operator"
    name: str = OPEN_OWNER
    """Display name: the key's configured name, or the customer id."""
    customer_id: str | None = None
    """The customer a `customer` caller is (its token's `sub`)."""

    @property
    def is_operator(self) -> bool:
        return self.role == "operator"

    @property
    def is_customer(self) -> bool:
        return self.role == "customer"

    def sees(self, owner: str) -> bool:
        """Whether a thread with this owner is visible to the caller (operators see all)."""
        return self.is_operator or owner == self.owner

    def actor(self) -> dict[str, str]:
        """Who this caller is, as the run's config carries it to the graph (audit, approvals)."""
        return {"name": self.name, "role": self.role, "owner": self.owner}


def owner_of(key: str) -> str:
    """A stable, non-reversible owner id for a key, so records never hold the key itself."""
    return hashlib.sha256(key.encode()).hexdigest()[:24]


def customer_owner(customer_id: str) -> str:
    """The owner id of a customer's own threads."""
    return owner_of(f"customer:{customer_id}")


@dataclass(frozen=True)
class _Key:
    secret: bytes
    role: Role
    name: str


class ApiKeyCheck:
    """FastAPI dependency: the caller identified by `x-api-key` or a bearer token, or 401."""

    def __init__(self, settings: Settings) -> None:
        self._keys = [
            _Key(
                k.key.get_secret_value().encode(),
                k.role,
                k.name or f"{k.role}-{owner_of(k.key.get_secret_value())[:8]}",
            )
            for k in settings.api_keys
        ]
        self._secret = settings.customer_jwt_secret
        self._public_key = settings.customer_jwt_public_key
        self._audience = settings.customer_jwt_audience
        self._open = settings.open_access

    @property
    def open(self) -> bool:
        return self._open

    def __call__(self, request: Request) -> Caller:
        if self._open:
            return Caller(OPEN_OWNER)
        given = request.headers.get("x-api-key")
        if given:
            return self._by_key(given)
        authorization = request.headers.get("authorization", "")
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() == "bearer" and token.strip():
            return self._by_token(token.strip())
        raise HTTPException(401, "missing credential: send x-api-key or Authorization: Bearer")

    def _by_key(self, given: str) -> Caller:
        """The key's caller; a customer token sent as the key (agent-chat-ui has no other
        credential field) is checked as a token when no configured key matches."""
        found: _Key | None = None
        for key in self._keys:  # compare against every key: timing says nothing about which
            if hmac.compare_digest(given.encode(), key.secret):
                found = key
        if found is None:
            if self.takes_tokens and _JWT_SHAPE.match(given):
                return self._by_token(given)
            raise HTTPException(401, "invalid API key")
        return Caller(owner_of(given), found.role, found.name)

    def _by_token(self, token: str) -> Caller:
        claims = self.decode(token)
        sub = claims.get("sub")
        if not isinstance(sub, str) or not _CUSTOMER_SUB.match(sub):
            raise HTTPException(401, "invalid token: sub must be a customer id")
        return Caller(customer_owner(sub), "customer", sub, sub)

    @property
    def takes_tokens(self) -> bool:
        """Whether a key is configured to verify customer tokens with."""
        return self._secret is not None or self._public_key is not None

    def decode(self, token: str) -> dict[str, Any]:
        """The verified claims of a customer token (signature, `exp`, `sub`), else 401."""
        if self._secret is None and self._public_key is None:
            raise HTTPException(401, "customer tokens are not accepted by this server")
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise HTTPException(401, "invalid token") from exc
        algorithm = header.get("alg")
        if algorithm in _HMAC_ALGORITHMS and self._secret is not None:
            key: str = self._secret.get_secret_value()
            allowed = _HMAC_ALGORITHMS
        elif algorithm in _KEY_ALGORITHMS and self._public_key is not None:
            key = self._public_key.get_secret_value()
            allowed = _KEY_ALGORITHMS
        else:
            raise HTTPException(401, f"invalid token: algorithm {algorithm!r} not accepted")
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=allowed,
                audience=self._audience,
                options={"require": ["exp", "sub"], "verify_aud": self._audience is not None},
            )
        except jwt.ExpiredSignatureError as exc:
            raise HTTPException(401, "token expired") from exc
        except jwt.PyJWTError as exc:
            raise HTTPException(401, f"invalid token: {exc}") from exc
        return claims


def forbid(caller: Caller, what: str) -> HTTPException:
    """The 403 for something the caller's role may not do."""
    return HTTPException(403, f"a {caller.role} may not {what}")


def authorize_run(caller: Caller, body: RunCreate) -> None:
    """What a run request may ask for, by role (403); operators may ask for anything."""
    if caller.is_operator:
        return
    command = body.command
    if caller.is_customer:
        if body.interrupt_before or body.interrupt_after:
            raise forbid(caller, "set interrupt_before or interrupt_after")
        if command is not None and command.goto is not None:
            raise forbid(caller, "send command.goto")
        if command is not None and command.update is not None:
            raise forbid(caller, "send command.update")
        given = (body.input or {}).get("customer_id")
        if given is not None and given != caller.customer_id:
            raise forbid(caller, "act for another customer")
    elif command is not None and _update_has_messages(command.update):
        raise forbid(caller, "write messages through command.update")


def _update_has_messages(update: dict[str, Any] | list[list[Any]] | None) -> bool:
    if isinstance(update, dict):
        return "messages" in update
    if isinstance(update, list):
        return any(isinstance(p, list) and p and p[0] == "messages" for p in update)
    return False


def authorize_state_update(caller: Caller, values: dict[str, Any] | None) -> None:
    """Only operators edit a conversation; a service may set fields, never messages."""
    if caller.is_customer:
        raise forbid(caller, "update a thread's state")
    if not caller.is_operator and values is not None and "messages" in values:
        raise forbid(caller, "write messages into a thread's state")
