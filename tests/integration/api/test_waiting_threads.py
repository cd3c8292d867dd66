"""A thread that waits on an operator: its status says so, and the thread TTL spares it.

A `supportgraph serve` process with a 3-second thread TTL: a refund waits for approval well
past that, stays readable with its interrupt, and is approved; an idle thread expires, and
the audit entries of a thread expire with it, not before. A thread whose run waits or runs
longer than the TTL is not idle either: none of its keys expires meanwhile.
"""

from __future__ import annotations

import asyncio

import httpx
import pytest
import redis.asyncio as aioredis

from tests.support.messages import REFUND, TICKET, user

TTL = 3


@pytest.fixture(scope="module")
def server_env() -> dict[str, str]:
    return {"SUPPORTGRAPH_THREAD_TTL_SECONDS": str(TTL)}


async def test_a_pending_approval_outlives_the_thread_ttl(http: httpx.AsyncClient) -> None:
    waiting = (await http.post("/threads", json={})).json()["thread_id"]
    body = {"assistant_id": "support", "input": user(REFUND, "C-1006")}
    paused = (await http.post(f"/threads/{waiting}/runs/wait", json=body)).json()
    assert paused["status"] == "awaiting_approval"
    # Created only now: on a loaded machine the refund's run alone can outlast the TTL.
    idle = (await http.post("/threads", json={})).json()["thread_id"]
    ticket = {"assistant_id": "support", "input": user(TICKET, "C-1006")}
    assert (await http.post(f"/threads/{idle}/runs/wait", json=ticket)).status_code == 200
    assert await audited(http, idle) == ["ticket_created"]

    await asyncio.sleep(TTL * 3)

    assert (await http.get(f"/threads/{idle}")).status_code == 404
    assert await audited(http, idle) == []  # its entries went with its data
    thread = (await http.get(f"/threads/{waiting}")).json()
    assert thread["status"] == "interrupted"
    assert thread["values"]["status"] == "awaiting_approval"
    state = (await http.get(f"/threads/{waiting}/state")).json()
    assert state["values"]["status"] == "awaiting_approval"
    resume = {"assistant_id": "support", "command": {"resume": {"decision": "approve"}}}
    done = await http.post(f"/threads/{waiting}/runs/wait", json=resume)
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "resolved"
    decided = await audited(http, waiting)
    assert {"approve", "action_committed"} <= set(decided)

    await asyncio.sleep(TTL * 3)  # no longer waiting: the thread and its entries expire
    assert (await http.get(f"/threads/{waiting}")).status_code == 404
    assert await audited(http, waiting) == []


async def test_a_thread_is_kept_while_its_run_outlasts_the_ttl_then_while_it_waits(
    http: httpx.AsyncClient, redis_client: aioredis.Redis
) -> None:
    """The refund's run starts after twice the TTL (a run that waits or runs that long is
    the same to the thread: busy); the thread is there when it ends, and once it waits on
    the approval no key of it has an expiry."""
    tid = (await http.post("/threads", json={})).json()["thread_id"]
    body = {"assistant_id": "support", "input": user(REFUND, "C-1006"), "after_seconds": TTL * 2}
    run = await http.post(f"/threads/{tid}/runs", json=body)
    assert run.status_code == 200, run.text
    run_id = run.json()["run_id"]
    joined = await http.get(f"/threads/{tid}/runs/{run_id}/join", timeout=60)
    assert joined.json()["status"] == "awaiting_approval"

    thread = await http.get(f"/threads/{tid}")
    assert thread.status_code == 200, "the thread expired while its run was going"
    assert thread.json()["status"] == "interrupted"
    keys = [k async for k in redis_client.scan_iter(match=f"*{tid}*")]
    keys += [k async for k in redis_client.scan_iter(match=f"*:run:{run_id}")]
    # A run's event stream keeps its own retention (the stream TTL), not the thread's.
    owned = sorted(k.decode() for k in keys if not k.endswith(b":events"))
    assert any("checkpoint" in k for k in owned) and any(":api:thread:" in k for k in owned)
    assert {k: await redis_client.ttl(k) for k in owned} == dict.fromkeys(owned, -1)


async def audited(http: httpx.AsyncClient, thread_id: str) -> list[str]:
    log = await http.get("/audit", params={"thread_id": thread_id})
    assert log.status_code == 200, log.text
    return [e["action"] for e in log.json()]
