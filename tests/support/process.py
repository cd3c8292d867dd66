"""What `ApiServer` and `QueueWorker` share: one CLI process in its own process group, started
with its output in a log, stopped gracefully (SIGTERM to the group) or killed (SIGKILL)."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

from tests.support.paths import REPO_ROOT


class CliProcess:
    """A started `supportgraph` subcommand; subclasses know how to start it and when it is ready."""

    stop_timeout = 15.0
    """How long `stop` waits after SIGTERM before it kills."""

    process: subprocess.Popen[bytes] | None

    def _spawn(self, command: list[str], env: dict[str, str], log_path: Path | None) -> None:
        """Start `command` in its own session, its output appended to `log_path` (or dropped)."""
        log = open(log_path, "ab") if log_path else subprocess.DEVNULL  # noqa: SIM115 - the process owns it
        self.process = subprocess.Popen(
            command,
            cwd=REPO_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def stop(self, timeout: float | None = None) -> None:
        """Graceful stop (SIGTERM to the whole process group), then SIGKILL if it hangs."""
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(self.stop_timeout if timeout is None else timeout)
        except subprocess.TimeoutExpired:
            self.kill()

    def kill(self) -> None:
        """SIGKILL every process of the group: no shutdown code runs."""
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)
