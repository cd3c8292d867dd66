"""The names of the HTTP API's Redis keys: one place, so no two records can share a key."""

from __future__ import annotations

from state.stores.audit import AuditKeys


class ApiKeys:
    """The key names of the API's records, under the product's prefix."""

    def __init__(self, prefix: str) -> None:
        self.prefix = f"{prefix}:api"
        self.audit = AuditKeys(prefix)
        """The audit log's keys: a thread's entries expire and go with its records."""

    def thread(self, thread_id: str) -> str:
        return f"{self.prefix}:thread:{thread_id}"

    def thread_runs(self, thread_id: str) -> str:
        return f"{self.prefix}:thread:{thread_id}:runs"

    def queue(self, thread_id: str) -> str:
        return f"{self.prefix}:thread:{thread_id}:queue"

    def lock(self, thread_id: str) -> str:
        return f"{self.prefix}:thread:{thread_id}:lock"

    def owner_threads(self, owner: str) -> str:
        return f"{self.prefix}:owner:{owner}:threads"

    def quota_runs(self, owner: str, minute: int) -> str:
        return f"{self.prefix}:quota:{owner}:runs:{minute}"

    def quota_scheduled(self, owner: str) -> str:
        return f"{self.prefix}:quota:{owner}:scheduled"

    def run(self, run_id: str) -> str:
        return f"{self.prefix}:run:{run_id}"

    def run_events(self, run_id: str) -> str:
        return f"{self.prefix}:run:{run_id}:events"

    def thread_events(self, thread_id: str) -> str:
        return f"{self.prefix}:thread:{thread_id}:events"

    def cancel(self, run_id: str) -> str:
        return f"{self.prefix}:run:{run_id}:cancel"

    @property
    def active_runs(self) -> str:
        return f"{self.prefix}:runs:active"

    @property
    def scheduled_runs(self) -> str:
        """Runs not yet due (`after_seconds`), scored by the epoch second they may start."""
        return f"{self.prefix}:runs:scheduled"

    @property
    def waiting(self) -> str:
        """Threads waiting on an operator (an interrupt), scored by when they started to wait."""
        return f"{self.prefix}:threads:waiting"

    def worker(self, worker_id: str) -> str:
        return f"{self.prefix}:worker:{worker_id}"
