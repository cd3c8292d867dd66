"""Schemathesis against the server's own OpenAPI spec: no 500, no hang, no run left busy.

Schemathesis runs as its own command against a real server process: every operation gets
generated requests (valid and invalid bodies, paths and query strings derived from the
schema, then stateful sequences following the links between operations). The test asserts
the count of generated cases, that none drew a 5xx or timed out, and that no thread was left
busy afterwards.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import orjson
import pytest

from tests.support.api_server import ApiServer

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
MIN_CASES = 1000
EXAMPLES_PER_OPERATION = 25
REQUEST_TIMEOUT = 30


@pytest.fixture(scope="module")
def server_env() -> dict[str, str]:
    """Its own key prefix: fuzzed kill switches and takeovers must not reach other tests."""
    return {"SUPPORTGRAPH_KEY_PREFIX": "sgfuzz"}


def test_generated_requests_never_get_a_server_error(server: ApiServer) -> None:
    command = [
        str(SCHEMATHESIS),
        "run",
        f"{server.url}/openapi.json",
        "--checks",
        "not_a_server_error",
        "--max-examples",
        str(EXAMPLES_PER_OPERATION),
        "--request-timeout",
        str(REQUEST_TIMEOUT),
        "--seed",
        "20261123",
        "--no-color",
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=1800, check=False)
    report = done.stdout + done.stderr
    generated = re.search(r"(\d+) generated", report)
    assert generated is not None, report[-3000:]
    assert int(generated.group(1)) >= MIN_CASES, report[-3000:]
    assert done.returncode == 0, report[-6000:]
    assert "Server error" not in report
    assert_no_thread_stays_busy(server.url)


def assert_no_thread_stays_busy(url: str, patience: float = 60.0) -> None:
    deadline = time.monotonic() + patience
    busy: list[str] = []
    while time.monotonic() < deadline:
        busy = [t["thread_id"] for t in _threads(url)]
        if not busy:
            return
        time.sleep(1)
    raise AssertionError(f"threads left busy after fuzzing: {busy}")


def _threads(url: str) -> list[dict[str, Any]]:
    request = urllib.request.Request(
        f"{url}/threads/search",
        data=orjson.dumps({"status": "busy", "limit": 1000}),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        found: list[dict[str, Any]] = orjson.loads(response.read())
        return found
