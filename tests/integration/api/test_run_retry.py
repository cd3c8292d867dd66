"""A run retried after its process died goes on from where its first attempt stopped.

Each test plays the first attempt as far as a process got before it was killed (the graph ran,
nothing recorded how the run ended), hands the run to a live worker as the worker sweep does
(`RunStore.adopt`), and lets that worker's executor retry it, on the support graph (offline
backend) and the test's own Redis. The retry must neither apply the message or the decision a
second time nor drop it.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from langchain_core.messages import HumanMessage, ToolMessage

from api.bootstrap import SupportApp, open_support_app
from api.runs.executor import RunExecutor
from api.runs.graph_stream import run_config, stream_graph, thread_config
from api.runs.keys import ApiKeys
from api.runs.outcome import RunOutcome
from api.runs.queue import RunStore
from api.runs.records import RunKwargs, RunRecord
from api.runs.run_start import after_waiting_approval, start_payload
from api.runs.threads import ThreadStore
from api.turns import approvals_waiting
from state.checkpoint.handoff import handing
from state.settings import Settings
from tests.support.checkpoints import DiesAfter
from tests.support.messages import APPROVE, FAQ, PLAN_CHANGE, user
from tests.support.runs import run_record

DEAD, LIVE = "worker-killed", "worker-live"


@dataclass
class World:
    app: SupportApp
    runs: RunStore
    threads: ThreadStore
    executor: RunExecutor

    async def thread(self) -> str:
        thread_id = f"retry-{uuid.uuid4().hex}"
        await self.threads.create(thread_id, "owner", {})
        return thread_id

    async def queued(self, thread_id: str, params: RunKwargs) -> RunRecord:
        """A run the killed worker took: queued, holding its thread, status `running`."""
        run = run_record(thread_id, owner="owner", worker=DEAD, params=params)
        await self.runs.enqueue(run)
        assert await self.runs.try_acquire(run) == "acquired"
        return run

    async def first_attempt(self, run: RunRecord) -> None:
        """What the killed process did: the graph ran to its end or its interrupt."""
        graph, saver = self.app.graph, self.app.checkpointer
        config = run_config(run, str(graph.name))
        latest = await saver.aget_tuple(config)
        payload = await start_payload(graph, saver, run, config, latest)
        if payload is not None and run.params.input is not None:
            payload, config, latest = await after_waiting_approval(
                graph, saver, run, payload, config, None, latest
            )
        with handing(config, latest):
            await stream_graph(graph, run, payload, config, None)

    async def first_attempt_dies(self, run: RunRecord, dies: DiesAfter) -> list[str]:
        """A first attempt whose process died once `dies` let its last write through: the
        calls it made, stored or lost."""
        with dies:
            await self.first_attempt(run)
        return dies.calls

    async def retried(self, run: RunRecord) -> RunOutcome:
        """The sweep hands the run to the live worker, whose executor runs attempt 2."""
        assert await self.runs.adopt(run, DEAD, LIVE, 3) == "retry"
        adopted = await self.runs.get(run.run_id)
        assert adopted is not None and adopted.attempt == 2
        return await self.executor.start(adopted)

    async def done(self, run: RunRecord) -> RunOutcome:
        """A run on a live worker, start to end."""
        return await self.executor.start(run)

    async def values(self, thread_id: str) -> dict[str, Any]:
        snapshot = await self.app.graph.aget_state(thread_config(_stub(thread_id)))
        return dict(snapshot.values)

    async def approvals(self, thread_id: str) -> int:
        snapshot = await self.app.graph.aget_state(thread_config(_stub(thread_id)))
        return len(approvals_waiting(snapshot))


def _stub(thread_id: str) -> RunRecord:
    return run_record(thread_id, owner="owner", worker=LIVE)


def _human(values: dict[str, Any]) -> list[str]:
    return [str(m.content) for m in values["messages"] if isinstance(m, HumanMessage)]


def _withdrawals(values: dict[str, Any]) -> int:
    return sum(
        1
        for m in values["messages"]
        if isinstance(m, ToolMessage) and "withdr" in str(m.content).lower()
    )


@pytest.fixture
async def world(redis_url: str, brain_cache_dir: Path) -> AsyncIterator[World]:
    prefix = f"retry{uuid.uuid4().hex[:8]}"
    settings = Settings(
        redis_url=redis_url, model_backend="offline", cache_dir=brain_cache_dir, key_prefix=prefix
    )
    async with open_support_app(settings) as app:
        keys = ApiKeys(prefix)
        runs, threads = RunStore(app.redis, keys), ThreadStore(app.redis, keys)
        executor = RunExecutor(app.graph, app.checkpointer, runs, threads, LIVE)
        yield World(app, runs, threads, executor)


async def test_a_retried_message_that_reached_its_approval_asks_once(world: World) -> None:
    """Applied again, the message would withdraw the approval its own first attempt asked for
    and ask again: the customer's message twice, a withdrawal nobody made."""
    tid = await world.thread()
    run = await world.queued(tid, RunKwargs(input=user(PLAN_CHANGE), durability="async"))
    await world.first_attempt(run)
    assert await world.approvals(tid) == 1

    outcome = await world.retried(run)

    assert outcome.status == "success"
    values = await world.values(tid)
    assert _human(values) == [PLAN_CHANGE]
    assert _withdrawals(values) == 0
    assert await world.approvals(tid) == 1
    stored = await world.runs.get(run.run_id)
    assert stored is not None and stored.status == "success"


