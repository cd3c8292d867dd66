"""The task queue's families in a scrape, and its figures on the console, from one snapshot."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

from api.observability.metrics import Snapshot, exposition
from api.observability.queue_metrics import QueueCollector, QueueSnapshot

SNAPSHOT = QueueSnapshot(
    states={"queued": 4, "active": 2, "scheduled": 1},
    workers=3,
    worker_jobs={"complete": 9, "failed": 1, "retried": 2, "aborted": 0},
    outcomes={"succeeded": 7, "timed_out": 1, "failed": 1},
)


def test_the_scrape_reports_depth_workers_and_outcomes() -> None:
    text = exposition(Snapshot(), QueueCollector(SNAPSHOT)).decode()
    samples = {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }
    assert samples[("supportgraph_task_queue_jobs", (("state", "queued"),))] == 4
    assert samples[("supportgraph_task_queue_jobs", (("state", "active"),))] == 2
    assert samples[("supportgraph_task_queue_jobs", (("state", "scheduled"),))] == 1
    assert samples[("supportgraph_task_queue_workers", ())] == 3
    assert samples[("supportgraph_task_queue_worker_jobs", (("outcome", "complete"),))] == 9
    assert samples[("supportgraph_task_queue_worker_jobs", (("outcome", "failed"),))] == 1
    assert samples[("supportgraph_jobs_total", (("status", "succeeded"),))] == 7
    assert samples[("supportgraph_jobs_total", (("status", "cancelled"),))] == 0
    # the turn families are still there beside the queue's
    assert ("supportgraph_run_queue_depth", (("state", "pending"),)) in samples


def test_an_empty_queue_reports_zeros_not_missing_series() -> None:
    text = exposition(Snapshot(), QueueCollector(QueueSnapshot())).decode()
    samples = {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
        if s.name.startswith("supportgraph_task_queue")
    }
    assert samples[("supportgraph_task_queue_workers", ())] == 0
    assert samples[("supportgraph_task_queue_jobs", (("state", "queued"),))] == 0


def test_the_console_summary_counts_failures_and_timeouts_as_failed() -> None:
    assert SNAPSHOT.summary() == {
        "jobs queued": 4,
        "jobs active": 2,
        "jobs scheduled": 1,
        "jobs succeeded": 7,
        "jobs failed": 2,
        "queue workers": 3,
    }
