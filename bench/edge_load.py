"""/ok latency while the edge is attacked: a 10 MB body, 1,000 slow connections, long texts.

One `supportgraph serve` process; first /ok p50/p99 with nothing else going on (the baseline),
then again while one client streams a 10 MB body, 1,000 connections trickle a request head a
byte at a time, and another client sends 16,000-character messages through the guardrail.
The figure that matters is the loaded p99 (target: under 100 ms) and its ratio to baseline.

    python -m bench.edge_load [--slow 1000] [--probes 200] [--no-texts]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import tempfile
import time
from pathlib import Path

import httpx

from state.redis_server import ManagedRedis
from state.settings import Settings
from tests.support.api_server import ApiServer


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


async def probe(url: str, count: int) -> list[float]:
    """Milliseconds per GET /ok, one after another on a fresh connection each."""
    timings: list[float] = []
    for _ in range(count):
        async with httpx.AsyncClient(base_url=url, timeout=30) as client:
            started = time.perf_counter()
            response = await client.get("/ok")
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        await asyncio.sleep(0.01)
    return timings


async def slow_connection(port: int, stop: asyncio.Event) -> None:
    """Open a connection and trickle a request head one byte per second, never finishing."""
    with contextlib.suppress(OSError):
        _, writer = await asyncio.open_connection("127.0.0.1", port)
        head = b"POST /threads HTTP/1.1\r\nhost: x\r\nx-slow: " + b"a" * 10_000
        for byte in head:
            if stop.is_set():
                break
            writer.write(bytes([byte]))
            await writer.drain()
            await asyncio.sleep(1)
        writer.close()


async def big_body(port: int, stop: asyncio.Event) -> None:
    """Stream a 10 MB body (declared up front) as fast as the server reads it, repeatedly."""
    chunk = b"a" * 65_536
    while not stop.is_set():
        with contextlib.suppress(OSError):
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(
                b"POST /threads HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n"
                b"content-length: 10485760\r\n\r\n"
            )
            for _ in range(160):
                writer.write(chunk)
                await writer.drain()
            await reader.read(200)
            writer.close()


async def long_texts(url: str, stop: asyncio.Event) -> int:
    text = "My bill looks wrong this month and I would like to understand why. " * 230
    sent = 0
    async with httpx.AsyncClient(base_url=url, timeout=120) as client:
        while not stop.is_set():
            body = {
                "assistant_id": "support",
                "input": {"messages": [{"role": "user", "content": text[:16_000]}]},
            }
            await client.post("/runs/wait", json=body)
            sent += 1
    return sent


async def measure(server: ApiServer, slow: int, probes: int, texts_too: bool) -> None:
    await probe(server.url, 20)
    baseline = await probe(server.url, probes)
    stop = asyncio.Event()
    loads = [asyncio.create_task(slow_connection(server.port, stop)) for _ in range(slow)]
    loads.append(asyncio.create_task(big_body(server.port, stop)))
    texts = asyncio.create_task(long_texts(server.url, stop) if texts_too else _none())
    await asyncio.sleep(3)
    loaded = await probe(server.url, probes)
    stop.set()
    sent = await texts
    for task in loads:
        task.cancel()
    await asyncio.gather(*loads, return_exceptions=True)
    b50, b99 = percentile(baseline, 0.5), percentile(baseline, 0.99)
    l50, l99 = percentile(loaded, 0.5), percentile(loaded, 0.99)
    print(f"/ok baseline       p50 {b50:6.1f} ms  p99 {b99:6.1f} ms")
    print(
        f"/ok under attack   p50 {l50:6.1f} ms  p99 {l99:6.1f} ms  ({slow} slow connections, "
        f"10 MB bodies, {sent} long-text runs)"
    )
    print(f"p99 ratio loaded/baseline: {l99 / b99:.2f}x  (target p99 < 100 ms)")


async def _none() -> int:
    return 0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--slow", type=int, default=1000)
    parser.add_argument("--probes", type=int, default=200)
    parser.add_argument("--no-texts", action="store_true", help="without the long-text runs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        redis = ManagedRedis(Path(home) / "redis")
        url = redis.ensure_running()
        cache = Settings().cache_dir or Path(home) / "cache"
        server = ApiServer(url, cache, log_path=Path(home) / "server.log").start()
        try:
            asyncio.run(measure(server, args.slow, args.probes, not args.no_texts))
        finally:
            server.stop()
            redis.stop()


if __name__ == "__main__":
    main()
