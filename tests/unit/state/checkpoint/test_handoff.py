"""A handed checkpoint is taken once, by a read of its own address, also from a task the
graph started."""

from __future__ import annotations

import asyncio

from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import CheckpointTuple, empty_checkpoint

from state.checkpoint.handoff import handing, take_handed


def _config(ns: str = "", checkpoint_id: str | None = None) -> RunnableConfig:
    configurable = {"thread_id": "t1", "checkpoint_ns": ns}
    if checkpoint_id:
        configurable["checkpoint_id"] = checkpoint_id
    return {"configurable": configurable}


FOUND = CheckpointTuple(_config(), empty_checkpoint(), {"step": 1})


def test_the_first_read_of_the_address_takes_it_and_only_that_one() -> None:
    with handing(_config(), FOUND):
        assert take_handed(_config("account:1")) == (False, None)
        assert take_handed(_config(checkpoint_id="c1")) == (False, None)
        assert take_handed(_config()) == (True, FOUND)
        assert take_handed(_config()) == (False, None)
    assert take_handed(_config()) == (False, None)


def test_a_new_thread_is_handed_as_having_nothing() -> None:
    with handing(_config(), None):
        assert take_handed(_config()) == (True, None)


async def test_a_task_started_inside_takes_it_for_everyone() -> None:
    with handing(_config(), FOUND):
        assert await asyncio.create_task(asyncio.to_thread(take_handed, _config())) == (
            True,
            FOUND,
        )
        assert take_handed(_config()) == (False, None)
