"""`langgraph dev` serves the support graph from `langgraph.json`, checkpointed to Redis.

The server runs as `langgraph dev` itself (a subprocess started in the repo root, offline) and
is driven only through `langgraph_sdk`, as Studio drives it. Every proxy-aware HTTP client in
the server is pointed at a local proxy that records and refuses each request, so the test also
proves the server does not try to reach the internet (telemetry, version checks, LangSmith).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import redis.asyncio as aioredis
from langgraph_sdk import get_client

from state.checkpointer import open_checkpointer
from state.redis_server import free_port

REPO_ROOT = Path(__file__).resolve().parents[2]
LANGGRAPH = Path(sys.executable).with_name("langgraph")
START_TIMEOUT = 120.0  # a first start on a fresh checkout also trains the offline models
STOP_TIMEOUT = 15.0

REFUND_REQUEST = "Please refund the $10 late fee on my June invoice. I paid on time."


class RefusingProxy:
    """An HTTP(S) proxy that records the first line of every request and answers nothing."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self._sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._sock.getsockname()[1]}"
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return  # closed
            with conn:
                conn.settimeout(2.0)
                try:
                    first_line = conn.recv(4096).split(b"\r\n", 1)[0]
                except OSError:
                    first_line = b"<no request line>"
                self.requests.append(first_line.decode(errors="replace"))

    def close(self) -> None:
        self._sock.close()


@dataclass
class DevServer:
    url: str
    process: subprocess.Popen[bytes]
    log_path: Path
    proxy: RefusingProxy

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def _offline_env(redis_url: str, proxy_url: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("LANGSMITH_", "LANGCHAIN_", "OPENAI_", "SUPPORTGRAPH_"))
        and key.lower() not in ("http_proxy", "https_proxy", "all_proxy", "no_proxy")
    }
    env.update(
        REDIS_URL=redis_url,
        SUPPORTGRAPH_MODEL_BACKEND="offline",
        LANGGRAPH_CLI_NO_ANALYTICS="1",  # langgraph-cli posts every command to Supabase
        LANGGRAPH_NO_VERSION_CHECK="true",  # langgraph-api asks pypi.org for newer releases
        LANGSMITH_TRACING="false",
        LANGCHAIN_TRACING_V2="false",
        HTTP_PROXY=proxy_url,
        HTTPS_PROXY=proxy_url,
        ALL_PROXY=proxy_url,
        NO_PROXY="127.0.0.1,localhost",
        PYTHONUNBUFFERED="1",
    )
    return env


def _wait_ok(server: DevServer, deadline: float) -> None:
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            break
        try:
            with urllib.request.urlopen(f"{server.url}/ok", timeout=2.0) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"langgraph dev did not answer {server.url}/ok:\n{server.log()}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=STOP_TIMEOUT)


@pytest.fixture(scope="module")
def dev_server(redis_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevServer]:
    proxy = RefusingProxy()
    port = free_port()
    log_path = tmp_path_factory.mktemp("langgraph-dev") / "server.log"
    command = [str(LANGGRAPH), "dev", "--no-browser", "--no-reload", "--port", str(port)]
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            [*command, "--host", "127.0.0.1"],
            cwd=REPO_ROOT,
            env=_offline_env(redis_url, proxy.url),
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    server = DevServer(f"http://127.0.0.1:{port}", process, log_path, proxy)
    try:
        _wait_ok(server, time.monotonic() + START_TIMEOUT)
        if "already in use" in server.log():  # langgraph dev silently moves to another port
            raise RuntimeError(f"port {port} was taken:\n{server.log()}")
        yield server
    finally:
        _stop(process)
        proxy.close()


async def _redis_keys(redis_url: str, thread_id: str) -> list[str]:
    async with aioredis.Redis.from_url(redis_url, decode_responses=True) as client:
        return [key async for key in client.scan_iter(match=f"*{thread_id}*", count=1000)]


async def _studio_flow(server: DevServer, redis_url: str) -> None:
    client = get_client(url=server.url, api_key=None)
    thread = await client.threads.create()
    thread_id = thread["thread_id"]

    request: dict[str, Any] = {
        "messages": [{"role": "user", "content": REFUND_REQUEST}],
        "customer_id": "C-1006",
    }
    await client.runs.wait(thread_id, "support", input=request)
    paused = await client.threads.get_state(thread_id)
    assert paused["next"] == ["billing"]
    assert len(paused["interrupts"]) == 1
    approval: Any = paused["interrupts"][0]["value"]
    assert approval["kind"] == "approval"
    assert approval["action"] == "request_refund"
    assert approval["customer_id"] == "C-1006"

    await client.runs.wait(thread_id, "support", command={"resume": {"decision": "approve"}})
    final = await client.threads.get_state(thread_id)
    values: Any = final["values"]
    assert final["next"] == []
    assert final["interrupts"] == []
    assert values["status"] == "resolved"
    committed = [m for m in values["messages"] if m.get("name") == "request_refund"]
    assert len(committed) == 1
    reference = re.search(r"\(reference (ACT-[0-9A-F]+)\)", committed[0]["content"])
    assert reference is not None, committed[0]["content"]
    reply = values["messages"][-1]
    assert reply["type"] == "ai"
    assert "refund" in reply["content"].lower()
    assert reference.group(1) in reply["content"]

    # The state the server reports is the checkpoint in Redis: the checkpointer.path wiring.
    checkpoint_id = final["checkpoint"]["checkpoint_id"]
    keys = await _redis_keys(redis_url, thread_id)
    assert f"checkpoint:{thread_id}:__empty__:{checkpoint_id}" in keys
    assert any(key.startswith(f"checkpoint:{thread_id}:billing:") for key in keys)
    async with open_checkpointer(redis_url) as saver:
        stored = await saver.aget_tuple({"configurable": {"thread_id": thread_id}})
    assert stored is not None
    assert stored.config["configurable"]["checkpoint_id"] == checkpoint_id
    assert stored.checkpoint["channel_values"]["status"] == "resolved"

    # Deleting the thread in Studio deletes its checkpoints from Redis.
    await client.threads.delete(thread_id)
    assert await _redis_keys(redis_url, thread_id) == []


async def test_studio_refund_is_approved_and_checkpointed_in_redis(
    dev_server: DevServer, redis_url: str
) -> None:
    try:
        await _studio_flow(dev_server, redis_url)
        assert dev_server.proxy.requests == [], "langgraph dev tried to reach the internet"
    except BaseException:
        print(f"--- langgraph dev log ({dev_server.log_path}) ---\n{dev_server.log()}")
        raise
