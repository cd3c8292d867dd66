"""Faults during a job: the job ends once, the thread resumes once, nothing is lost.

SIGKILL of the worker mid-job (saq's sweep retries it on the next worker), SIGKILL of the
server (the worker resumes the thread itself), a Redis restart mid-job; a job past its
deadline resumes the thread with a timeout, and one whose worker dies more often than its
retries allow fails visibly.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.job_flows import (
    actions,
    assert_exactly_once,
    job_record,
    last_answer,
    resumed,
    start_diagnostic,
    wait_run,
)
from tests.support.job_stack import STACK_ENV, Stack, eventually, running_stack, stack_http


async def running(stack: Stack, job_id: str) -> bool:
    return (await job_record(stack, job_id)).attempts >= 1


async def test_worker_sigkill_mid_job_retries_it_and_resumes_the_thread_once(
    stack: Stack, http: httpx.AsyncClient
) -> None:
    thread_id, job_id = await start_diagnostic(http)
    await eventually(lambda: running(stack, job_id))
    await asyncio.sleep(0.5)
    stack.restart_worker()  # SIGKILL, then a fresh worker
    state = await eventually(lambda: resumed(http, thread_id, job_id), within=90)
    assert "Your line diagnostic is finished" in last_answer(state)
    entries = await assert_exactly_once(stack, http, thread_id, job_id)
    record = await job_record(stack, job_id)
    assert record.status == "succeeded" and record.attempts == 2
    # The audit log tells it: the killed worker's attempt, the next worker's, which ended it.
    first, second = (e["actor"] for e in actions(entries, "job_attempt"))
    assert first != second
    [finished] = actions(entries, "job_finished")
    assert finished["actor"] == second and finished["arguments"]["attempt"] == 2


async def test_server_sigkill_during_the_job_loses_nothing(
    stack: Stack, http: httpx.AsyncClient
) -> None:
    thread_id, job_id = await start_diagnostic(http)
    stack.server.kill()
    # The worker finishes the job and resumes the thread through the run queue itself.
    await eventually(lambda: _settled(stack, job_id), within=60)
    await asyncio.sleep(1.0)
    stack.server.start()
    state = await eventually(lambda: resumed(http, thread_id, job_id), within=60)
    assert "Your line diagnostic is finished" in last_answer(state)
    await assert_exactly_once(stack, http, thread_id, job_id)


async def test_redis_restart_mid_job_still_ends_the_job_once(
    stack: Stack, http: httpx.AsyncClient
) -> None:
    thread_id, job_id = await start_diagnostic(http)
    await eventually(lambda: running(stack, job_id))
    stack.redis.stop()
    await asyncio.sleep(1.0)
    stack.redis.ensure_running()
    state = await eventually(lambda: resumed(http, thread_id, job_id), within=120)
    assert "Your line diagnostic is finished" in last_answer(state)
    await assert_exactly_once(stack, http, thread_id, job_id)


async def test_a_run_retried_from_before_its_checkpoint_waits_on_the_job_it_started(
    stack: Stack, http: httpx.AsyncClient
) -> None:
    """A server that dies between the job's start and the turn's checkpoint leaves the job
    running and the thread's last saved checkpoint before the specialist; the retried run goes
    on from there, and the specialist's model names its tool call anew. That run must wait on
    the job already started, not start (and run) a second diagnostic."""
    thread_id, job_id = await start_diagnostic(http)
    history = (await http.post(f"/threads/{thread_id}/history", json={"limit": 100})).json()
    before = next(s for s in history if s["next"] == ["technical"])
    retried = await wait_run(http, thread_id, checkpoint_id=before["checkpoint"]["checkpoint_id"])
    assert retried["status"] == "waiting_on_job"
    assert [i["value"]["job_id"] for i in retried["__interrupt__"]] == [job_id]
    state = await eventually(lambda: resumed(http, thread_id, job_id))
    assert "Your line diagnostic is finished" in last_answer(state)
    await assert_exactly_once(stack, http, thread_id, job_id)
    jobs = (await http.get(f"/threads/{thread_id}/jobs")).json()
    assert [j["job_id"] for j in jobs] == [job_id]
    audit = (await http.get("/audit", params={"thread_id": thread_id})).json()
    assert len([e for e in audit if e["action"] == "job_started"]) == 1


async def _settled(stack: Stack, job_id: str) -> bool:
    return (await job_record(stack, job_id)).settled


STRICT_ENV = {
    **STACK_ENV,
    "SUPPORTGRAPH_DIAGNOSTIC_SECONDS": "30",
    "SUPPORTGRAPH_JOB_DEADLINE_SECONDS": "4",
    "SUPPORTGRAPH_JOB_RETRIES": "1",
}


@pytest.fixture(scope="module")
def strict(tmp_path_factory: pytest.TempPathFactory, brain_cache_dir: Path) -> Iterator[Stack]:
    """Jobs that cannot finish in time (30 s of work, 4 s deadline) and get one attempt."""
    with running_stack(tmp_path_factory.mktemp("strict"), brain_cache_dir, STRICT_ENV) as built:
        yield built


@pytest.fixture
async def strict_http(strict: Stack) -> AsyncIterator[httpx.AsyncClient]:
    async with stack_http(strict) as client:
        yield client


async def test_a_job_past_its_deadline_resumes_the_thread_with_a_timeout(
    strict: Stack, strict_http: httpx.AsyncClient
) -> None:
    thread_id, job_id = await start_diagnostic(strict_http)
    state = await eventually(lambda: resumed(strict_http, thread_id, job_id), within=30)
    assert "did not finish in time" in last_answer(state)
    await assert_exactly_once(strict, strict_http, thread_id, job_id)
    assert (await job_record(strict, job_id)).status == "timed_out"


async def test_a_job_whose_worker_dies_past_its_retries_fails_visibly(
    strict: Stack, strict_http: httpx.AsyncClient
) -> None:
    thread_id, job_id = await start_diagnostic(strict_http)
    await eventually(lambda: running(strict, job_id))
    strict.restart_worker()
    state = await eventually(lambda: resumed(strict_http, thread_id, job_id), within=60)
    assert "was given up after 1 failed attempt(s)" in last_answer(state)
    await assert_exactly_once(strict, strict_http, thread_id, job_id)
    assert (await job_record(strict, job_id)).status == "failed"
