"""Run records as the API's queue stores them, built directly for tests that drive the queue."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from api.runs.records import RunKwargs, RunRecord

TERMINAL = {"success", "error", "interrupted", "timeout"}


def run_record(
    thread_id: str,
    *,
    owner: str,
    worker: str,
    params: RunKwargs | None = None,
    run_id: str | None = None,
    at: datetime | None = None,
) -> RunRecord:
    """A run of the support assistant on `thread_id`, created and updated `at` (now by default)."""
    when = at or datetime.now(UTC)
    return RunRecord(
        run_id=run_id or str(uuid.uuid4()),
        thread_id=thread_id,
        assistant_id="support",
        owner=owner,
        created_at=when,
        updated_at=when,
        params=params or RunKwargs(),
        worker=worker,
    )
