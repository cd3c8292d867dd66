"""An approval nobody decides in time is rejected, audited as `system`, and the customer told."""

from __future__ import annotations

import time

import httpx
import pytest

from tests.support.api_server import ApiServer


@pytest.fixture(scope="module")
def server_env() -> dict[str, str]:
    return {"SUPPORTGRAPH_KEY_PREFIX": "sgtimeout", "SUPPORTGRAPH_APPROVAL_TIMEOUT": "3s"}


def test_an_undecided_approval_is_rejected_and_the_customer_told(server: ApiServer) -> None:
    with httpx.Client(base_url=server.url, timeout=60) as http:
        thread = http.post("/threads", json={}).json()["thread_id"]
        waiting = http.post(
            f"/threads/{thread}/runs/wait",
            json={
                "assistant_id": "support",
                "input": {
                    "messages": [
                        {"role": "user", "content": "Please refund the Nimbus Protect charge"}
                    ],
                    "customer_id": "C-1015",
                },
            },
        ).json()
        assert waiting["__interrupt__"][0]["value"]["kind"] == "approval"
        assert http.get(f"/threads/{thread}").json()["status"] == "interrupted"

        deadline = time.monotonic() + 30
        while http.get(f"/threads/{thread}").json()["status"] != "idle":
            assert time.monotonic() < deadline, "the approval never timed out"
            time.sleep(0.5)
        state = http.get(f"/threads/{thread}/state").json()
        assert state["next"] == []
        last = state["values"]["messages"][-1]["content"]
        assert "no operator decided in time" in last
        rejected = [
            e
            for e in http.get("/audit", params={"thread_id": thread}).json()
            if e["action"] == "reject"
        ]
        assert [(e["actor"], e["arguments"]["reason"]) for e in rejected] == [
            ("system", "no operator decided in time")
        ]
        assert http.get("/inbox").json() == []
