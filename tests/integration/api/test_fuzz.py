"""Schemathesis against the server's own OpenAPI spec: no 500, no hang, no run left busy.

Schemathesis runs as its own command against a real server process with credentials
configured (an operator key, a service key, customer JWTs): every operation gets generated
requests (valid and invalid bodies, paths and query strings derived from the schema, then
stateful sequences following the links between operations), each sent as the next caller of
a rotation (`tests.support.fuzz_auth`: operator, service, customer, operator, nobody), so the
role checks are fuzzed with the rest in the same budget. The test asserts the count of
generated cases, that every caller sent requests, that none drew a 5xx or timed out, and
that no thread was left busy afterwards.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import orjson
import pytest

from tests.support.api_server import ApiServer, StartServer
from tests.support.fuzz_auth import API_KEYS, JWT_SECRET, OPERATOR_KEY, TALLY_ENV
from tests.support.paths import REPO_ROOT

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
MIN_CASES = 1000
EXAMPLES_PER_OPERATION = 25
REQUEST_TIMEOUT = 30


ROLES = {"operator", "service", "customer", "nobody"}
ROOMY = str(1_000_000)
"""Quotas out of the way: a fuzzer answered 429 stops reaching the code behind them."""


@pytest.fixture(scope="module")
def server(start_server: StartServer) -> ApiServer:
    """Its own key prefix: fuzzed kill switches and takeovers must not reach other tests."""
    return start_server(
        api_keys=json.dumps(API_KEYS),
        SUPPORTGRAPH_KEY_PREFIX="sgfuzz",
        SUPPORTGRAPH_CUSTOMER_JWT_SECRET=JWT_SECRET,
        SUPPORTGRAPH_QUOTA_THREADS=ROOMY,
        SUPPORTGRAPH_QUOTA_RUNS_PER_MINUTE=ROOMY,
        SUPPORTGRAPH_QUOTA_SCHEDULED_RUNS=ROOMY,
    )


@pytest.mark.timeout(1800)  # as long as schemathesis may take below, on a busy machine
def test_generated_requests_never_get_a_server_error(server: ApiServer, tmp_path: Path) -> None:
    tally = tmp_path / "callers.json"
    env = {
        **os.environ,
        "SCHEMATHESIS_HOOKS": "tests.support.fuzz_auth",
        "PYTHONPATH": os.pathsep.join([str(REPO_ROOT), os.environ.get("PYTHONPATH", "")]),
        TALLY_ENV: str(tally),
    }
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
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=1800, check=False, env=env
    )
    report = done.stdout + done.stderr
    generated = re.search(r"(\d+) generated", report)
    assert generated is not None, report[-3000:]
    assert int(generated.group(1)) >= MIN_CASES, report[-3000:]
    assert done.returncode == 0, report[-6000:]
    assert "Server error" not in report
    print(report[-1500:], "\ncallers:", tally.read_text())  # shown with -rP
    sent = json.loads(tally.read_text())
    assert set(sent) == ROLES and min(sent.values()) >= MIN_CASES // 10, sent
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
        headers={"Content-Type": "application/json", "x-api-key": OPERATOR_KEY},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        found: list[dict[str, Any]] = orjson.loads(response.read())
        return found
