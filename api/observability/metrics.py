"""Prometheus metrics, kept in Redis so every worker and server on it reports the same totals.

A server started with several uvicorn workers is several processes; in-process counters would
each count a share. Instead each finished run adds to counters in Redis (one script call:
eight-odd commands packed and parsed once, not each), and
`GET /metrics` reads them at scrape time into prometheus-client metric families, together with
gauges computed from Redis right then: decisions waiting on an operator and their age, and the
run queue. Per-minute buckets (kept a day) feed the console's charts.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)
from prometheus_client.registry import Collector
from redis.asyncio import Redis

from api.runs.keys import ApiKeys
from state.outputs import LEGACY_KINDS, interrupt_kind
from state.redis_text import text

LATENCY_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
"""Upper bounds (seconds) of the turn latency histogram."""
MINUTE_TTL_SECONDS = 26 * 3600
SERIES_FIELDS = ("turns", "blocked", "fallbacks", "latency_sum", "errors")

RECORD_TURN = """
-- KEYS: turns, latency, minute, blocks, fallbacks, waiting_kind
-- ARGV: status|route, latency bucket, seconds, failed (1/0), block reason ('' unless blocked),
-- thread_id, interrupt kind ('' for none), minute ttl, fallback roles...
redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
redis.call('HINCRBY', KEYS[2], ARGV[2], 1)
redis.call('HINCRBYFLOAT', KEYS[2], 'sum', ARGV[3])
redis.call('HINCRBY', KEYS[3], 'turns', 1)
redis.call('HINCRBYFLOAT', KEYS[3], 'latency_sum', ARGV[3])
if ARGV[4] == '1' then redis.call('HINCRBY', KEYS[3], 'errors', 1) end
if ARGV[5] ~= '' then
  redis.call('HINCRBY', KEYS[4], ARGV[5], 1)
  redis.call('HINCRBY', KEYS[3], 'blocked', 1)
end
for i = 9, #ARGV do
  redis.call('HINCRBY', KEYS[5], ARGV[i], 1)
  redis.call('HINCRBY', KEYS[3], 'fallbacks', 1)
end
if ARGV[7] ~= '' then
  redis.call('HSET', KEYS[6], ARGV[6], ARGV[7])
else
  redis.call('HDEL', KEYS[6], ARGV[6])
