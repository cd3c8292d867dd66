"""Job records: started once per idempotency key, settled once whoever races."""

from __future__ import annotations

import asyncio
import time

from state.stores.jobs import JobRecord, MemoryJobStore, outcome_of


def job(job_id: str = "JOB-1") -> JobRecord:
    return JobRecord(
        job_id=job_id,
        kind="line_diagnostic",
        tool="run_line_diagnostic",
        tool_call_id="call-1",
        route="technical",
        thread_id="t-1",
        customer_id="C-1001",
        deadline=time.time() + 60,
    )


async def test_starting_a_job_twice_keeps_the_first() -> None:
    store = MemoryJobStore()
    first = await store.start(job())
    again = await store.start(job().model_copy(update={"arguments": {"x": 1}}))
    assert again == first and again.arguments == {}


async def test_only_one_of_racing_settles_wins() -> None:
    store = MemoryJobStore()
    record = await store.start(job())
    outcomes = [outcome_of(record, "succeeded", f"done {i}") for i in range(5)]
    wins = await asyncio.gather(*(store.settle(record.job_id, o) for o in outcomes))
    assert sum(wins) == 1
    settled = await store.get(record.job_id)
    assert settled is not None and settled.settlements == 1 and settled.status == "succeeded"
    assert not await store.cancel(record.job_id, "too late")
