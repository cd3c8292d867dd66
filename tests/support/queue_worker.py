"""Start `supportgraph worker` (a task-queue worker) as a real process, for tests and benchmarks."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.support.api_server import REPO_ROOT

START_TIMEOUT = 120.0
READY_LINE = b"supportgraph worker "


class QueueWorker:
    """One `supportgraph worker` process; `start` waits until it says it is working."""

    def __init__(
        self,
        redis_url: str,
        cache_dir: Path,
        log_path: Path,
        *,
        env: dict[str, str] | None = None,
        concurrency: int | None = None,
    ) -> None:
        self.redis_url = redis_url
        self.cache_dir = cache_dir
        self.log_path = log_path
        self.extra_env = dict(env or {})
        self.concurrency = concurrency
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> QueueWorker:
        env = {
            **os.environ,
            "REDIS_URL": self.redis_url,
            "SUPPORTGRAPH_MODEL_BACKEND": "offline",
            "SUPPORTGRAPH_CACHE_DIR": str(self.cache_dir),
            "PYTHONUNBUFFERED": "1",
            **self.extra_env,
        }
        command = [sys.executable, "-m", "api.cli", "worker"]
        if self.concurrency:
            command += ["--concurrency", str(self.concurrency)]
        offset = self.log_path.stat().st_size if self.log_path.exists() else 0
        log = open(self.log_path, "ab")  # noqa: SIM115 - the process owns it
        self.process = subprocess.Popen(
            command,
            cwd=REPO_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"worker exited with {self.process.returncode}: {self.logs()}")
            if READY_LINE in self.log_path.read_bytes()[offset:]:
                return self
            time.sleep(0.2)
        self.kill()
        raise RuntimeError(f"worker did not start in {START_TIMEOUT}s: {self.logs()}")

    def logs(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]

    def stop(self, timeout: float = 20.0) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs, the job it holds is left to the sweep."""
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)
