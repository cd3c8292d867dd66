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

from state.redis_text import text
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


class RefundLimit(BaseModel):
    """What a refund may take, counted per customer across every thread when it commits: a
    charge (invoice line) is refunded at most once, and refunds never add up to more than the
    invoice, nor to more than the customer was charged in all."""

    invoice_id: str | None
    """None when the refund names no invoice: only the customer-wide total applies."""
    line_item: str | None
    amount_cents: int = Field(gt=0)
    invoice_cents: int = Field(ge=0)
    charged_cents: int = Field(ge=0)
    """Everything the customer was charged, over all invoices."""


class LimitExceeded(Exception):
    """The commit would break a `RefundLimit`; nothing was written. The message says why."""


class CommittedAction(BaseModel):
    action_id: str
    action: str
    arguments: dict[str, Any]
    customer_id: str | None
    thread_id: str | None
    approved_by: str = "operator"
    committed_at: str = Field(default_factory=lambda: datetime.now(UTC).isoformat())
    limit: RefundLimit | None = None
    """Checked, with the customer's earlier refunds, in the same step as the write."""


def _limit_refusal(outcome: str, limit: RefundLimit, total_cents: int) -> str:
    if outcome == "line":
        return f"the charge '{limit.line_item}' on {limit.invoice_id} was already refunded"
    ceiling = limit.invoice_cents if outcome == "invoice" else limit.charged_cents
    where = f"invoice {limit.invoice_id}" if outcome == "invoice" else "the account"
    return (
        f"${limit.amount_cents / 100:.2f} more would take refunds on {where} to "
        f"${(total_cents + limit.amount_cents) / 100:.2f}, above the ${ceiling / 100:.2f} charged"
    )


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
        self._refunds: dict[str, int] = {}
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
            if action.limit is not None:
                self._take(action.customer_id or "-", action.limit, action.action_id)
            self._actions[action.action_id] = action
            return action, True

    def forget_refunds(self) -> None:
        """Start the refund ledger afresh (tests that share one store across unrelated worlds)."""
        self._refunds.clear()

    def _take(self, customer: str, limit: RefundLimit, action_id: str) -> None:
        line = f"{customer}|{limit.invoice_id}|line|{limit.line_item}"
        invoice = f"{customer}|{limit.invoice_id}|total"
        account = f"{customer}|*|total"
        if limit.line_item and line in self._refunds:
            raise LimitExceeded(_limit_refusal("line", limit, 0))
        if limit.invoice_id is not None:
            spent = self._refunds.get(invoice, 0)
            if spent + limit.amount_cents > limit.invoice_cents:
                raise LimitExceeded(_limit_refusal("invoice", limit, spent))
        spent = self._refunds.get(account, 0)
        if spent + limit.amount_cents > limit.charged_cents:
            raise LimitExceeded(_limit_refusal("account", limit, spent))
        if limit.line_item:
            self._refunds[line] = 1
        if limit.invoice_id is not None:
            self._refunds[invoice] = self._refunds.get(invoice, 0) + limit.amount_cents
        self._refunds[account] = spent + limit.amount_cents

    async def get_action(self, action_id: str) -> CommittedAction | None:
        return self._actions.get(action_id)

    async def list_actions(self) -> list[CommittedAction]:
        return list(self._actions.values())

    async def list_tickets(self) -> list[Ticket]:
        return list(self._tickets.values())


_COMMIT_LIMITED = """
-- KEYS: action, invoice refunds (hash), account refunds (hash)
-- ARGV: doc, line field ('' for none), amount, invoice ceiling, account ceiling, action id,
--       invoice known ('1'/'0')
-- One script: two threads (or two forks) committing refunds at once cannot both pass a limit.
if redis.call('EXISTS', KEYS[1]) == 1 then return {'exists', '0'} end
local amount = tonumber(ARGV[3])
if ARGV[2] ~= '' and redis.call('HEXISTS', KEYS[2], ARGV[2]) == 1 then return {'line', '0'} end
if ARGV[7] == '1' then
  local spent = tonumber(redis.call('HGET', KEYS[2], 'total') or '0')
  if spent + amount > tonumber(ARGV[4]) then return {'invoice', tostring(spent)} end
end
local spent = tonumber(redis.call('HGET', KEYS[3], 'total') or '0')
if spent + amount > tonumber(ARGV[5]) then return {'account', tostring(spent)} end
redis.call('JSON.SET', KEYS[1], '$', ARGV[1], 'NX')
if ARGV[2] ~= '' then redis.call('HSET', KEYS[2], ARGV[2], ARGV[6]) end
if ARGV[7] == '1' then redis.call('HINCRBY', KEYS[2], 'total', amount) end
redis.call('HINCRBY', KEYS[3], 'total', amount)
return {'ok', '0'}
"""


class RedisRecordStore:
    """Records as RedisJSON documents under `<prefix>:ticket:` and `<prefix>:action:`; the
    refunds a customer has received, per invoice and in all, as hashes under `<prefix>:refunds:`.
    """

    def __init__(self, client: aioredis.Redis, prefix: str = "sg") -> None:
        self._client = client
        self._prefix = prefix
        self._commit_limited = client.register_script(_COMMIT_LIMITED)

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
        if action.limit is not None:
            return await self._commit_within(key, action, action.limit)
        if await self._set_once(key, action):
            return action, True
        existing = await self.get_action(action.action_id)
        return (existing or action), False

    async def _commit_within(
        self, key: str, action: CommittedAction, limit: RefundLimit
    ) -> tuple[CommittedAction, bool]:
        customer = action.customer_id or "-"
        invoice = limit.invoice_id or "*"
        outcome, spent = await self._commit_limited(
            keys=[
                key,
                self._key("refunds", f"{customer}:{invoice}"),
                self._key("refunds", f"{customer}:*"),
            ],
            args=[
                action.model_dump_json(),
                f"line:{limit.line_item}" if limit.line_item and limit.invoice_id else "",
                limit.amount_cents,
                limit.invoice_cents,
                limit.charged_cents,
                action.action_id,
                "1" if limit.invoice_id else "0",
            ],
        )
        outcome = text(outcome)
        if outcome == "ok":
            return action, True
        if outcome == "exists":
            existing = await self.get_action(action.action_id)
            return (existing or action), False
        raise LimitExceeded(_limit_refusal(outcome, limit, int(text(spent))))

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
