"""`supportgraph worker` as a real process: what it says when it starts."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

from tests.support.queue_worker import QueueWorker


def test_the_start_line_hides_the_redis_password(
    redis_url: str, brain_cache_dir: Path, tmp_path: Path
) -> None:
    password = urlparse(redis_url).password
    assert password, "the test Redis must have a password for this test to mean anything"
    worker = QueueWorker(redis_url, brain_cache_dir, tmp_path / "worker.log").start()
    try:
        said = worker.logs()
    finally:
        worker.stop()
    assert password not in said
    assert ":***@" in said