end
redis.call('EXPIRE', KEYS[3], ARGV[8])
return 1
"""


class MetricKeys:
    def __init__(self, prefix: str) -> None:
        self.prefix = f"{prefix}:metrics"
        self.turns = f"{self.prefix}:turns"
        self.latency = f"{self.prefix}:latency"
        self.blocks = f"{self.prefix}:blocks"
        self.fallbacks = f"{self.prefix}:fallbacks"
        self.waiting_kind = f"{self.prefix}:waiting_kind"

    def minute(self, epoch_minute: int) -> str:
        return f"{self.prefix}:minute:{epoch_minute}"


def _bucket(seconds: float) -> str:
    for bound in LATENCY_BUCKETS:
        if seconds <= bound:
            return str(bound)
    return "+Inf"


class TurnMetrics:
    """Writes what each finished run says about its turn; reads it all back for a scrape."""

    def __init__(self, redis: Redis, prefix: str, api_keys: ApiKeys) -> None:
        self.redis = redis
        self.keys = MetricKeys(prefix)
        self.api_keys = api_keys
        self._record_turn = redis.register_script(RECORD_TURN)

    async def record_turn(
        self, thread_id: str, values: dict[str, Any], seconds: float, failed: bool
    ) -> None:
        status = "error" if failed else str(values.get("status") or "none")
        route = str(values.get("route") or "none")
        fallbacks = [str(r) for r in values.get("model_fallbacks") or []]
        interrupts = values.get("__interrupt__") or []
        minute = self.keys.minute(int(time.time() // 60))
        kind = ""
        if interrupts and isinstance(interrupts[0].get("value"), dict):
            kind = interrupt_kind(interrupts[0]["value"]) or "approval"
        block = str(values.get("block_reason") or "unknown") if status == "blocked" else ""
        k = self.keys
        await self._record_turn(
            keys=[k.turns, k.latency, minute, k.blocks, k.fallbacks, k.waiting_kind],
            args=[
                f"{status}|{route}",
                _bucket(seconds),
                repr(float(seconds)),
                "1" if failed else "0",
                block,
                thread_id,
                kind,
                MINUTE_TTL_SECONDS,
                *fallbacks,
            ],
        )

    async def snapshot(self) -> Snapshot:
        """Everything a scrape reports, read from Redis now."""
        keys, api = self.keys, self.api_keys
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.hgetall(keys.turns)
            pipe.hgetall(keys.latency)
            pipe.hgetall(keys.blocks)
            pipe.hgetall(keys.fallbacks)
            pipe.zrange(api.waiting, 0, -1, withscores=True)
            pipe.hgetall(keys.waiting_kind)
            pipe.smembers(api.active_runs)
            pipe.zcard(api.scheduled_runs)
            replies = await pipe.execute()
        turns, latency, blocks, fallbacks, waiting, kinds, active, scheduled = replies
        statuses: list[Any] = []
        if active:
            async with self.redis.pipeline(transaction=False) as pipe:
                for run_id in active:
                    pipe.hget(api.run(text(run_id)), "status")
                statuses = await pipe.execute()
        kind_of = {text(k): text(v) for k, v in kinds.items()}
        now = time.time()
        pending: dict[str, list[float]] = {"approval": [], "handoff": []}
        for thread, since in waiting:
            kind = kind_of.get(text(thread), "approval")
            kind = LEGACY_KINDS.get(kind, kind)
            pending.setdefault(kind, []).append(max(0.0, now - float(since)))
        return Snapshot(
            turns={text(k): int(v) for k, v in turns.items()},
            latency={text(k): float(v) for k, v in latency.items()},
            blocks={text(k): int(v) for k, v in blocks.items()},
            fallbacks={text(k): int(v) for k, v in fallbacks.items()},
            pending_ages=pending,
            queued=scheduled + sum(1 for s in statuses if s is not None and text(s) == "pending"),
            running=sum(1 for s in statuses if s is not None and text(s) == "running"),
        )

    async def series(self, minutes: int, step: int) -> list[dict[str, float]]:
        """Per-`step`-minute totals of the last `minutes` minutes, oldest first."""
        last = int(time.time() // 60)
        first = last - minutes + 1
        async with self.redis.pipeline(transaction=False) as pipe:
            for minute in range(first, last + 1):
                pipe.hgetall(self.keys.minute(minute))
            rows = await pipe.execute()
        points: list[dict[str, float]] = []
        for start in range(0, minutes, step):
            point = dict.fromkeys(SERIES_FIELDS, 0.0)
            for row in rows[start : start + step]:
                for name, value in row.items():
                    if text(name) in point:
                        point[text(name)] += float(value)
            point["at"] = float((first + start) * 60)
            turns = point["turns"]
            point["latency_avg"] = point["latency_sum"] / turns if turns else 0.0
            points.append(point)
        return points


@dataclass
class Snapshot:
    turns: dict[str, int] = field(default_factory=dict)
    latency: dict[str, float] = field(default_factory=dict)
    blocks: dict[str, int] = field(default_factory=dict)
    fallbacks: dict[str, int] = field(default_factory=dict)
    pending_ages: dict[str, list[float]] = field(default_factory=dict)
    queued: int = 0
    running: int = 0


class SnapshotCollector(Collector):
    """prometheus-client families built from one snapshot."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot

    def collect(self) -> Iterable[Metric]:
        return list(self._families())

    def _families(self) -> Iterator[Metric]:
        snap = self.snapshot
        turns = CounterMetricFamily(
            "supportgraph_turns",
            "Runs finished, by the turn's status and route",
            labels=["status", "route"],
        )
        for key, count in sorted(snap.turns.items()):
            status, _, route = key.partition("|")
            turns.add_metric([status, route], count)
        yield turns
        cumulative, buckets = 0.0, []
        for bound in (*LATENCY_BUCKETS, math.inf):
            label = "+Inf" if bound == math.inf else str(bound)
            cumulative += snap.latency.get(label, 0.0)
            buckets.append((label, cumulative))
        yield HistogramMetricFamily(
            "supportgraph_turn_latency_seconds",
            "Time a run spent in the graph",
            buckets=buckets,
            sum_value=snap.latency.get("sum", 0.0),
        )
        blocks = CounterMetricFamily(
            "supportgraph_guardrail_blocks",
            "Messages the guardrail refused, by reason",
            labels=["reason"],
        )
        for reason, count in sorted(snap.blocks.items()):
            blocks.add_metric([reason], count)
        yield blocks
        fallbacks = CounterMetricFamily(
            "supportgraph_model_fallbacks",
            "Model calls answered by the offline backend because the configured one failed",
            labels=["role"],
        )
        for role, count in sorted(snap.fallbacks.items()):
            fallbacks.add_metric([role], count)
        yield fallbacks
        pending = GaugeMetricFamily(
            "supportgraph_pending_decisions",
            "Threads waiting on an operator (approval or handoff)",
            labels=["kind"],
        )
        oldest = GaugeMetricFamily(
            "supportgraph_pending_oldest_age_seconds",
            "How long the oldest waiting thread of each kind has waited",
            labels=["kind"],
        )
        for kind, ages in sorted(snap.pending_ages.items()):
            pending.add_metric([kind], len(ages))
            oldest.add_metric([kind], max(ages, default=0.0))
        yield pending
        yield oldest
        queue = GaugeMetricFamily(
            "supportgraph_run_queue_depth", "Runs by state in the run queue", labels=["state"]
        )
        queue.add_metric(["pending"], snap.queued)
        queue.add_metric(["running"], snap.running)
        yield queue


def exposition(snapshot: Snapshot, *more: Collector) -> bytes:
    """The snapshot (and any further collectors, e.g. the task queue's) in Prometheus' text
    format."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(SnapshotCollector(snapshot))
    for collector in more:
        registry.register(collector)
    return generate_latest(registry)
