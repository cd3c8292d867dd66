"""A thread that waits on an operator: its status says so, and the thread TTL spares it.

A `supportgraph serve` process with a 3-second thread TTL: a refund waits for approval well
past that, stays readable with its interrupt, and is approved; an idle thread expires, and
the audit entries of a thread expire with it, not before.
"""

from __future__ import annotations

import asyncio

import httpx
import pytest

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


async def audited(http: httpx.AsyncClient, thread_id: str) -> list[str]:
    log = await http.get("/audit", params={"thread_id": thread_id})
    assert log.status_code == 200, log.text
    return [e["action"] for e in log.json()]
