"""A thread that waits on an operator: its status says so, and the thread TTL spares it.

A `supportgraph serve` process with a 3-second thread TTL: a refund waits for approval well
past that, stays readable with its interrupt, and is approved; an idle thread expires.
"""

from __future__ import annotations

import asyncio

import httpx
import pytest

from tests.support.messages import REFUND, user

TTL = 3


@pytest.fixture(scope="module")
def server_env() -> dict[str, str]:
    return {"SUPPORTGRAPH_THREAD_TTL_SECONDS": str(TTL)}


async def test_a_pending_approval_outlives_the_thread_ttl(http: httpx.AsyncClient) -> None:
    waiting = (await http.post("/threads", json={})).json()["thread_id"]
    idle = (await http.post("/threads", json={})).json()["thread_id"]
    body = {"assistant_id": "support", "input": user(REFUND, "C-1006")}
    paused = (await http.post(f"/threads/{waiting}/runs/wait", json=body)).json()
    assert paused["status"] == "awaiting_approval"
    faq = {"assistant_id": "support", "input": user("How do I reset my voicemail PIN?", "C-1006")}
    assert (await http.post(f"/threads/{idle}/runs/wait", json=faq)).status_code == 200

    await asyncio.sleep(TTL * 3)

    assert (await http.get(f"/threads/{idle}")).status_code == 404
    thread = (await http.get(f"/threads/{waiting}")).json()
    assert thread["status"] == "interrupted"
    assert thread["values"]["status"] == "awaiting_approval"
    state = (await http.get(f"/threads/{waiting}/state")).json()
    assert state["values"]["status"] == "awaiting_approval"
    resume = {"assistant_id": "support", "command": {"resume": {"decision": "approve"}}}
    done = await http.post(f"/threads/{waiting}/runs/wait", json=resume)
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "resolved"
