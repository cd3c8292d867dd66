"""Kill switches and takeover over real HTTP: operators only, audited, shared by every server
on the same Redis within a second."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.api_server import ApiServer

REFUND = "I want a refund of the late payment fee"
OPERATOR, SERVICE = "op-key-switches", "svc-key-switches"
KEYS = json.dumps(
    {
        OPERATOR: {"role": "operator", "name": "Dana"},
        SERVICE: {"role": "service", "name": "backend"},
    }
)


@pytest.fixture(scope="module")
def servers(
    redis_url: str, brain_cache_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[ApiServer, ApiServer]]:
    logs = tmp_path_factory.mktemp("switches")
    env = {"SUPPORTGRAPH_KEY_PREFIX": "sgswitch"}
    first = ApiServer(redis_url, brain_cache_dir, api_keys=KEYS, log_path=logs / "a.log", env=env)
    second = ApiServer(redis_url, brain_cache_dir, api_keys=KEYS, log_path=logs / "b.log", env=env)
    first.start()
    second.start()
    yield first, second
    first.stop()
    second.stop()


def client(server: ApiServer, key: str = OPERATOR) -> httpx.Client:
    return httpx.Client(base_url=server.url, headers={"x-api-key": key}, timeout=60)


@pytest.fixture
def operator(servers: tuple[ApiServer, ApiServer]) -> Iterator[httpx.Client]:
    with client(servers[0]) as http:
        yield http
        http.put("/switches", json={"sensitive_actions": "active", "assistant": "on"})


def say(http: httpx.Client, thread_id: str, text: str, customer: str = "C-1006") -> Any:
    body = {
        "assistant_id": "support",
        "input": {"messages": [{"role": "user", "content": text}], "customer_id": customer},
    }
    answer = http.post(f"/threads/{thread_id}/runs/wait", json=body)
    assert answer.status_code == 200, answer.text
    return answer.json()


def new_thread(http: httpx.Client) -> str:
    created = http.post("/threads", json={})
    assert created.status_code == 200, created.text
    return str(created.json()["thread_id"])


def audit(http: httpx.Client, **query: str) -> list[dict[str, Any]]:
    found = http.get("/audit", params=query)
    assert found.status_code == 200, found.text
    return list(found.json())


def test_switches_default_to_normal_and_only_operators_flip_them(
    servers: tuple[ApiServer, ApiServer], operator: httpx.Client
) -> None:
    assert operator.get("/switches").json() == {"sensitive_actions": "active", "assistant": "on"}
    with client(servers[0], SERVICE) as service:
        assert service.get("/switches").status_code == 403
        assert service.put("/switches", json={"assistant": "off"}).status_code == 403
    assert operator.put("/switches", json={"assistant": "sideways"}).status_code == 422
    assert operator.get("/switches").json()["assistant"] == "on"


def test_paused_sensitive_actions_open_a_ticket_and_tell_the_customer(
    operator: httpx.Client,
) -> None:
    flipped = operator.put("/switches", json={"sensitive_actions": "paused"})
    assert flipped.json() == {"sensitive_actions": "paused", "assistant": "on"}
    values = say(operator, new_thread(operator), REFUND)
    assert "__interrupt__" not in values
    assert values["status"] == "ticket_created"
    assert values["ticket_id"].startswith("TKT-")
    last = values["messages"][-1]["content"]
    assert "paused" in last and values["ticket_id"] in last
    flips = [e for e in audit(operator, actor="Dana") if e["action"] == "switch"]
    assert flips[-1]["arguments"] == {"sensitive_actions": {"from": "active", "to": "paused"}}


def test_a_switch_flipped_on_one_server_applies_on_the_other_within_a_second(
    servers: tuple[ApiServer, ApiServer], operator: httpx.Client
) -> None:
    with client(servers[1]) as other:
        say(other, new_thread(other), "How do I reset my voicemail PIN?")  # warm its cache
        operator.put("/switches", json={"assistant": "off"})
        time.sleep(1.0)
        values = say(other, new_thread(other), "How do I reset my voicemail PIN?")
    assert values["status"] == "handed_to_human"
    waiting = values["__interrupt__"][0]["value"]
    assert waiting["kind"] == "handoff" and waiting["reason"] == "the assistant is switched off"


def test_takeover_reply_and_hand_back_are_audited_with_the_operator(
    servers: tuple[ApiServer, ApiServer], operator: httpx.Client
) -> None:
    tid = new_thread(operator)
    assert say(operator, tid, "How do I reset my voicemail PIN?")["status"] == "faq_answered"
    with client(servers[0], SERVICE) as service:
        assert service.post(f"/threads/{tid}/takeover").status_code in (403, 404)
    assert operator.post(f"/threads/{tid}/takeover").json()["operator"] == "Dana"

    wrote = operator.post(f"/threads/{tid}/operator_messages", json={"message": "Hi, Dana here."})
    assert wrote.status_code == 200, wrote.text
    values = say(operator, tid, "Thanks, can you check my bill?")
    assert values["status"] == "handed_to_human"
    assert "Dana took this conversation over" in values["__interrupt__"][0]["value"]["reason"]
    notices = [m for m in values["messages"] if m["type"] == "ai" and m.get("name") == "handoff"]
    assert notices == []  # Dana already talks with the customer: no "connecting you" notice
    inbox = operator.get("/inbox", params={"kind": "handoff"}).json()
    assert any(i["thread_id"] == tid and i["held_by"] == "Dana" for i in inbox)
    assert all(i["kind"] == "handoff" for i in inbox)
    earlier_name = operator.get("/inbox", params={"kind": "human"}).json()  # old clients
    assert [i["thread_id"] for i in earlier_name] == [i["thread_id"] for i in inbox]
    replied = operator.post(f"/threads/{tid}/operator_messages", json={"message": "All paid."})
    assert replied.status_code == 200, replied.text
    assert replied.json()["messages"][-1] == {**replied.json()["messages"][-1], "name": "operator"}

    assert operator.delete(f"/threads/{tid}/takeover").json()["held"] is False
    assert say(operator, tid, "How do I reset my voicemail PIN?")["status"] == "faq_answered"
    kinds = [(e["action"], e["actor"]) for e in audit(operator, thread_id=tid)]
    assert ("take_over", "Dana") in kinds and ("hand_back", "Dana") in kinds
    assert kinds.count(("operator_reply", "Dana")) == 2
