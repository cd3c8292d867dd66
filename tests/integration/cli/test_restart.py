"""Interrupted threads survive a SIGKILLed process and a restarted Redis."""

from __future__ import annotations

import json
import signal
import subprocess
import time
import uuid
from pathlib import Path

import pytest
import redis

from state.redis_server import ManagedRedis
from tests.support.cli import CLI, cli_env
from tests.support.paths import REPO_ROOT

REPO = REPO_ROOT
REFUND = "Please refund the $10 late fee on my June invoice. I paid on time."


def start_chat(redis_url: str, thread: str, cache_dir: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*CLI, "chat", "--thread", thread, "--customer", "C-1006"],
        cwd=REPO,
        env=cli_env(redis_url, cache_dir, PYTHONUNBUFFERED="1"),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def read_until(process: subprocess.Popen[str], marker: str, timeout: float = 90.0) -> str:
    """Everything the process printed up to (and including) the line holding `marker`."""
    assert process.stdout is not None
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        seen.append(line)
        if marker in line:
            return "".join(seen)
    process.kill()
    raise AssertionError(f"never printed {marker!r}; output was:\n{''.join(seen)}")


def committed_refunds(redis_url: str, thread: str) -> list[dict[str, object]]:
    client = redis.Redis.from_url(redis_url)
    found = []
    for key in client.scan_iter(match="sg:action:*"):
        doc = client.json().get(key)
        if isinstance(doc, dict) and doc.get("thread_id") == thread:
            found.append(doc)
    return found


def test_approval_survives_sigkill_and_completes_once(
    redis_url: str, brain_cache_dir: Path
) -> None:
    thread = f"restart-{uuid.uuid4().hex[:8]}"
    first = start_chat(redis_url, thread, brain_cache_dir)
    assert first.stdin is not None
    first.stdin.write(REFUND + "\n")
    first.stdin.flush()
    before = read_until(first, "operator:")
    assert '"action": "request_refund"' in before
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)

    second = start_chat(redis_url, thread, brain_cache_dir)
    after = read_until(second, "operator:")
    assert '"action": "request_refund"' in after, "the restarted process lost the approval"
    assert '"invoice_id": "INV-1006-250608"' in after
    assert second.stdin is not None
    second.stdin.write("approve\n")
    second.stdin.flush()
    done = read_until(second, "status=resolved")
    second.stdin.close()
    second.wait(timeout=30)
    assert "approved" in done
    refunds = committed_refunds(redis_url, thread)
    assert len(refunds) == 1, refunds
    assert json.loads(json.dumps(refunds[0]["arguments"]))["amount"] == 10.0


@pytest.mark.timeout(180)
async def test_thread_survives_managed_redis_restart(tmp_path: Path, brain_cache_dir: Path) -> None:
    from api.bootstrap import open_support_app
    from api.turns import read_turn, resume_turn, send_message
    from state.settings import Settings

    server = ManagedRedis(tmp_path / "redis")
    url = server.ensure_running()
    settings = Settings(redis_url=url, model_backend="offline", cache_dir=brain_cache_dir)
    thread = "redis-restart"
    try:
        async with open_support_app(settings) as app:
            paused = await send_message(app.graph, thread, REFUND, "C-1006")
        assert paused.interrupted
        server.stop()
        assert not server.status().running
        url = server.ensure_running()
        settings = Settings(redis_url=url, model_backend="offline", cache_dir=brain_cache_dir)
        async with open_support_app(settings) as app:
            again = await read_turn(app.graph, thread)
            assert again.interrupted
            assert again.interrupts[0]["value"]["action"] == "request_refund"
            finished = await resume_turn(app.graph, thread, {"decision": "approve"})
            assert finished.status == "resolved"
            assert len(await app.deps.records.list_actions()) == 1
    finally:
        server.stop()
