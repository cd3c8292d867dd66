"""Tickets and committed actions: one record per idempotency key, however often it is written."""

from __future__ import annotations

import asyncio

import pytest
from langchain_core.messages import HumanMessage

from nodes.create_ticket import make_create_ticket
from state.schema import SupportState, TurnStatus
from state.stores.records import (
    CommittedAction,
    LimitExceeded,
    MemoryRecordStore,
    RefundLimit,
    Ticket,
    record_id,
)


def _ticket(key: str, summary: str = "fiber drops hourly") -> Ticket:
    return Ticket(
        ticket_id=record_id("TKT", key),
        customer_id="C-1001",
        category="technical",
        priority="medium",
        summary=summary,
        message="My fiber drops every hour.",
        thread_id="thread-1",
    )


def _action(key: str, amount: float = 10.0) -> CommittedAction:
    return CommittedAction(
        action_id=record_id("ACT", key),
        action="request_refund",
        arguments={"amount": amount, "invoice_id": "INV-1006-250608"},
        customer_id="C-1006",
        thread_id="thread-1",
    )


def test_record_ids_are_stable_per_key_and_distinct_across_keys() -> None:
    assert record_id("TKT", "t:1") == record_id("TKT", "t:1")
    assert record_id("TKT", "t:1") != record_id("TKT", "t:2")
    assert record_id("TKT", "t:1").startswith("TKT-")


async def test_a_ticket_is_created_once_per_key() -> None:
    store = MemoryRecordStore()

    first, created = await store.create_ticket_once(_ticket("thread-1:turn-1"))
    again, created_again = await store.create_ticket_once(
        _ticket("thread-1:turn-1", summary="a retry with other words")
    )

    assert created
    assert not created_again
    assert again == first
    assert again.summary == "fiber drops hourly"
    assert await store.list_tickets() == [first]
    assert await store.get_ticket(first.ticket_id) == first


async def test_tickets_with_different_keys_are_both_kept() -> None:
    store = MemoryRecordStore()

    await store.create_ticket_once(_ticket("thread-1:turn-1"))
    await store.create_ticket_once(_ticket("thread-1:turn-2"))

    assert len(await store.list_tickets()) == 2


async def test_an_action_is_committed_once_per_key() -> None:
    store = MemoryRecordStore()

    first, committed = await store.commit_action_once(_action("t:turn:request_refund:call_1"))
    again, committed_again = await store.commit_action_once(
        _action("t:turn:request_refund:call_1", amount=999.0)
    )

    assert committed
    assert not committed_again
    assert again == first
    assert again.arguments["amount"] == 10.0
    assert await store.list_actions() == [first]
    assert await store.get_action(first.action_id) == first


async def test_concurrent_commits_of_one_action_write_it_once() -> None:
    store = MemoryRecordStore()

    results = await asyncio.gather(
        *(store.commit_action_once(_action("t:turn:refund:call_1")) for _ in range(20))
    )

    assert sum(created for _, created in results) == 1
    assert len({action.action_id for action, _ in results}) == 1
    assert len(await store.list_actions()) == 1


async def test_the_create_ticket_node_opens_one_ticket_per_turn_however_often_it_runs() -> None:
    store = MemoryRecordStore()
    create_ticket = make_create_ticket(store)
    config = {"configurable": {"thread_id": "thread-7"}}
    state = SupportState(
        messages=[HumanMessage("The router's lights are all red.", id="turn-1")],
        customer_id="C-1001",
        category="technical",
        priority="high",
        ticket_summary="router lights red",
        turn_id="turn-1",
    )

    first = await create_ticket(state, config)
    second = await create_ticket(state, config)
    next_turn = await create_ticket(state.model_copy(update={"turn_id": "turn-2"}), config)

    assert first["status"] == TurnStatus.TICKET_CREATED
    assert first["ticket_id"] == second["ticket_id"]
    assert next_turn["ticket_id"] != first["ticket_id"]
    tickets = {t.ticket_id: t for t in await store.list_tickets()}
    assert set(tickets) == {first["ticket_id"], next_turn["ticket_id"]}
    assert tickets[first["ticket_id"]].thread_id == "thread-7"
    assert tickets[first["ticket_id"]].priority == "high"


def _refund(key: str, amount: float, line: str | None = "Late fee") -> CommittedAction:
    return _action(key, amount).model_copy(
        update={
            "limit": RefundLimit(
                invoice_id="INV-1006-250608",
                line_item=line,
                amount_cents=round(amount * 100),
                invoice_cents=5810,
                charged_cents=10620,
            )
        }
    )


async def test_a_charge_is_refunded_once_whatever_the_thread() -> None:
    store = MemoryRecordStore()
    await store.commit_action_once(_refund("thread-1:turn:refund:call_1", 10.0))
    with pytest.raises(LimitExceeded, match="already refunded"):
        await store.commit_action_once(_refund("thread-2:turn:refund:call_1", 10.0))
    # The same request retried is the same record, not a second refund.
    _, again = await store.commit_action_once(_refund("thread-1:turn:refund:call_1", 10.0))
    assert not again


async def test_refunds_never_add_up_to_more_than_the_invoice() -> None:
    store = MemoryRecordStore()
    await store.commit_action_once(_refund("t1", 40.0, line=None))
    with pytest.raises(LimitExceeded, match=r"above the \$58\.10 charged"):
        await store.commit_action_once(_refund("t2", 20.0, line=None))
    await store.commit_action_once(_refund("t3", 18.0, line=None))
    assert len(await store.list_actions()) == 2
