"""What a browser client (agent-chat-ui, Studio, `useStream`) needs from a real server process:
CORS, JSON bodies whatever their content type, tolerant input, threads it can find again by
graph, and every stream mode the SDK names either streamed or refused by name."""

from __future__ import annotations

import httpx
import pytest
from langgraph_sdk.client import LangGraphClient

from api.http.services import ASSISTANT_ID
from tests.support.messages import FAQ, REFUND, user

LOCAL_PAGE = "http://localhost:3000"
SDK_HEADERS = "x-api-key, authorization, content-type, last-event-id"


async def test_a_local_page_passes_the_preflight_with_the_sdks_headers(
    http: httpx.AsyncClient,
) -> None:
    preflight = await http.options(
        "/threads",
        headers={
            "Origin": LOCAL_PAGE,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": SDK_HEADERS,
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == LOCAL_PAGE
    allowed = preflight.headers["access-control-allow-headers"].lower()
    for header in SDK_HEADERS.split(", "):
        assert header in allowed

    created = await http.post("/threads", json={}, headers={"Origin": LOCAL_PAGE})
    assert created.headers["access-control-allow-origin"] == LOCAL_PAGE
    exposed = created.headers["access-control-expose-headers"].lower()
    assert "content-location" in exposed
    assert "location" in exposed.split(", ")


async def test_a_foreign_origin_is_not_allowed_by_default(http: httpx.AsyncClient) -> None:
    preflight = await http.options(
        "/threads",
        headers={"Origin": "https://elsewhere.example", "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in preflight.headers
    answered = await http.get("/ok", headers={"Origin": "https://elsewhere.example"})
    assert "access-control-allow-origin" not in answered.headers


async def test_a_json_body_sent_as_text_plain_is_read_as_json(http: httpx.AsyncClient) -> None:
    plain = {"Content-Type": "text/plain;charset=UTF-8"}
    created = await http.post("/threads", content=b'{"metadata": {"via": "proxy"}}', headers=plain)
    assert created.status_code == 200, created.text
    tid = created.json()["thread_id"]
    assert created.json()["metadata"] == {"via": "proxy"}
    body = httpx.Request("POST", "/", json={"assistant_id": "support", "input": user(FAQ)})
    done = await http.post(f"/threads/{tid}/runs/wait", content=body.read(), headers=plain)
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "faq_answered"
    bare = await http.post("/threads/search", content=b'{"metadata": {"via": "proxy"}}')
    assert [t["thread_id"] for t in bare.json()] == [tid]


async def test_unknown_input_keys_are_ignored_but_known_ones_stay_strict(
    client: LangGraphClient,
) -> None:
    tid = (await client.threads.create())["thread_id"]
    extra = {**user(FAQ), "context": {"page": "/chat"}, "ui": []}
    done = await client.runs.wait(tid, "support", input=extra)
    assert done["status"] == "faq_answered"
    assert "context" not in done

    with pytest.raises(httpx.HTTPStatusError) as bad:
        await client.runs.wait(tid, "support", input={**extra, "customer_id": "nobody"})
    assert bad.value.response.status_code == 422
    assert "customer_id" in bad.value.response.text


async def test_a_run_stamps_its_graph_and_assistant_on_the_thread(
    client: LangGraphClient,
) -> None:
    thread = await client.threads.create(metadata={"channel": "web"})
    tid = thread["thread_id"]
    assert "graph_id" not in thread["metadata"]
    await client.runs.wait(tid, ASSISTANT_ID, input=user(FAQ))

    stamped = (await client.threads.get(tid))["metadata"]
    assert stamped == {"channel": "web", "graph_id": "support", "assistant_id": ASSISTANT_ID}
    by_graph = await client.threads.search(metadata={"graph_id": "support"}, limit=1000)
    by_assistant = await client.threads.search(metadata={"assistant_id": ASSISTANT_ID}, limit=1000)
    assert tid in {t["thread_id"] for t in by_graph}
    assert tid in {t["thread_id"] for t in by_assistant}


async def test_platform_messages_mode_sends_metadata_then_whole_messages(
    client: LangGraphClient,
) -> None:
    tid = (await client.threads.create())["thread_id"]
    parts = [
        p async for p in client.runs.stream(tid, "support", input=user(FAQ), stream_mode="messages")
    ]
    events = [p.event for p in parts]
    assert events[0] == "metadata"
    assert "error" not in events
    assert "messages/metadata" in events
    finished = [p.data[0] for p in parts if p.event in ("messages/partial", "messages/complete")]
    assert any("voicemail" in str(m["content"]).lower() for m in finished)
    first_meta = events.index("messages/metadata")
    assert events[first_meta + 1].startswith("messages/")


@pytest.mark.parametrize("mode", ["tasks", "checkpoints", "events"])
async def test_tasks_checkpoints_and_events_modes_stream(
    client: LangGraphClient, mode: str
) -> None:
    tid = (await client.threads.create())["thread_id"]
    parts = [p async for p in client.runs.stream(tid, "support", input=user(FAQ), stream_mode=mode)]
    events = {p.event for p in parts}
    assert events == {"metadata", mode}
    payload = [p.data for p in parts if p.event == mode]
    if mode == "tasks":
        assert {"guardrail", "router", "faq"} <= {t["name"] for t in payload}
    elif mode == "events":  # what Agent Inbox reads
        starts = [
            e["metadata"]["langgraph_node"] for e in payload if e["event"] == "on_chain_start"
        ]
        assert {"guardrail", "router", "faq"} <= set(starts)
        inside = {e["event"] for e in payload}  # and inside the nodes, as astream_events
        assert {
            "on_chat_model_start",
            "on_chat_model_end",
            "on_tool_start",
            "on_tool_end",
        } <= inside
        handoff = next(e for e in payload if e["event"] == "on_tool_start")
        assert handoff["name"] == "transfer_to_faq"
        assert handoff["metadata"]["langgraph_node"] == "router"  # hands off in its own step
        models = [e for e in payload if e["event"] == "on_chat_model_start"]
        assert {"guardrail", "router"} <= {e["metadata"]["langgraph_node"] for e in models}
    else:
        assert payload[-1]["values"]["status"] == "faq_answered"


@pytest.mark.parametrize("mode", ["tools", "lifecycle", "telepathy"])
async def test_a_mode_the_server_cannot_stream_is_a_422_naming_it(
    client: LangGraphClient, mode: str
) -> None:
    tid = (await client.threads.create())["thread_id"]
    with pytest.raises(httpx.HTTPStatusError) as refused:
        await client.runs.create(tid, "support", input=user(FAQ), stream_mode=[mode])
    assert refused.value.response.status_code == 422
    assert f"stream mode '{mode}'" in refused.value.response.text


async def test_the_approval_is_a_hitl_request_that_decisions_resume(
    client: LangGraphClient,
) -> None:
    tid = (await client.threads.create())["thread_id"]
    paused = await client.runs.wait(tid, "support", input=user(REFUND, "C-1006"))
    [pending] = paused["__interrupt__"]
    value = pending["value"]
    assert value["kind"] == "approval"
    assert value["action_requests"][0]["name"] == "request_refund"
    assert value["review_configs"][0]["allowed_decisions"] == ["approve", "edit", "reject"]
    thread = await client.threads.get(tid)
    [[listed]] = thread["interrupts"].values()
    assert listed["value"]["action_requests"] == value["action_requests"]

    # What agent-chat-ui's buttons send: `input: {}` beside the command.
    malformed = await client.runs.wait(
        tid, "support", input={}, command={"resume": {"decisions": [{"type": "perhaps"}]}}
    )
    assert "'perhaps'" in malformed["__interrupt__"][0]["value"]["error"]
    assert (await client.threads.get(tid))["status"] == "interrupted"

    done = await client.runs.wait(
        tid, "support", input={}, command={"resume": {"decisions": [{"type": "approve"}]}}
    )
    assert "__interrupt__" not in done
    assert done["status"] == "resolved"
    assert "refund of $10.00 was approved" in done["messages"][-1]["content"]


async def test_a_customer_message_while_an_approval_waits_is_answered_not_dropped(
    client: LangGraphClient,
) -> None:
    tid = (await client.threads.create())["thread_id"]
    await client.runs.wait(tid, "support", input=user(REFUND, "C-1006"))
    pending_call = (await client.threads.get_state(tid))["tasks"][0]
    assert pending_call["interrupts"]

    answered = await client.runs.wait(tid, "support", input=user(FAQ, "C-1006"))

    assert answered["status"] == "faq_answered"
    assert "__interrupt__" not in answered
    tools = [m for m in answered["messages"] if m["type"] == "tool"]
    withdrawn = [m for m in tools if m["name"] == "request_refund"]
    assert len(withdrawn) == 1
    assert "withdrawn" in withdrawn[0]["content"]
    assert (await client.threads.get(tid))["status"] == "idle"


async def test_a_customer_message_while_a_handoff_waits_is_answered_and_it_stays_pending(
    client: LangGraphClient,
) -> None:
    tid = (await client.threads.create())["thread_id"]
    first = await client.runs.wait(tid, "support", input=user("I need a real person", "C-1006"))
    assert first["__interrupt__"][0]["value"]["kind"] == "handoff"

    again = await client.runs.wait(tid, "support", input=user(FAQ, "C-1006"))

    [pending] = again["__interrupt__"]
    assert pending["value"]["kind"] == "handoff"
    assert again["status"] == "handed_to_human"
    assert "message is with our support team" in again["messages"][-1]["content"]
    assert (await client.threads.get(tid))["status"] == "interrupted"
    reply = {"resume": {"decision": "reply", "message": "Sam here."}}
    answered = await client.runs.wait(tid, "support", command=reply)
    assert answered["messages"][-1]["content"] == "Sam here."
