"""Start `supportgraph serve` as a real process on a free port, for tests and benchmarks."""

from __future__ import annotations

import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from state.redis_server import free_port
from tests.support.cli import CLI, cli_env
from tests.support.process import CliProcess
from tests.support.procfs import children, server_connections

if TYPE_CHECKING:
    from langgraph_sdk.client import LangGraphClient

START_TIMEOUT = 120.0

StartServer = Callable[..., "ApiServer"]
"""The `start_server` fixture: starts a server with the settings given as environment variables."""
Connect = Callable[..., "LangGraphClient"]
"""The `connect` fixture: opens a `langgraph_sdk` client on a server, closed after the test."""


class ApiServer(CliProcess):
    """One `supportgraph serve` process; `start` waits until `/ok` answers."""

    def __init__(
        self,
        redis_url: str,
        cache_dir: Path,
        *,
        workers: int = 1,
        api_keys: str = "",
        port: int | None = None,
        log_path: Path | None = None,
        env: dict[str, str] | None = None,
    ) -> None:
        self.redis_url = redis_url
        self.cache_dir = cache_dir
        self.workers = workers
        self.api_keys = api_keys
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.env = env or {}
        """Extra environment of the server (e.g. its own SUPPORTGRAPH_KEY_PREFIX)."""
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> ApiServer:
        env = cli_env(
            self.redis_url,
            self.cache_dir,
            SUPPORTGRAPH_API_KEYS=self.api_keys,
            PYTHONUNBUFFERED="1",
            **self.env,
        )
        self._spawn(self.command(), env, self.log_path)
        self._wait_ready()
        return self

    def command(self) -> list[str]:
        port, workers = str(self.port), str(self.workers)
        return [*CLI, "serve", "--port", port, "--workers", workers]

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}: {self.logs()}")
            try:
                with urllib.request.urlopen(f"{self.url}/ok", timeout=1) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        self.kill()
        raise RuntimeError(f"server did not answer /ok in {START_TIMEOUT}s: {self.logs()}")

    def listening_workers(self, timeout: float = START_TIMEOUT) -> dict[int, int]:
        """Once every worker listens (`/ok` answers as soon as one does): pid → accepted
        connections held, for each of the server's processes listening on its port."""
        assert self.process is not None
        deadline = time.monotonic() + timeout
        while True:
            found = server_connections(children(self.process.pid), self.port)
            if len(found) >= self.workers or time.monotonic() > deadline:
                return found
            time.sleep(0.2)

    def logs(self) -> str:
        if self.log_path and self.log_path.exists():
            return self.log_path.read_text(errors="replace")[-4000:]
        return "(no log kept)"
