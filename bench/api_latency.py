"""runs/wait latency of one offline support turn: `supportgraph serve` against `langgraph dev`.

Both servers run the same graph from this checkout on the same machine and the same Redis, in
the same run; the figure that matters is the ratio of their p50s. Then throughput: turns per
second of `supportgraph serve --workers 2` under 32 concurrent clients.

    python -m bench.api_latency [--turns 200] [--dev-turns 20] [--clients 32]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from langgraph_sdk import get_client

from state.redis_server import ManagedRedis
from state.settings import Settings
from tests.support.api_server import ApiServer
from tests.support.langgraph_dev import start_dev_server, stop_dev_server

MESSAGES = [
    "How do I reset my voicemail PIN?",
    "My internet has been down since this morning in Harbor Bay.",
    "What are your store hours?",
    "How do I set up autopay?",
]


def user(index: int) -> dict[str, object]:
    text = MESSAGES[index % len(MESSAGES)]
    return {"messages": [{"role": "user", "content": text}], "customer_id": "C-1001"}


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


async def wait_latencies(url: str, turns: int, warmup: int = 5) -> list[float]:
    """Milliseconds per runs/wait, one turn on a fresh thread each, one client."""
    client = get_client(url=url, timeout=120)
    try:
        threads = [(await client.threads.create())["thread_id"] for _ in range(turns + warmup)]
        timings: list[float] = []
        for index, thread in enumerate(threads):
            started = time.perf_counter()
            await client.runs.wait(thread, "support", input=user(index))
            if index >= warmup:
                timings.append((time.perf_counter() - started) * 1000)
        return timings
    finally:
        await client.http.client.aclose()


async def throughput(url: str, clients: int, turns_per_client: int) -> float:
    """Turns per second with `clients` concurrent callers, each on its own thread."""
    sdk = get_client(url=url, timeout=300)
    try:
        threads = [(await sdk.threads.create())["thread_id"] for _ in range(clients)]
        for thread in threads[:4]:
            await sdk.runs.wait(thread, "support", input=user(0))

        async def caller(thread: str) -> None:
            for turn in range(turns_per_client):
                await sdk.runs.wait(thread, "support", input=user(turn))

        started = time.perf_counter()
        await asyncio.gather(*(caller(t) for t in threads))
        return clients * turns_per_client / (time.perf_counter() - started)
    finally:
        await sdk.http.client.aclose()


def describe(name: str, timings: list[float]) -> str:
    return (
        f"{name:<20} p50 {percentile(timings, 0.5):8.1f} ms   p95 {percentile(timings, 0.95):8.1f}"
        f" ms   mean {statistics.fmean(timings):8.1f} ms   (n={len(timings)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=200)
    parser.add_argument("--dev-turns", type=int, default=20)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--turns-per-client", type=int, default=20)
    args = parser.parse_args()

    settings = Settings()
    cache = settings.cache_dir or Path(tempfile.mkdtemp())
    with tempfile.TemporaryDirectory(prefix="sg-bench-") as home:
        redis = ManagedRedis(Path(home) / "redis")
        url = redis.ensure_running()
        try:
            ours = ApiServer(url, cache, log_path=Path(home) / "ours.log").start()
            try:
                fast = asyncio.run(wait_latencies(ours.url, args.turns))
            finally:
                ours.stop()
            dev = start_dev_server(url, Path(home) / "dev.log")
            try:
                slow = asyncio.run(wait_latencies(dev.url, args.dev_turns, warmup=2))
            finally:
                stop_dev_server(dev)
            pair = ApiServer(url, cache, workers=2, log_path=Path(home) / "pair.log").start()
            try:
                rate = asyncio.run(throughput(pair.url, args.clients, args.turns_per_client))
            finally:
                pair.stop()
        finally:
            redis.stop()

    print("runs/wait, one offline support turn on a fresh thread, sequential client")
    print(describe("supportgraph serve", fast))
    print(describe("langgraph dev", slow))
    ratio = percentile(slow, 0.5) / percentile(fast, 0.5)
    print(f"p50 ratio (langgraph dev / supportgraph serve): {ratio:.1f}x   target >= 40x")
    print(f"p50 supportgraph serve: {percentile(fast, 0.5):.1f} ms   target <= 25 ms")
    print(
        f"throughput, --workers 2, {args.clients} concurrent clients: {rate:.0f} turns/s"
        "   target >= 150"
    )


if __name__ == "__main__":
    main()
