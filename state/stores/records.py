"""Tickets and committed actions: written once per idempotency key, whoever retries.

The record's id is derived from its idempotency key and the write is a single `JSON.SET ... NX`,
so a retried tool call, a resumed node, or a crash between two writes can never produce a
second ticket or a second refund for the same request.
"""

from __future__ import annotations

import asyncio
import hashlib
from datetime import UTC, datetime
from typing import Any, Protocol

import redis.asyncio as aioredis
from pydantic import BaseModel, Field

from state.schema import Priority, TicketCategory


class Ticket(BaseModel):
    ticket_id: str
    customer_id: str | None
    category: TicketCategory
    priority: Priority
    summary: str
    message: str
    thread_id: str | None
    contact_customer_id: str | None = None
    """An account matching a contact the anonymous writer typed: unverified, for a person."""
    status: str = "open"
    created_at: str = Field(default_factory=lambda: datetime.now(UTC).isoformat())


class CommittedAction(BaseModel):
    action_id: str
    action: str
    arguments: dict[str, Any]
    customer_id: str | None
    thread_id: str | None
    approved_by: str = "operator"
    committed_at: str = Field(default_factory=lambda: datetime.now(UTC).isoformat())


def record_id(prefix: str, idempotency_key: str) -> str:
    digest = hashlib.sha256(idempotency_key.encode()).hexdigest()[:10].upper()
    return f"{prefix}-{digest}"


class RecordStore(Protocol):
    """Where tickets and committed actions are kept."""

    async def create_ticket_once(self, ticket: Ticket) -> tuple[Ticket, bool]: ...
    async def get_ticket(self, ticket_id: str) -> Ticket | None: ...
    async def commit_action_once(self, action: CommittedAction) -> tuple[CommittedAction, bool]: ...
    async def get_action(self, action_id: str) -> CommittedAction | None: ...
    async def list_actions(self) -> list[CommittedAction]: ...
    async def list_tickets(self) -> list[Ticket]: ...


class MemoryRecordStore:
    """In-process records, for unit tests and single-process experiments."""

    def __init__(self) -> None:
        self._tickets: dict[str, Ticket] = {}
        self._actions: dict[str, CommittedAction] = {}
        self._lock = asyncio.Lock()

    async def create_ticket_once(self, ticket: Ticket) -> tuple[Ticket, bool]:
        async with self._lock:
            existing = self._tickets.get(ticket.ticket_id)
            if existing is not None:
                return existing, False
            self._tickets[ticket.ticket_id] = ticket
            return ticket, True

    async def get_ticket(self, ticket_id: str) -> Ticket | None:
        return self._tickets.get(ticket_id)

    async def commit_action_once(self, action: CommittedAction) -> tuple[CommittedAction, bool]:
        async with self._lock:
            existing = self._actions.get(action.action_id)
            if existing is not None:
                return existing, False
            self._actions[action.action_id] = action
            return action, True

    async def get_action(self, action_id: str) -> CommittedAction | None:
        return self._actions.get(action_id)

    async def list_actions(self) -> list[CommittedAction]:
        return list(self._actions.values())

    async def list_tickets(self) -> list[Ticket]:
        return list(self._tickets.values())


class RedisRecordStore:
    """Records as RedisJSON documents under `<prefix>:ticket:` and `<prefix>:action:`."""

    def __init__(self, client: aioredis.Redis, prefix: str = "sg") -> None:
        self._client = client
        self._prefix = prefix

    def _key(self, kind: str, record: str) -> str:
        return f"{self._prefix}:{kind}:{record}"

    async def _set_once(self, key: str, doc: BaseModel) -> bool:
        created = await self._client.json().set(key, "$", doc.model_dump(mode="json"), nx=True)
        return bool(created)

    async def _get(self, key: str) -> Any:
        return await self._client.json().get(key)

    async def create_ticket_once(self, ticket: Ticket) -> tuple[Ticket, bool]:
        key = self._key("ticket", ticket.ticket_id)
        if await self._set_once(key, ticket):
            return ticket, True
        existing = await self.get_ticket(ticket.ticket_id)
        return (existing or ticket), False

    async def get_ticket(self, ticket_id: str) -> Ticket | None:
        raw = await self._get(self._key("ticket", ticket_id))
        return Ticket.model_validate(raw) if raw else None

    async def commit_action_once(self, action: CommittedAction) -> tuple[CommittedAction, bool]:
        key = self._key("action", action.action_id)
        if await self._set_once(key, action):
            return action, True
        existing = await self.get_action(action.action_id)
        return (existing or action), False

    async def get_action(self, action_id: str) -> CommittedAction | None:
        raw = await self._get(self._key("action", action_id))
        return CommittedAction.model_validate(raw) if raw else None

    async def _scan(self, kind: str) -> list[Any]:
        docs = []
        async for key in self._client.scan_iter(match=self._key(kind, "*"), count=500):
            raw = await self._client.json().get(key)
            if raw:
                docs.append(raw)
        return docs

    async def list_actions(self) -> list[CommittedAction]:
        return [CommittedAction.model_validate(d) for d in await self._scan("action")]

    async def list_tickets(self) -> list[Ticket]:
        return [Ticket.model_validate(d) for d in await self._scan("ticket")]
