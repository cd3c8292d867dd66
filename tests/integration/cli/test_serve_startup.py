"""`supportgraph serve` as a newcomer meets it: a taken port is refused before anything
starts, a failed start-up leaves no managed Redis behind, and each notice is printed once."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from state.redis_server import ManagedRedis, free_port
from tests.support.api_server import ApiServer
from tests.support.paths import REPO_ROOT


def serve(home: Path, port: int, **env: str) -> subprocess.CompletedProcess[str]:
    """`serve` on the managed Redis under `home` (no REDIS_URL), as `make run` starts it."""
    clean = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    return subprocess.run(
        [sys.executable, "-m", "api.cli", "serve", "--port", str(port)],
        cwd=REPO_ROOT,
        env={
            **clean,
            "SUPPORTGRAPH_REDIS_HOME": str(home),
            "SUPPORTGRAPH_MODEL_BACKEND": "offline",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def taken_port() -> Iterator[int]:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        yield int(holder.getsockname()[1])


def test_a_taken_port_is_refused_before_redis_starts(tmp_path: Path, taken_port: int) -> None:
    result = serve(tmp_path / "redis", taken_port)

    assert result.returncode == 2
    assert f"port {taken_port} on 127.0.0.1 is already in use" in result.stderr
    assert "--port" in result.stderr
    assert "make run PORT=" in result.stderr
    assert not (tmp_path / "redis").exists()


def test_a_failed_start_up_stops_the_managed_redis_it_started(tmp_path: Path) -> None:
    home = tmp_path / "redis"
    empty = tmp_path / "no-tenant"
    empty.mkdir()

    result = serve(home, free_port(), SUPPORTGRAPH_DATA_DIR=str(empty))

    assert result.returncode != 0
    assert "stopping the managed Redis it started" in result.stderr
    assert not ManagedRedis(home).status().running


def test_each_start_up_notice_is_printed_once(
    redis_url: str, brain_cache_dir: Path, tmp_path: Path
) -> None:
    log = tmp_path / "server.log"
    server = ApiServer(redis_url, brain_cache_dir, workers=2, log_path=log).start()
    try:
        printed = log.read_text()
    finally:
        server.stop()
    for notice in ("supportgraph API at", "model backend offline", "open for local use"):
        assert printed.count(notice) == 1, printed
