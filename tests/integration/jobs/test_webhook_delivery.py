"""Run webhooks through the task queue: signed, retried after a 500, delivered once; SSRF-safe.

The receiver is a local HTTP server this test starts (127.0.0.1 is on the stack's allow-list);
it answers 500 to the first delivery and 200 afterwards.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from state.redis_server import free_port
from tests.support.job_flows import new_thread
from tests.support.job_stack import WEBHOOK_SECRET, Stack, eventually
from tests.support.messages import FAQ, user


@dataclass
class Receiver:
    url: str
    failures_left: int = 1
    received: list[tuple[int, dict[str, str], bytes]] = field(default_factory=list)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    port = free_port()
    state = Receiver(url=f"http://127.0.0.1:{port}/hook")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["content-length"]))
            answer = 500 if state.failures_left > 0 else 200
            state.failures_left -= 1
            state.received.append((answer, dict(self.headers.items()), body))
            self.send_response(answer)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()


async def test_webhook_is_signed_retried_after_a_500_and_delivered_once(
    stack: Stack, http: httpx.AsyncClient, receiver: Receiver
) -> None:
    thread_id = await new_thread(http)
    response = await http.post(
        f"/threads/{thread_id}/runs/wait",
        json={"assistant_id": "support", "input": user(FAQ), "webhook": receiver.url},
    )
    response.raise_for_status()

    async def delivered() -> bool:
        return any(answer == 200 for answer, _, _ in receiver.received)

    await eventually(delivered, within=60)
    await asyncio.sleep(3.0)  # nothing comes after the delivery that succeeded
    assert [answer for answer, _, _ in receiver.received] == [500, 200]
    deliveries = {headers["X-Supportgraph-Delivery"] for _, headers, _ in receiver.received}
    assert len(deliveries) == 1  # one attempt id, retried
    for _, headers, body in receiver.received:
        expected = hmac.new(WEBHOOK_SECRET.encode(), body, hashlib.sha256).hexdigest()
        assert hmac.compare_digest(headers["X-Supportgraph-Signature"], f"sha256={expected}")
    payload = json.loads(receiver.received[-1][2])
    assert payload["thread_id"] == thread_id and payload["status"] == "success"
    assert payload["values"]["status"] == "faq_answered"


@pytest.mark.parametrize(
    "url",
    [
        "http://10.1.2.3/hook",  # private
        "http://localhost:9/hook",  # loopback by name, not on the allow-list
        "http://[::1]:9/hook",  # loopback v6
        "http://169.254.169.254/latest/meta-data",  # link-local (cloud metadata)
        "ftp://example.com/hook",
    ],
)
async def test_webhooks_to_private_or_odd_targets_are_refused(
    stack: Stack, http: httpx.AsyncClient, url: str
) -> None:
    thread_id = await new_thread(http)
    response = await http.post(
        f"/threads/{thread_id}/runs/wait",
        json={"assistant_id": "support", "input": user(FAQ), "webhook": url},
    )
    assert response.status_code == 422
    assert "webhook" in response.text
