"""Where a turn's CPU goes, by component, at per-step (`async`) and `exit` durability.

For each kind of turn (an FAQ answer, a billing lookup, a refund that waits for approval) and
each durability, turns run alternately on fresh threads through one compiled graph (offline
backend) against a private Redis, and this prints per turn:

* `total`: the process's CPU (`time.process_time`);
* `saver`: CPU spent inside the checkpointer's coroutines (`aput`, `aput_writes`,
  `aget_tuple`), the Redis client's work included; each step of each coroutine is timed on
  its own, so other tasks running meanwhile are not counted;
* `graph`: the rest (nodes and LangGraph's own work), `total - saver`;
* `redis`: the Redis server's CPU for the turn's commands (`INFO commandstats`, usec summed);
* `cps`, `writes`, `docs`, `cmds`: checkpoints, `aput_writes` calls, pending-write
  documents and Redis commands per turn; `steps`: supersteps the root graph ran (its last
  checkpoint's step, counted from the input's -1).

    .venv/bin/python -m bench.turn_breakdown [--turns 40]

Absolute figures move with the load on a shared machine (the load average is printed); run
it on two trees back to back to compare them.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable, Generator
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from typing import Any, Literal

from redis.asyncio import Redis

from api.bootstrap import SupportApp, open_support_app
from api.turns import customer_input, thread_config
from bench.redis_for_bench import redis_for_bench
from state.settings import Settings

Durability = Literal["async", "exit"]

KINDS: dict[str, tuple[str, str | None]] = {
    "faq": ("How long does a refund take to reach my card?", None),
    "billing": ("How much do I owe right now?", "C-1001"),
    "approval": ("Please refund the $12.50 late fee from last month", "C-1001"),
}
"""One message per kind of turn; the approval turn ends waiting on an operator."""

TIMED = ("aput", "aput_writes", "aget_tuple")


@dataclass
class Meter:
    """What the saver did and the CPU it spent while `on` is set."""

    on: bool = False
    cpu: float = 0.0
    counts: Counter[str] = field(default_factory=Counter)

    def timed(self, coro: Awaitable[Any]) -> Generator[Any, Any, Any]:
        """Await `coro`, adding the CPU of each of its steps (not of the waits between)."""
        steps = coro.__await__()
        sent: Any = None
        thrown: BaseException | None = None
        while True:
            started = time.process_time()
            try:
                yielded = steps.throw(thrown) if thrown is not None else steps.send(sent)
            except StopIteration as done:
                return done.value
            finally:
                if self.on:
                    self.cpu += time.process_time() - started
            try:
                sent, thrown = (yield yielded), None
            except BaseException as exc:  # delivered into the coroutine on the next step
                sent, thrown = None, exc


class _Awaiting:
    def __init__(self, steps: Generator[Any, Any, Any]) -> None:
        self._steps = steps

    def __await__(self) -> Generator[Any, Any, Any]:
        return self._steps


def instrument(saver: Any, meter: Meter) -> None:
    """Time and count the saver's entry points on this instance."""
    for name in TIMED:
        method: Callable[..., Awaitable[Any]] = getattr(saver, name)

        def wrapper(
            *args: Any, _method: Callable[..., Awaitable[Any]] = method, _name: str = name
        ) -> Awaitable[Any]:
            if meter.on:
                configurable = args[0]["configurable"]
                where = "root" if not configurable.get("checkpoint_ns") else "sub"
                meter.counts[f"{_name}:{where}"] += 1
                if _name == "aput_writes":
                    meter.counts["docs"] += len(args[1])
            return _Awaiting(meter.timed(_method(*args)))

        setattr(saver, name, wrapper)


