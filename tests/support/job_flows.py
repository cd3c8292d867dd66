"""What the job tests do and check through the HTTP API and Redis, shared by their modules."""

from __future__ import annotations

from typing import Any

import httpx
import redis.asyncio as aioredis

from state.stores.jobs import JobRecord, RedisJobStore
from tests.support.job_stack import Stack
from tests.support.messages import user

DIAGNOSE = "can you run a diagnostic on my line"
ESIM = "please activate an eSIM for my line"


async def new_thread(http: httpx.AsyncClient) -> str:
    response = await http.post("/threads", json={})
    response.raise_for_status()
    return str(response.json()["thread_id"])


async def wait_run(http: httpx.AsyncClient, thread_id: str, **body: Any) -> dict[str, Any]:
    response = await http.post(
        f"/threads/{thread_id}/runs/wait", json={"assistant_id": "support", **body}
    )
    response.raise_for_status()
    result: dict[str, Any] = response.json()
    return result


async def state_of(http: httpx.AsyncClient, thread_id: str) -> dict[str, Any]:
    response = await http.get(f"/threads/{thread_id}/state")
    response.raise_for_status()
    result: dict[str, Any] = response.json()
    return result


def job_interrupts(state: dict[str, Any]) -> list[dict[str, Any]]:
    found = list(state.get("interrupts") or [])
    for task in state.get("tasks") or []:
        found += task.get("interrupts") or []
    return [i["value"] for i in found if i["value"].get("kind") == "job"]


def job_results(state: dict[str, Any], job_id: str) -> list[dict[str, Any]]:
    """The ToolMessages that carry the job's outcome into the conversation."""
    return [
        m
        for m in state["values"]["messages"]
        if m.get("type") == "tool" and m.get("id") == f"job-{job_id}-result"
    ]


def last_answer(state: dict[str, Any]) -> str:
    for message in reversed(state["values"]["messages"]):
        if message.get("type") == "ai" and message.get("content"):
            return str(message["content"])
    return ""


async def resumed(http: httpx.AsyncClient, thread_id: str, job_id: str) -> dict[str, Any] | None:
    thread = (await http.get(f"/threads/{thread_id}")).json()
    state = await state_of(http, thread_id)
    if thread["status"] == "idle" and job_results(state, job_id):
        return state
    return None


async def job_record(stack: Stack, job_id: str) -> JobRecord:
    client = aioredis.Redis.from_url(stack.redis_url)
    try:
        record = await RedisJobStore(client, None).get(job_id)
        assert record is not None, f"no record of job {job_id}"
        return record
    finally:
        await client.aclose()


async def resume_runs(http: httpx.AsyncClient, thread_id: str, job_id: str) -> list[dict[str, Any]]:
    params = {"limit": 100}
    response = await http.get(f"/threads/{thread_id}/runs", params=params)
    response.raise_for_status()
    runs = response.json()
    return [r for r in runs if r["metadata"].get("job_id") == job_id]


async def start_diagnostic(http: httpx.AsyncClient, customer: str = "C-1003") -> tuple[str, str]:
    thread_id = await new_thread(http)
    values = await wait_run(http, thread_id, input=user(DIAGNOSE, customer))
    assert values["status"] == "waiting_on_job", values
    [wait] = [i["value"] for i in values["__interrupt__"]]
    assert wait["kind"] == "job" and wait["tool"] == "run_line_diagnostic"
    return thread_id, str(wait["job_id"])


async def job_audit(http: httpx.AsyncClient, thread_id: str, job_id: str) -> list[dict[str, Any]]:
    """The audit log's entries about the job, oldest first, as `GET /audit` returns them."""
    params = {"thread_id": thread_id, "limit": 1000}
    response = await http.get("/audit", params=params)
    response.raise_for_status()
    entries: list[dict[str, Any]] = response.json()
    return [e for e in entries if e["arguments"].get("job_id") == job_id]


def actions(entries: list[dict[str, Any]], action: str) -> list[dict[str, Any]]:
    return [e for e in entries if e["action"] == action]


async def assert_exactly_once(
    stack: Stack, http: httpx.AsyncClient, tid: str, job_id: str
) -> list[dict[str, Any]]:
    """The job ended once and its thread took the outcome once, by the thread's state, the job
    record, the resume runs and the audit log; returns the job's audit entries."""
    state = await state_of(http, tid)
    assert len(job_results(state, job_id)) == 1
    assert not state["values"].get("pending_jobs")
    record = await job_record(stack, job_id)
    assert record.settlements == 1
    assert len(await resume_runs(http, tid, job_id)) == 1
    entries = await job_audit(http, tid, job_id)
    assert all(e["thread_id"] == tid and e["at"] for e in entries), entries
    [started] = actions(entries, "job_started")
    assert started["run_id"] is not None
    attempts = actions(entries, "job_attempt")
    assert sorted(e["arguments"]["attempt"] for e in attempts) == list(
        range(1, record.attempts + 1)
    )
    assert all(e["actor"].startswith("worker:") for e in attempts)
    [finished] = actions(entries, "job_finished")
    assert finished["arguments"]["status"] == record.status
    if record.status != "cancelled":
        assert finished["actor"].startswith("worker:") and finished["role"] == "system"
    [resumed] = actions(entries, "thread_resumed")
    assert resumed["arguments"]["status"] == record.status
    committed = actions(entries, "action_committed")
    esim_done = record.kind == "esim_activation" and record.status == "succeeded"
    assert len(committed) == (1 if esim_done else 0)
    return entries