async def test_a_retried_turn_whose_specialist_had_just_started_asks_for_approval(
    world: World,
) -> None:
    """The process died right after the specialist's subgraph stored its input checkpoint:
    the retry re-ran the subgraph from it, whose stored input (the parent's state) came back
    as a raw envelope. The specialist saw no message, asked the customer what they wanted,
    and the approval queued behind the turn found nothing to resume."""
    tid = await world.thread()
    run = await world.queued(tid, RunKwargs(input=user(PLAN_CHANGE), durability="async"))
    dies = DiesAfter(world.app.checkpointer, after="put 'account' -1")
    calls = await world.first_attempt_dies(run, dies)
    assert dies.stored is not None and dies.stored < len(calls), calls

    assert (await world.retried(run)).status == "success"

    assert _human(await world.values(tid)) == [PLAN_CHANGE]
    assert await world.approvals(tid) == 1
    approve = await world.queued(tid, RunKwargs(command=APPROVE))
    outcome = await world.done(approve)
    assert outcome.status == "success", outcome.error
    assert await world.approvals(tid) == 0


async def test_a_turn_retried_after_any_lost_write_asks_for_approval_once(world: World) -> None:
    """Every point at which the first attempt's process could die between two of its
    checkpoint writes: the retry asks for the approval once, with the customer's message
    once, and the approval that follows commits."""
    params = RunKwargs(input=user(PLAN_CHANGE), durability="async")
    learnt = DiesAfter(world.app.checkpointer)
    calls = await world.first_attempt_dies(await world.queued(await world.thread(), params), learnt)
    assert len(calls) > 10, calls
    failed: list[tuple[int, str]] = []
    for stored in range(len(calls)):
        tid = await world.thread()
        run = await world.queued(tid, params)
        await world.first_attempt_dies(run, DiesAfter(world.app.checkpointer, stored))
        retry = await world.retried(run)
        asked = await world.approvals(tid)
        humans = _human(await world.values(tid))
        approve = await world.done(await world.queued(tid, RunKwargs(command=APPROVE)))
        if (retry.status, asked, humans, approve.status) != (
            "success",
            1,
            [PLAN_CHANGE],
            "success",
        ):
            last = calls[stored - 1] if stored else "nothing"
            failed.append(
                (stored, f"after {last}: {retry.status} {asked} {humans} {approve.error}")
            )
    assert not failed, failed


async def test_a_retried_approval_that_already_resumed_succeeds_once(world: World) -> None:
    """Resumed again, the decision found no interrupt waiting and the run ended in error,
    though its approval had been committed."""
    tid = await world.thread()
    asked = await world.queued(tid, RunKwargs(input=user(PLAN_CHANGE)))
    assert (await world.done(asked)).status == "success"
    assert await world.approvals(tid) == 1
    approve = await world.queued(tid, RunKwargs(command=APPROVE))
    await world.first_attempt(approve)
    assert await world.approvals(tid) == 0
    before = await world.values(tid)

    outcome = await world.retried(approve)

    assert outcome.status == "success", outcome.error
    after = await world.values(tid)
    assert len(after["messages"]) == len(before["messages"])
    stored = await world.runs.get(approve.run_id)
    assert stored is not None and stored.status == "success"


async def test_a_retried_message_whose_first_attempt_only_withdrew_is_answered(
    world: World,
) -> None:
    """The first attempt withdrew the waiting approval and died before the message ran: the
    retry must take the message (not resume the withdrawal's checkpoint as its own)."""
    tid = await world.thread()
    asked = await world.queued(tid, RunKwargs(input=user(PLAN_CHANGE)))
    assert (await world.done(asked)).status == "success"
    run = await world.queued(tid, RunKwargs(input=user(FAQ)))
    graph, saver = world.app.graph, world.app.checkpointer
    config = run_config(run, str(graph.name))
    latest = await saver.aget_tuple(config)
    payload = await start_payload(graph, saver, run, config, latest)
    await after_waiting_approval(graph, saver, run, payload, config, None, latest)
    assert await world.approvals(tid) == 0

    outcome = await world.retried(run)

    assert outcome.status == "success"
    values = await world.values(tid)
    assert _human(values) == [PLAN_CHANGE, FAQ]
    assert _withdrawals(values) == 1
    assert values.get("status") == "faq_answered"


async def test_a_rollback_removes_the_checkpoints_of_its_run(world: World) -> None:
    """Rolling back a run puts its thread back where the run found it (before, the saver kept
    no run ids, so a rollback removed nothing and the run's turn stayed in the history)."""
    tid = await world.thread()
    assert (await world.done(await world.queued(tid, RunKwargs(input=user(FAQ))))).status == (
        "success"
    )
    before = await world.values(tid)
    run = await world.queued(tid, RunKwargs(input=user(PLAN_CHANGE), durability="async"))
    await world.first_attempt(run)
    assert await world.approvals(tid) == 1
    world.executor.started.add(run.run_id)
    world.executor.cancel_actions[run.run_id] = "rollback"

    await world.executor._cancelled(run, None)

    assert _human(await world.values(tid)) == _human(before) == [FAQ]
    assert await world.approvals(tid) == 0
    assert await world.runs.get(run.run_id) is None