@dataclass
class Row:
    total: list[float] = field(default_factory=list)
    saver: list[float] = field(default_factory=list)
    redis_usec: float = 0.0
    commands: int = 0
    counts: Counter[str] = field(default_factory=Counter)

    def line(self, label: str) -> str:
        turns = len(self.total)
        total, saver = statistics.fmean(self.total), statistics.fmean(self.saver)
        per = {k: v / turns for k, v in self.counts.items()}
        cps = per.get("aput:root", 0) + per.get("aput:sub", 0)
        writes = per.get("aput_writes:root", 0) + per.get("aput_writes:sub", 0)
        return (
            f"{label:<16}{total:7.2f}{saver:7.2f}{total - saver:7.2f}"
            f"{self.redis_usec / turns / 1000:7.2f}{cps:6.1f}{writes:7.1f}"
            f"{per.get('docs', 0):6.1f}{self.commands / turns:6.1f}"
            f"{per.get('steps', 0):6.1f}"
        )


async def _server_stats(client: Redis) -> tuple[float, int]:
    stats = await client.info("commandstats")
    usec = sum(v["usec"] for k, v in stats.items() if "config" not in k and "info" not in k)
    calls = sum(v["calls"] for k, v in stats.items() if "config" not in k and "info" not in k)
    return float(usec), int(calls)


async def measure(
    app: SupportApp, client: Redis, meter: Meter, turns: int, warmup: int
) -> dict[tuple[str, Durability], Row]:
    rows: dict[tuple[str, Durability], Row] = {}
    plan = [(kind, d) for kind in KINDS for d in ("async", "exit")]
    for index in range(warmup + turns):
        for kind, durability in plan if index % 2 == 0 else reversed(plan):
            text, customer = KINDS[kind]
            config = thread_config(f"breakdown-{uuid.uuid4().hex}")
            measured = index >= warmup
            meter.cpu, meter.counts, meter.on = 0.0, Counter(), measured
            await client.config_resetstat()
            started = time.process_time()
            await app.graph.ainvoke(customer_input(text, customer), config, durability=durability)
            cpu = time.process_time() - started
            meter.on = False
            usec, calls = await _server_stats(client)
            last = await app.checkpointer.aget_tuple(config)
            if measured:
                row = rows.setdefault((kind, durability), Row())
                row.total.append(cpu * 1000)
                row.saver.append(meter.cpu * 1000)
                row.redis_usec += usec
                row.commands += calls
                row.counts.update(meter.counts)
                row.counts["steps"] += int((last.metadata if last else {}).get("step", -1)) + 1
    return rows


async def run(args: argparse.Namespace) -> int:
    async with AsyncExitStack() as stack:
        url = redis_for_bench(stack, args.redis_url, prefix="sg-breakdown-")
        settings = Settings(redis_url=url, model_backend="offline", key_prefix="sgbreak")
        app = await stack.enter_async_context(open_support_app(settings))
        client = await stack.enter_async_context(Redis.from_url(url))
        meter = Meter()
        instrument(app.checkpointer, meter)
        rows = await measure(app, client, meter, args.turns, args.warmup)
    print(f"{args.turns} turns per kind and durability; load average {os.getloadavg()}")
    print("CPU in ms per turn (means); counts per turn")
    header = ("total", "saver", "graph", "redis", "cps", "writes", "docs", "cmds", "steps")
    widths = (7, 7, 7, 7, 6, 7, 6, 6, 6)
    print(f"{'turn':<16}" + "".join(f"{h:>{w}}" for h, w in zip(header, widths, strict=True)))
    for kind in KINDS:
        for durability in ("async", "exit"):
            print(rows[(kind, durability)].line(f"{kind} {durability}"))
        per_step = rows[(kind, "async")]
        once = rows[(kind, "exit")]
        extra = statistics.fmean(per_step.total) - statistics.fmean(once.total)
        redis_extra = (per_step.redis_usec - once.redis_usec) / len(per_step.total) / 1000
        print(f"{'':<16}per-step durability costs +{extra:.2f} ms CPU, +{redis_extra:.2f} ms Redis")
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--turns", type=int, default=40, help="measured turns per row")
    parser.add_argument("--warmup", type=int, default=5, help="unmeasured first turns")
    parser.add_argument("--redis-url", default=None, help="use this Redis instead of a new one")
    sys.exit(asyncio.run(run(parser.parse_args())))


if __name__ == "__main__":
    main()
