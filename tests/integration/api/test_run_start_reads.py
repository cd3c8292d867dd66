"""What a run reads before its graph starts: the newest checkpoint once, which the graph's own
first read then takes instead of asking Redis again (state/checkpoint/handoff.py)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from langchain_core.runnables import RunnableConfig

from api.bootstrap import SupportApp, open_support_app
from api.runs.executor import RunExecutor
from api.runs.keys import ApiKeys
from api.runs.queue import RunStore
from api.runs.records import RunKwargs
from api.runs.threads import ThreadStore
from state.checkpoint.lifecycle import ThreadLifecycleSaver
from state.settings import Settings
from tests.support.messages import APPROVE, FAQ, PLAN_CHANGE, user
from tests.support.runs import run_record


class Runs:
    """Runs on one thread through an executor, counting the root checkpoint reads that reach
    Redis while each one runs."""

    def __init__(self, app: SupportApp, keys: ApiKeys, monkeypatch: pytest.MonkeyPatch) -> None:
        self.app = app
        self.runs = RunStore(app.redis, keys)
        self.threads = ThreadStore(app.redis, keys)
        self.executor = RunExecutor(app.graph, app.checkpointer, self.runs, self.threads, "w")
        self.thread_id = f"start-{uuid.uuid4().hex}"
        self.reads = 0
        read = ThreadLifecycleSaver.aget_tuple

        async def counted(saver: ThreadLifecycleSaver, config: RunnableConfig) -> Any:
            configurable = config["configurable"]
            if configurable["thread_id"] == self.thread_id and not configurable.get(
                "checkpoint_ns"
            ):
                self.reads += 1
            return await read(saver, config)

        monkeypatch.setattr(ThreadLifecycleSaver, "aget_tuple", counted)

    async def reads_of(self, params: RunKwargs) -> tuple[int, dict[str, Any]]:
        """The root reads the run made, and its final values."""
        run = run_record(self.thread_id, owner="owner", worker="w", params=params)
        await self.runs.enqueue(run)
        before = self.reads
        outcome = await self.executor.start(run)
        assert outcome.status == "success", outcome.error
        return self.reads - before, outcome.values


@pytest.fixture
async def runs(
    redis_url: str, brain_cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Runs]:
    prefix = f"start{uuid.uuid4().hex[:8]}"
    settings = Settings(
        redis_url=redis_url, model_backend="offline", cache_dir=brain_cache_dir, key_prefix=prefix
    )
    async with open_support_app(settings) as app:
        found = Runs(app, ApiKeys(prefix), monkeypatch)
        await found.threads.create(found.thread_id, "owner", {})
        yield found


async def test_a_message_run_reads_its_threads_checkpoint_once(runs: Runs) -> None:
    """Read before the run (does an approval wait?) and again as the graph opened: twice."""
    assert (await runs.reads_of(RunKwargs(input=user(FAQ))))[1]["status"] == "faq_answered"

    reads, values = await runs.reads_of(RunKwargs(input=user(FAQ)))

    assert values["status"] == "faq_answered"
    assert reads == 1


async def test_a_resume_reads_the_checkpoint_and_the_state_once_each(runs: Runs) -> None:
    asked = await runs.reads_of(RunKwargs(input=user(PLAN_CHANGE)))
    assert asked[1]["status"] == "awaiting_approval"

    reads, values = await runs.reads_of(RunKwargs(command=APPROVE))

    assert values["status"] == "resolved"
    assert reads == 2  # what the run starts from, then the state whose interrupt it resumes


async def test_a_message_past_a_waiting_approval_reads_the_head_once_after_withdrawing(
    runs: Runs,
) -> None:
    """Before: the checkpoint, the state, the withdrawal's own read of the checkpoint, and the
    message's after it: four."""
    assert (await runs.reads_of(RunKwargs(input=user(PLAN_CHANGE))))[1]["status"] == (
        "awaiting_approval"
    )

    reads, values = await runs.reads_of(RunKwargs(input=user(FAQ)))

    assert values["status"] == "faq_answered"
    assert reads == 3  # the checkpoint, the state, the head after the withdrawal
