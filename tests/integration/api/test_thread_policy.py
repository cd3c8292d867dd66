"""The HTTP API with a thread TTL and a bounded history: history, forks, resumes still work.

A `supportgraph serve` process runs with `SUPPORTGRAPH_CHECKPOINT_KEEP_LAST=3` and
`SUPPORTGRAPH_THREAD_TTL_SECONDS=3600`, driven through `langgraph_sdk` only; its keys are then
inspected in Redis.
"""

from __future__ import annotations

from typing import Any

import pytest
import redis.asyncio as aioredis
from langgraph_sdk.client import LangGraphClient

from tests.support.messages import FAQ, PLAN_CHANGE, TICKET, human_texts, user

KEEP_LAST = 3
TTL = 3600


@pytest.fixture(scope="module")
def server_env() -> dict[str, str]:
    return {
        "SUPPORTGRAPH_CHECKPOINT_KEEP_LAST": str(KEEP_LAST),
        "SUPPORTGRAPH_THREAD_TTL_SECONDS": str(TTL),
    }


async def test_bounded_history_pages_forks_and_resumes(client: LangGraphClient) -> None:
    tid = (await client.threads.create())["thread_id"]
    for text in (FAQ, TICKET, FAQ):
        await client.runs.wait(tid, "support", input=user(text))
    paused = await client.runs.wait(tid, "support", input=user(PLAN_CHANGE))
    assert paused["__interrupt__"][0]["value"]["action"] == "change_plan"
    done = await client.runs.wait(tid, "support", command={"resume": {"decision": "approve"}})
    assert done["status"] == "resolved"
    assert human_texts(done) == [FAQ, TICKET, FAQ, PLAN_CHANGE]

    everything = await client.threads.get_history(tid, limit=100)
    assert len(everything) == KEEP_LAST
    pages: list[dict[str, Any]] = []
    before: Any = None
    while page := await client.threads.get_history(tid, limit=2, before=before):
        pages += page
        before = page[-1]["checkpoint"]
    assert [s["checkpoint"] for s in pages] == [s["checkpoint"] for s in everything]

    oldest = everything[-1]["checkpoint"]["checkpoint_id"]
    # One checkpoint for the fork (`exit`), so its parent is still in the bounded history.
    forked = await client.runs.wait(
        tid,
        "support",
        input=user("What are your store hours?"),
        checkpoint_id=oldest,
        durability="exit",
    )
    assert human_texts(forked)[-1] == "What are your store hours?"
    state = await client.threads.get_state(tid)
    assert state["parent_checkpoint"]["checkpoint_id"] == oldest
    assert len(await client.threads.get_history(tid, limit=100)) == KEEP_LAST


async def test_checkpoints_of_a_thread_carry_the_thread_ttl(
    client: LangGraphClient, redis_url: str
) -> None:
    tid = (await client.threads.create())["thread_id"]
    await client.runs.wait(tid, "support", input=user(PLAN_CHANGE))
    await client.runs.wait(tid, "support", command={"resume": {"decision": "approve"}})
    async with aioredis.Redis.from_url(redis_url) as redis:
        keys = [k async for k in redis.scan_iter(match=f"*{tid}*") if b":api:" not in k]
        assert any(k.startswith(b"checkpoint:") for k in keys)
        assert any(k.startswith(b"checkpoint_latest:") for k in keys)
        ttls = [await redis.ttl(key) for key in keys]
    assert all(TTL < ttl <= TTL + TTL // 10 for ttl in ttls), dict(zip(keys, ttls, strict=True))
