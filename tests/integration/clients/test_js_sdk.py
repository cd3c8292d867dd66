"""The JavaScript SDK (`@langchain/langgraph-sdk` from npm) drives a real server process:
wait, every stream mode, a stream joined after a disconnect, an approval resumed with HITL
decisions, history paged with `before` as a Checkpoint and as a config, copy, count, and
search by graph id. The program is `tests/support/js/drive_server.mjs`; its packages are
installed here (`npm ci`) when missing or older than the lock file."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.support.api_server import ApiServer
from tests.support.paths import REPO_ROOT

JS_DIR = REPO_ROOT / "tests" / "support" / "js"


@pytest.fixture(scope="module")
def node_packages() -> str:
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.fail("node and npm must be on the PATH for the JavaScript SDK test")
    installed = JS_DIR / "node_modules" / ".package-lock.json"
    lock = JS_DIR / "package-lock.json"
    if not installed.exists() or installed.stat().st_mtime < lock.stat().st_mtime:
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=JS_DIR, check=True, timeout=300)
    return node


def test_the_javascript_sdk_drives_every_operation(node_packages: str, server: ApiServer) -> None:
    result = subprocess.run(
        [node_packages, "drive_server.mjs", server.url],
        cwd=JS_DIR,
        capture_output=True,
        text=True,
        timeout=600,
    )
    report = f"{result.stdout}\n{result.stderr}\nserver log:\n{server.logs()}"
    assert result.returncode == 0, report
    assert "all checks passed" in result.stdout, report
    for operation in (
        "runs.wait",
        "runs.stream events",
        "join a stream after disconnect",
        "interrupt, then approve via decisions",
        "threads.copy",
    ):
        assert f"ok {operation}" in result.stdout
