"""Start `supportgraph worker` (a task-queue worker) as a real process, for tests and benchmarks."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

from tests.support.cli import CLI, cli_env
from tests.support.process import CliProcess

START_TIMEOUT = 120.0
READY_LINE = b"supportgraph worker "


class QueueWorker(CliProcess):
    """One `supportgraph worker` process; `start` waits until it says it is working."""

    stop_timeout = 20.0

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
        env = cli_env(self.redis_url, self.cache_dir, PYTHONUNBUFFERED="1", **self.extra_env)
        command = [*CLI, "worker"]
        if self.concurrency:
            command += ["--concurrency", str(self.concurrency)]
        offset = self.log_path.stat().st_size if self.log_path.exists() else 0
        self._spawn(command, env, self.log_path)
        assert self.process is not None
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
