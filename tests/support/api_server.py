"""Start `supportgraph serve` as a real process on a free port, for tests and benchmarks."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from state.redis_server import free_port

REPO_ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 120.0


class ApiServer:
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
        self.extra_env = dict(env or {})
        self.redis_url = redis_url
        self.cache_dir = cache_dir
        self.workers = workers
        self.api_keys = api_keys
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> ApiServer:
        env = {
            **os.environ,
            "REDIS_URL": self.redis_url,
            "SUPPORTGRAPH_MODEL_BACKEND": "offline",
            "SUPPORTGRAPH_CACHE_DIR": str(self.cache_dir),
            "SUPPORTGRAPH_API_KEYS": self.api_keys,
            "PYTHONUNBUFFERED": "1",
            **self.extra_env,
        }
        log = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL  # noqa: SIM115
        self.process = subprocess.Popen(
            self.command(),
            cwd=REPO_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self._wait_ready()
        return self

    def command(self) -> list[str]:
        port, workers = str(self.port), str(self.workers)
        return [sys.executable, "-m", "api.cli", "serve", "--port", port, "--workers", workers]

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

    def logs(self) -> str:
        if self.log_path and self.log_path.exists():
            return self.log_path.read_text(errors="replace")[-4000:]
        return "(no log kept)"

    def stop(self, timeout: float = 15.0) -> None:
        """Graceful stop (SIGTERM to the whole process group), then SIGKILL if it hangs."""
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()

    def kill(self) -> None:
        """SIGKILL every process of the server: no shutdown code runs."""
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)
