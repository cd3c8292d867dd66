"""Streams a client can lose and find again: every event has an id, a run's stream can be
joined or replayed from `Last-Event-ID` — also from another server process — and a thread's
stream shows each run on it."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from langgraph_sdk.client import LangGraphClient

from tests.support.api_server import ApiServer
from tests.support.messages import FAQ, TICKET
from tests.support.sse import Sse, sse_events


def run_body(text: str, **extra: Any) -> dict[str, Any]:
    return {
        "assistant_id": "support",
        "input": {"messages": [{"role": "user", "content": text}], "customer_id": "C-1001"},
        "stream_mode": ["values", "updates"],
        **extra,
    }


async def collect(response: httpx.Response, limit: int | None = None) -> list[Sse]:
    found: list[Sse] = []
    async for event in sse_events(response):
        found.append(event)
        if limit is not None and len(found) >= limit:
            break
    return found


@pytest.fixture(scope="module")
def second_server(
    redis_url: str, brain_cache_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ApiServer]:
    api = ApiServer(redis_url, brain_cache_dir, log_path=tmp_path_factory.mktemp("b") / "b.log")
    api.start()
    yield api
    api.stop()


async def test_a_resumable_stream_is_replayed_from_its_last_event_id_by_any_process(
    http: httpx.AsyncClient, second_server: ApiServer
) -> None:
    tid = (await http.post("/threads", json={})).json()["thread_id"]
    body = run_body(TICKET, stream_resumable=True)
    async with http.stream("POST", f"/threads/{tid}/runs/stream", json=body) as response:
        location = response.headers["location"]
        run_path = response.headers["content-location"]
        assert location == f"{run_path}/stream"
        first = await collect(response, limit=2)  # then the client goes away mid-run
    assert first[0].event == "metadata"
    assert all(e.id for e in first)

    async with httpx.AsyncClient(base_url=second_server.url, timeout=60) as other:
        headers = {"Last-Event-ID": first[-1].id or ""}
        async with other.stream("GET", location, headers=headers) as rest_response:
            assert rest_response.status_code == 200
            rest = await collect(rest_response)
        async with other.stream("GET", location, headers={"Last-Event-ID": "-1"}) as again:
            everything = await collect(again)

    assert rest, "nothing after the last event seen"
    assert [e.id for e in first + rest] == [e.id for e in everything]
    ids = [e.id or "" for e in everything]
    assert ids == sorted(ids, key=lambda i: tuple(int(p) for p in i.split("-")))
    assert everything[-1].event == "values"
    assert everything[-1].data["status"] == "ticket_created"


async def test_a_background_run_is_joined_with_the_sdk(client: LangGraphClient) -> None:
    tid = (await client.threads.create())["thread_id"]
    run = await client.runs.create(tid, "support", input=run_body(FAQ)["input"])
    parts = [p async for p in client.runs.join_stream(tid, run["run_id"])]
    assert parts[0].event == "metadata"
    assert parts[-1].event == "values"
    assert parts[-1].data["status"] == "faq_answered"
    # The run streams what it was created with (`values`); a join filters within that.
    late = [p async for p in client.runs.join_stream(tid, run["run_id"], stream_mode="updates")]
    assert {p.event for p in late} == {"metadata"}


async def test_joining_a_finished_wait_run_ends_at_once(client: LangGraphClient) -> None:
    tid = (await client.threads.create())["thread_id"]
    await client.runs.wait(tid, "support", input=run_body(FAQ)["input"])
    [run] = await client.runs.list(tid)
    parts = await asyncio.wait_for(_all(client, tid, run["run_id"]), timeout=3)
    assert parts == []


async def _all(client: LangGraphClient, tid: str, run_id: str) -> list[Any]:
    return [p async for p in client.runs.join_stream(tid, run_id)]


async def test_the_thread_stream_shows_every_run_and_its_end(http: httpx.AsyncClient) -> None:
    tid = (await http.post("/threads", json={})).json()["thread_id"]

    async def listen() -> list[Sse]:
        seen: list[Sse] = []
        async with http.stream("GET", f"/threads/{tid}/stream") as response:
            async for event in sse_events(response):
                seen.append(event)
                if event.event == "metadata" and event.data.get("status") == "run_done":
                    return seen
        return seen

    listening = asyncio.create_task(listen())
    await asyncio.sleep(0.5)
    done = await http.post(f"/threads/{tid}/runs/stream", json=run_body(FAQ))
    assert done.status_code == 200
    seen = await asyncio.wait_for(listening, timeout=30)

    assert seen[0].event == "metadata"
    assert "values" in {e.event for e in seen}
    assert all(e.id for e in seen)
    replay_from = seen[1].id or ""
    async with http.stream(
        "GET", f"/threads/{tid}/stream", headers={"Last-Event-ID": replay_from}
    ) as response:
        replayed = []
        async for event in sse_events(response):
            replayed.append(event)
            if event.event == "metadata" and event.data.get("status") == "run_done":
                break
    assert [e.id for e in replayed] == [e.id for e in seen[2:]]
