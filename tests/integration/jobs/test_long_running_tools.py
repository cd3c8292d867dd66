"""Long-running tools end to end: a real server, a real saq worker, a real Redis.

A diagnostic turn waits on its job and is resumed with the result; an eSIM activation runs
after approval, once; a customer message during the wait is answered while the job keeps
running; cancelling the thread's jobs cancels the job and tells the customer.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import redis.asyncio as aioredis

from tests.support.job_flows import (
    ESIM,
    assert_exactly_once,
    job_record,
    last_answer,
    new_thread,
    resumed,
    start_diagnostic,
    wait_run,
)
from tests.support.job_stack import DIAGNOSTIC_SECONDS, Stack, eventually
from tests.support.messages import user


async def test_diagnostic_turn_waits_on_its_job_then_answers_from_the_result(
    stack: Stack, http: httpx.AsyncClient
) -> None:
    thread_id, job_id = await start_diagnostic(http)
    thread = (await http.get(f"/threads/{thread_id}")).json()
    assert thread["status"] == "interrupted"
    state = await eventually(lambda: resumed(http, thread_id, job_id))
    assert state["values"]["status"] == "resolved"
    answer = last_answer(state)
    assert "Your line diagnostic is finished" in answer
    # C-1003 is in Sunridge, whose network is degraded in the demo data: the report says so.
    assert "network incident in Sunridge" in answer
    await assert_exactly_once(stack, http, thread_id, job_id)
    record = await job_record(stack, job_id)
    assert record.status == "succeeded" and record.outcome.result["errors_24h"] >= 37


async def test_esim_activation_runs_once_after_approval(
    stack: Stack, http: httpx.AsyncClient
) -> None:
    thread_id = await new_thread(http)
    paused = await wait_run(http, thread_id, input=user(ESIM, "C-1001"))
    [approval] = [i["value"] for i in paused["__interrupt__"]]
    assert approval["kind"] == "approval" and approval["action"] == "activate_esim"
    waiting = await wait_run(http, thread_id, command={"resume": {"decision": "approve"}})
    assert waiting["status"] == "waiting_on_job"
    [wait] = [i["value"] for i in waiting["__interrupt__"]]
    job_id = wait["job_id"]
    state = await eventually(lambda: resumed(http, thread_id, job_id))
    assert "Your eSIM is active" in last_answer(state)
    await assert_exactly_once(stack, http, thread_id, job_id)
    client = aioredis.Redis.from_url(stack.redis_url)
    try:
        keys = [k async for k in client.scan_iter("sg:action:*")]
        docs = [await client.json().get(k) for k in keys]
    finally:
        await client.aclose()
    mine = [d for d in docs if d["thread_id"] == thread_id and d["action"] == "activate_esim"]
    assert len(mine) == 1


async def test_a_customer_message_during_the_wait_is_answered_and_the_job_goes_on(
    stack: Stack, http: httpx.AsyncClient
) -> None:
    thread_id, job_id = await start_diagnostic(http)
    during = await wait_run(http, thread_id, input=user("what is my balance?", "C-1003"))
    assert during["status"] == "resolved" and during["route"] == "billing"
    assert [i["value"]["job_id"] for i in during["__interrupt__"]] == [job_id]
    state = await eventually(lambda: resumed(http, thread_id, job_id))
    assert "Your line diagnostic is finished" in last_answer(state)
    await assert_exactly_once(stack, http, thread_id, job_id)


async def test_cancelling_the_threads_jobs_cancels_the_job_and_tells_the_customer(
    stack: Stack, http: httpx.AsyncClient
) -> None:
    thread_id, job_id = await start_diagnostic(http)
    response = await http.post(f"/threads/{thread_id}/jobs/cancel")
    assert response.json() == {"cancelled": [job_id]}
    state = await eventually(lambda: resumed(http, thread_id, job_id))
    assert "was cancelled" in last_answer(state)
    await asyncio.sleep(DIAGNOSTIC_SECONDS + 1)  # the job would have finished by now
    await assert_exactly_once(stack, http, thread_id, job_id)
    assert (await job_record(stack, job_id)).status == "cancelled"


async def test_job_stats_show_queue_depth_and_workers(
    stack: Stack, http: httpx.AsyncClient
) -> None:
    stats = await eventually(lambda: _stats_with_worker(http))
    assert {"queued", "active", "scheduled", "workers"} <= set(stats)


async def _stats_with_worker(http: httpx.AsyncClient) -> dict[str, Any] | None:
    stats: dict[str, Any] = (await http.get("/jobs/stats")).json()
    return stats if stats["workers"] >= 1 else None
