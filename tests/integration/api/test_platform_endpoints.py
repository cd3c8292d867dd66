"""The endpoints real clients call beyond runs: thread count, copy and prune, assistant
count, history paged with `before` in every form, and the access log that shows each request
from the server's side."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from langgraph_sdk.client import LangGraphClient

from tests.support.api_server import ApiServer
from tests.support.messages import FAQ, PLAN_CHANGE, user


async def test_threads_count_by_metadata_status_and_values(client: LangGraphClient) -> None:
    tag = {"suite": f"count-{id(client)}"}
    for _ in range(3):
        await client.threads.create(metadata=tag)
    tid = (await client.threads.create(metadata=tag))["thread_id"]
    await client.runs.wait(tid, "support", input=user(FAQ))

    assert await client.threads.count(metadata=tag) == 4
    assert await client.threads.count(metadata={**tag, "graph_id": "support"}) == 1
    assert await client.threads.count(metadata=tag, status="idle") == 4
    assert await client.threads.count(metadata=tag, values={"status": "faq_answered"}) == 1
    assert await client.threads.count(metadata={"suite": "nobody"}) == 0


async def test_assistants_count(client: LangGraphClient) -> None:
    assert await client.assistants.count() == 1
    assert await client.assistants.count(graph_id="support") == 1
    assert await client.assistants.count(graph_id="elsewhere") == 0


async def test_a_copied_thread_has_the_history_and_the_pending_approval(
    client: LangGraphClient,
) -> None:
    source = await client.threads.create(metadata={"channel": "web"})
    tid = source["thread_id"]
    await client.runs.wait(tid, "support", input=user(FAQ))
    await client.runs.wait(tid, "support", input=user(PLAN_CHANGE))

    copied = await client.threads.copy(tid)

    cid = copied["thread_id"]
    assert cid != tid
    assert copied["metadata"]["channel"] == "web"
    assert copied["status"] == "interrupted"
    original = await client.threads.get_history(tid, limit=100)
    history = await client.threads.get_history(cid, limit=100)
    assert [s["checkpoint"]["checkpoint_id"] for s in history] == [
        s["checkpoint"]["checkpoint_id"] for s in original
    ]
    assert {s["checkpoint"]["thread_id"] for s in history} == {cid}
    done = await client.runs.wait(cid, "support", command={"resume": {"decision": "approve"}})
    assert done["status"] == "resolved"
    assert (await client.threads.get(tid))["status"] == "interrupted"

    with pytest.raises(httpx.HTTPStatusError) as missing:
        await client.threads.copy("no-such-thread")
    assert missing.value.response.status_code == 404


async def test_prune_deletes_or_keeps_only_the_latest_state(client: LangGraphClient) -> None:
    doomed = (await client.threads.create())["thread_id"]
    trimmed = (await client.threads.create())["thread_id"]
    for tid in (doomed, trimmed):
        await client.runs.wait(tid, "support", input=user(FAQ))
    assert len(await client.threads.get_history(trimmed, limit=100)) > 1
    latest = (await client.threads.get_state(trimmed))["values"]

    assert await client.threads.prune([doomed, "no-such-thread"]) == {"pruned_count": 1}
    with pytest.raises(httpx.HTTPStatusError):
        await client.threads.get(doomed)

    kept = await client.threads.prune([trimmed], strategy="keep_latest")
    assert kept == {"pruned_count": 1}
    assert len(await client.threads.get_history(trimmed, limit=100)) == 1
    assert (await client.threads.get_state(trimmed))["values"] == latest


async def test_history_pages_with_before_as_an_id_a_reference_a_config_or_a_checkpoint(
    client: LangGraphClient, http: httpx.AsyncClient
) -> None:
    tid = (await client.threads.create())["thread_id"]
    await client.runs.wait(tid, "support", input=user(FAQ))
    await client.runs.wait(tid, "support", input=user(FAQ))
    everything = await client.threads.get_history(tid, limit=100)
    head = everything[0]["checkpoint"]
    expected = [s["checkpoint"]["checkpoint_id"] for s in everything[1:4]]
    forms: list[Any] = [
        head["checkpoint_id"],
        head,
        {"configurable": head},
        {"v": 4, "id": head["checkpoint_id"], "ts": "2026-01-01T00:00:00+00:00"},
    ]
    for before in forms:
        page = await http.post(f"/threads/{tid}/history", json={"limit": 3, "before": before})
        assert page.status_code == 200, page.text
        assert [s["checkpoint"]["checkpoint_id"] for s in page.json()] == expected


async def test_every_request_is_one_structured_access_line_with_4xx_reasons(
    client: LangGraphClient, http: httpx.AsyncClient, server: ApiServer
) -> None:
    tid = (await client.threads.create())["thread_id"]
    run = await client.runs.create(tid, "support", input=user(FAQ))
    await client.runs.join(tid, run["run_id"])
    await http.post(f"/threads/{tid}/runs", json={"assistant_id": "support", "stream_mode": "x"})
    await http.get("/threads/no-such-thread")

    assert server.log_path is not None
    logged = server.log_path.read_text().splitlines()
    lines = [json.loads(line) for line in logged if line.startswith('{"method"')]
    joined = [line for line in lines if line["path"].endswith(f"{run['run_id']}/join")]
    assert joined and joined[-1]["status"] == 200
    assert joined[-1]["run_id"] == run["run_id"]
    assert joined[-1]["method"] == "GET"
    assert joined[-1]["duration_ms"] >= 0
    created = [line for line in lines if line["path"] == f"/threads/{tid}/runs"]
    assert created[0]["run_id"] == run["run_id"]
    bad = created[-1]
    assert bad["status"] == 422
    assert bad["reason"][0]["loc"] == "body.stream_mode"
    assert "stream mode 'x'" in bad["reason"][0]["msg"]
    missing = [line for line in lines if line["path"] == "/threads/no-such-thread"]
    assert missing[-1] == {
        **missing[-1],
        "status": 404,
        "reason": "thread no-such-thread not found",
    }


@pytest.mark.parametrize("field", ["checkpoint_ns", "checkpoint_id"])
async def test_a_control_character_in_a_checkpoint_reference_is_422(
    http: httpx.AsyncClient, field: str
) -> None:
    """Found by fuzzing: a NUL in the namespace reached the saver and answered 500."""
    tid = (await http.post("/threads", json={})).json()["thread_id"]
    reply = await http.post(
        f"/threads/{tid}/history", json={"limit": 2, "checkpoint": {field: "a\x00b"}}
    )
    assert reply.status_code == 422, reply.text


@pytest.mark.parametrize("since", ["0995-01-28T00:00:00", "0001-01-01T00:00:00+05:00"])
async def test_audit_since_before_1970_reads_from_the_start(
    http: httpx.AsyncClient, since: str
) -> None:
    """Found by fuzzing: a `since` before 1970 became a negative stream id (500)."""
    reply = await http.get("/audit", params={"since": since})
    assert reply.status_code == 200, reply.text
    assert isinstance(reply.json(), list)
