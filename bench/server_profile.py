"""Where a server worker's CPU goes, by component, under the load `bench.api_latency` makes.

`python -m bench.server_profile --port P --out FILE` runs one worker of the HTTP API (the
app `supportgraph serve` runs, on h11 as it does) with cProfile counting CPU time
(`time.process_time`), off until SIGUSR1 and written to FILE on SIGUSR2, so the bench leaves
the warm-up out. `breakdown` then sums each function's own time by the component its code
belongs to. cProfile slows the process several times over, and more in code that makes many
small calls, so the shares are what tell, not the absolute figures; `bench.api_latency`
prints them as shares of the unprofiled server CPU per turn it measured.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import signal
import time
from types import FrameType

import uvicorn

REDIS_CLIENT = "Redis client"
COMPONENTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "HTTP: uvicorn, h11, FastAPI, api/http",
        (
            *("/uvicorn/", "/h11/", "/starlette/", "/fastapi/", "/sse_starlette/", "/anyio/"),
            *("/api/http/", "/api/encoding.py"),
        ),
    ),
    ("run engine: api/runs, metrics", ("/api/runs/", "/api/observability/", "/api/turns.py")),
    (
        "checkpoint saver + serde",
        (
            "/state/checkpoint/",
            "/langgraph/checkpoint/",
            "/redisvl/",
            "ormsgpack",
            "orjson",
            "zlib",
        ),
    ),
    (REDIS_CLIENT, ("/redis/", "hiredis")),
    ("graph framework: langgraph", ("/langgraph/",)),
    ("model layer: langchain_core, nodes/llm", ("/langchain_core/", "/langchain", "/nodes/llm/")),
    ("nodes, tools, stores", ("/nodes/", "/tools/", "/graphs/", "/state/")),
    ("pydantic", ("/pydantic/", "pydantic_core")),
)
OTHER = "asyncio, stdlib, builtins, other"


def component(filename: str, function: str) -> str:
    """The component a profiled function belongs to, by where its code lives."""
    where = filename if not filename.startswith("~") else function
    for name, marks in COMPONENTS:
        if any(mark in where for mark in marks):
            return name
    return OTHER


Key = tuple[str, int, str]
Callers = dict[Key, tuple[int, int, float, float]]


def breakdown(path: str) -> dict[str, float]:
    """Each component's share of the profiled CPU time. A function's own time counts for the
    component its code belongs to; the time of asyncio, the standard library and builtins
    counts for whoever called them (split by each caller's share of it, up the callers until
    a component's code), so `isinstance` inside redis-py counts as Redis client time; and
    Redis client time is told apart by the component that sent the commands."""
    stats: dict[Key, tuple[int, int, float, float, Callers]] = pstats.Stats(path).stats  # type: ignore[attr-defined]
    totals: dict[str, float] = {}

    def add(name: str, seconds: float) -> None:
        totals[name] = totals.get(name, 0.0) + seconds

    def attribute(key: Key, seconds: float, depth: int, via_redis: bool) -> None:
        name = component(key[0], key[2])
        callers = stats[key][4] if key in stats else {}
        passing = name in (OTHER, REDIS_CLIENT)
        if not passing or depth >= 12 or not callers:
            if passing:
                add(REDIS_CLIENT if via_redis or name == REDIS_CLIENT else OTHER, seconds)
            else:
                add(f"{REDIS_CLIENT}, for the {name.split(':')[0]}" if via_redis else name, seconds)
            return
        weights = {caller: row[2] for caller, row in callers.items()}
        whole = sum(weights.values())
        for caller, weight in weights.items():
            share = weight / whole if whole else 1.0 / len(weights)
            attribute(caller, seconds * share, depth + 1, via_redis or name == REDIS_CLIENT)

    for key, row in stats.items():
        attribute(key, float(row[2]), 0, False)
    everything = sum(totals.values()) or 1.0
    return {k: v / everything for k, v in sorted(totals.items(), key=lambda kv: -kv[1])}


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    profile = cProfile.Profile(time.process_time)

    def start(_signum: int, _frame: FrameType | None) -> None:
        profile.enable()

    def dump(_signum: int, _frame: FrameType | None) -> None:
        profile.disable()
        profile.dump_stats(args.out)

    signal.signal(signal.SIGUSR1, start)
    signal.signal(signal.SIGUSR2, dump)
    uvicorn.run(
        "api.http.app:create_app",
        factory=True,
        host="127.0.0.1",
        port=args.port,
        log_level="warning",
        access_log=False,
        http="h11",
    )


if __name__ == "__main__":
    main()
