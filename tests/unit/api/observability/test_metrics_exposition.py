"""The scrape's text format, built from one snapshot of the Redis counters."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

from api.observability.metrics import Snapshot, _bucket, exposition


def test_exposition_reports_every_family_with_its_labels() -> None:
    snapshot = Snapshot(
        turns={"faq_answered|faq": 3, "blocked|none": 1},
        latency={"0.5": 2, "2.5": 1, "+Inf": 1, "sum": 70.0},
        blocks={"injection": 1},
        fallbacks={"router": 2},
        pending_ages={"approval": [30.0, 5.0], "handoff": []},
        queued=1,
        running=2,
    )
    samples = {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(exposition(snapshot).decode())
        for s in family.samples
    }
    assert (
        samples[("supportgraph_turns_total", (("route", "faq"), ("status", "faq_answered")))] == 3
    )
    assert samples[("supportgraph_turn_latency_seconds_bucket", (("le", "0.5"),))] == 2
    assert samples[("supportgraph_turn_latency_seconds_bucket", (("le", "2.5"),))] == 3
    assert samples[("supportgraph_turn_latency_seconds_count", ())] == 4
    assert samples[("supportgraph_turn_latency_seconds_sum", ())] == 70.0
    assert samples[("supportgraph_guardrail_blocks_total", (("reason", "injection"),))] == 1
    assert samples[("supportgraph_model_fallbacks_total", (("role", "router"),))] == 2
    assert samples[("supportgraph_pending_decisions", (("kind", "approval"),))] == 2
    assert samples[("supportgraph_pending_oldest_age_seconds", (("kind", "approval"),))] == 30
    assert samples[("supportgraph_pending_decisions", (("kind", "handoff"),))] == 0
    assert samples[("supportgraph_run_queue_depth", (("state", "running"),))] == 2


def test_latency_buckets_are_upper_bounds() -> None:
    assert [_bucket(s) for s in (0.01, 0.05, 0.051, 59, 61)] == [
        "0.05",
        "0.05",
        "0.1",
        "60.0",
        "+Inf",
    ]
