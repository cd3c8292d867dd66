"""The HTTP API, driven only through `langgraph_sdk.get_client` against a real server process.

Threads, approval interrupts and `Command(resume=...)`, state and paged history, every stream
mode, forks from history, enqueued runs, the busy-thread strategies, cancellation, stateless
runs, and the errors a client gets for bad requests.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from langgraph_sdk.client import LangGraphClient

from tests.support.messages import FAQ, OUTAGE, PLAN_CHANGE, TICKET, human_texts, user


async def test_assistant_is_the_support_graph(client: LangGraphClient) -> None:
    found = await client.assistants.search()
    assert [a["graph_id"] for a in found] == ["support"]
    by_id = await client.assistants.get(found[0]["assistant_id"])
    by_graph = await client.assistants.get("support")
    assert by_id == by_graph
    graph = await client.assistants.get_graph("support")
    assert {"guardrail", "router", "faq", "triage"} <= {n["id"] for n in graph["nodes"]}
    schemas = await client.assistants.get_schemas("support")
    assert "messages" in schemas["input_schema"]["properties"]
    subgraphs = await client.assistants.get_subgraphs("support")
    assert {"billing", "technical", "account", "triage"} <= set(subgraphs)


async def test_approval_interrupt_state_history_and_resume(client: LangGraphClient) -> None:
    thread = await client.threads.create(metadata={"channel": "web"})
    tid = thread["thread_id"]
    assert thread["status"] == "idle"

    paused = await client.runs.wait(tid, "support", input=user(PLAN_CHANGE))
    pending = paused["__interrupt__"]
    assert pending[0]["value"]["action"] == "change_plan"

    thread = await client.threads.get(tid)
    assert thread["status"] == "interrupted"
    assert [i["value"]["action"] for task in thread["interrupts"].values() for i in task] == [
        "change_plan"
    ]
    state = await client.threads.get_state(tid)
    assert state["next"] == ["account"]
    assert state["interrupts"][0]["id"] == pending[0]["id"]
    assert state["tasks"][0]["interrupts"]

    done = await client.runs.wait(tid, "support", command={"resume": {"decision": "approve"}})
    assert "__interrupt__" not in done
    assert done["status"] == "resolved"
    assert (await client.threads.get(tid))["status"] == "idle"

    again = await client.runs.wait(tid, "support", input=user(FAQ))
    assert again["status"] == "faq_answered"
    assert human_texts(again) == [PLAN_CHANGE, FAQ]

    runs = await client.runs.list(tid)
    assert [r["status"] for r in runs] == ["success", "success", "success"]

    everything = await client.threads.get_history(tid, limit=100)
    assert len(everything) >= 3
    pages: list[dict[str, Any]] = []
    before: Any = None
    while True:
        page = await client.threads.get_history(tid, limit=2, before=before)
        if not page:
            break
        assert len(page) <= 2
        pages += page
        before = page[-1]["checkpoint"]
    ids = [s["checkpoint"]["checkpoint_id"] for s in pages]
    assert ids == [s["checkpoint"]["checkpoint_id"] for s in everything]
    assert len(set(ids)) == len(ids)

    past = await client.threads.get_state(tid, checkpoint_id=ids[-1])
    assert past["checkpoint"]["checkpoint_id"] == ids[-1]


async def test_resume_with_nothing_pending_is_an_error_not_a_silent_run(
    client: LangGraphClient,
) -> None:
    tid = (await client.threads.create())["thread_id"]
    await client.runs.wait(tid, "support", input=user(FAQ))
    result = await client.runs.wait(
        tid, "support", command={"resume": {"decision": "approve"}}, raise_error=False
    )
    assert "no pending interrupt" in result["__error__"]["message"]
    assert (await client.threads.get(tid))["status"] == "idle"


@pytest.mark.parametrize("mode", ["values", "updates", "messages-tuple", "custom", "debug"])
async def test_stream_modes(client: LangGraphClient, mode: str) -> None:
    tid = (await client.threads.create())["thread_id"]
    text = TICKET if mode == "custom" else FAQ
    # Custom events come from the triage subgraph: LangGraph streams them with subgraphs on.
    parts = [
        p
        async for p in client.runs.stream(
            tid, "support", input=user(text), stream_mode=mode, stream_subgraphs=mode == "custom"
        )
    ]
    events = [p.event for p in parts]
    assert events[0] == "metadata"
    assert "error" not in events
    payload = [p.data for p in parts if p.event != "metadata"]
    assert payload, f"no {mode} events"
    if mode == "values":
        assert payload[-1]["status"] == "faq_answered"
    elif mode == "updates":
        assert {"guardrail", "router", "faq"} <= {k for chunk in payload for k in chunk}
    elif mode == "messages-tuple":
        assert set(events[1:]) == {"messages"}
        texts = [m["content"] for m, _ in payload if m["type"] in ("ai", "AIMessageChunk")]
        assert any("*86" in t or "voicemail" in t.lower() for t in texts)
        nodes = {meta.get("langgraph_node") for _, meta in payload}
        assert "guardrail" not in nodes, "internal screening output leaked into the stream"
    elif mode == "custom":
        assert all(e.startswith("custom|triage:") for e in events[1:])
        assert [chunk["event"] for chunk in payload] == ["ticket_created"]
    elif mode == "debug":
        assert {"checkpoint", "task", "task_result"} <= {chunk["type"] for chunk in payload}


async def test_stream_subgraphs_names_the_namespace(client: LangGraphClient) -> None:
    tid = (await client.threads.create())["thread_id"]
    events = [
        p.event
        async for p in client.runs.stream(
            tid, "support", input=user(PLAN_CHANGE), stream_mode="updates", stream_subgraphs=True
        )
    ]
    assert "updates" in events
    assert any(e.startswith("updates|account:") for e in events)


async def test_fork_from_a_past_checkpoint(client: LangGraphClient) -> None:
    tid = (await client.threads.create())["thread_id"]
    await client.runs.wait(tid, "support", input=user(FAQ))
    first = (await client.threads.get_state(tid))["checkpoint"]["checkpoint_id"]
    await client.runs.wait(tid, "support", input=user(OUTAGE))
    forked = await client.runs.wait(
        tid, "support", input=user("What are your store hours?"), checkpoint_id=first
    )
    assert human_texts(forked) == [FAQ, "What are your store hours?"]
    # One checkpoint per step: the fork's own steps lead back to `first`, never through the
    # OUTAGE turn's.
    history = await client.threads.get_history(tid, limit=100)
    by_id = {s["checkpoint"]["checkpoint_id"]: s for s in history}
    step = (await client.threads.get_state(tid))["checkpoint"]["checkpoint_id"]
    while step != first:
        assert OUTAGE not in human_texts(by_id[step]["values"])
        step = by_id[step]["parent_checkpoint"]["checkpoint_id"]


async def test_enqueued_runs_execute_in_arrival_order(client: LangGraphClient) -> None:
    tid = (await client.threads.create())["thread_id"]
    texts = [FAQ, OUTAGE, "What are your store hours?"]
    runs = [
        await client.runs.create(tid, "support", input=user(t), multitask_strategy="enqueue")
        for t in texts
    ]
    for run in runs:
        await client.runs.join(tid, run["run_id"])
    assert [(await client.runs.get(tid, r["run_id"]))["status"] for r in runs] == ["success"] * 3
    assert human_texts((await client.threads.get_state(tid))["values"]) == texts


async def test_busy_thread_rejects_and_cancels(client: LangGraphClient) -> None:
    tid = (await client.threads.create())["thread_id"]
    waiting = await client.runs.create(tid, "support", input=user(FAQ), after_seconds=30)
    assert (await client.threads.get(tid))["status"] == "busy"

    with pytest.raises(httpx.HTTPStatusError) as refused:
        await client.runs.wait(tid, "support", input=user(OUTAGE), multitask_strategy="reject")
    assert refused.value.response.status_code == 409

    await client.runs.cancel(tid, waiting["run_id"], wait=True)
    assert (await client.runs.get(tid, waiting["run_id"]))["status"] == "interrupted"
    after = await client.runs.wait(tid, "support", input=user(OUTAGE), multitask_strategy="reject")
    assert human_texts(after) == [OUTAGE]


async def test_interrupt_strategy_cancels_the_run_in_the_way(client: LangGraphClient) -> None:
    tid = (await client.threads.create())["thread_id"]
    slow = await client.runs.create(tid, "support", input=user(FAQ), after_seconds=30)
    done = await client.runs.wait(
        tid, "support", input=user(OUTAGE), multitask_strategy="interrupt"
    )
    assert human_texts(done) == [OUTAGE]
    assert (await client.runs.get(tid, slow["run_id"]))["status"] == "interrupted"


async def test_rollback_strategy_deletes_the_run_in_the_way(client: LangGraphClient) -> None:
    tid = (await client.threads.create())["thread_id"]
    slow = await client.runs.create(tid, "support", input=user(FAQ), after_seconds=30)
    await client.runs.wait(tid, "support", input=user(OUTAGE), multitask_strategy="rollback")
    with pytest.raises(httpx.HTTPStatusError) as gone:
        await client.runs.get(tid, slow["run_id"])
    assert gone.value.response.status_code == 404


async def test_stateless_runs_leave_no_thread(client: LangGraphClient) -> None:
    before = {t["thread_id"] for t in await client.threads.search(limit=1000)}
    result = await client.runs.wait(None, "support", input=user(FAQ))
    assert result["status"] == "faq_answered"
    parts = [p async for p in client.runs.stream(None, "support", input=user(FAQ))]
    assert parts[-1].data["status"] == "faq_answered"
    after = {t["thread_id"] for t in await client.threads.search(limit=1000)}
    assert after == before


async def test_thread_crud_and_search(client: LangGraphClient) -> None:
    thread = await client.threads.create(metadata={"team": "crud"})
    tid = thread["thread_id"]
    with pytest.raises(httpx.HTTPStatusError) as exists:
        await client.threads.create(thread_id=tid)
    assert exists.value.response.status_code == 409
    same = await client.threads.create(thread_id=tid, if_exists="do_nothing")
    assert same["thread_id"] == tid
    patched = await client.threads.update(tid, metadata={"priority": "high"})
    assert patched["metadata"] == {"team": "crud", "priority": "high"}
    found = await client.threads.search(metadata={"team": "crud"})
    assert [t["thread_id"] for t in found] == [tid]
    await client.threads.update_state(tid, {"customer_id": "C-1006"})
    assert (await client.threads.get_state(tid))["values"]["customer_id"] == "C-1006"
    await client.threads.delete(tid)
    with pytest.raises(httpx.HTTPStatusError) as missing:
        await client.threads.get(tid)
    assert missing.value.response.status_code == 404


@pytest.mark.parametrize(
    ("request_kwargs", "field"),
    [
        ({"input": user(FAQ, customer="nobody")}, "customer_id"),
        ({"input": user(FAQ), "stream_mode": "telepathy"}, "stream_mode"),
        ({"input": user(FAQ), "interrupt_before": ["no_such_node"]}, "interrupt_before"),
        ({"input": {"messages": 42}}, "input.messages"),
        ({"input": user(FAQ), "command": {"resume": 1}}, "command"),
    ],
)
async def test_bad_run_requests_are_422_naming_the_field(
    client: LangGraphClient, request_kwargs: dict[str, Any], field: str
) -> None:
    tid = (await client.threads.create())["thread_id"]
    with pytest.raises(httpx.HTTPStatusError) as bad:
        await client.runs.create(tid, "support", **request_kwargs)
    assert bad.value.response.status_code == 422
    assert field in bad.value.response.text


async def test_unknown_resources_are_404(client: LangGraphClient) -> None:
    tid = (await client.threads.create())["thread_id"]
    calls = [
        client.threads.get("no-such-thread"),
        client.assistants.get("no-such-assistant"),
        client.runs.get(tid, "no-such-run"),
        client.runs.wait(tid, "no-such-assistant", input=user(FAQ)),
        client.runs.wait("no-such-thread", "support", input=user(FAQ)),
        client.threads.get_state(tid, checkpoint_id="no-such-checkpoint"),
    ]
    for call in calls:
        with pytest.raises(httpx.HTTPStatusError) as missing:
            await call
        assert missing.value.response.status_code == 404


async def test_if_not_exists_create(client: LangGraphClient) -> None:
    result = await client.runs.wait(
        "created-by-run-" + str(id(client)), "support", input=user(FAQ), if_not_exists="create"
    )
    assert result["status"] == "faq_answered"


async def test_concurrent_waits_on_one_thread_never_interleave(client: LangGraphClient) -> None:
    tid = (await client.threads.create())["thread_id"]
    texts = [f"How do I reset my voicemail PIN? (asked {i})" for i in range(6)]
    await asyncio.gather(*(client.runs.wait(tid, "support", input=user(t)) for t in texts))
    messages = (await client.threads.get_state(tid))["values"]["messages"]
    kinds = [m["type"] for m in messages]
    assert sorted(human_texts({"messages": messages})) == sorted(texts)
    for index, kind in enumerate(kinds[:-1]):
        if kind == "human":
            assert kinds[index + 1] != "human", "two turns interleaved on one thread"
