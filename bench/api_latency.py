"""One support turn over HTTP: `supportgraph serve` against `langgraph dev`, in one run.

Both servers run the same graph from this checkout on the same machine and the same Redis;
the figures that matter are the ratios in the same run, since the machine may be shared. Each
figure is taken at per-step (`async`) and at `exit` durability:

* runs/wait latency, one turn on a fresh thread each, one sequential client (one worker), with
  the server's and Redis's CPU per turn (Redis's from `INFO cpu`);
* throughput: turns per second with `--workers 2` and 32 concurrent clients (each its own
  keep-alive connection, one turn on a fresh thread per call), the load generator's share of
  the machine's CPU, and how the connections spread over the workers; `langgraph dev` under
  the same clients;
* where a worker's CPU goes under that load, by component (HTTP, run engine, graph framework,
  checkpoint saver + serde, Redis client by who sends, nodes, model layer, pydantic): one
  worker under cProfile (`bench.server_profile`), as shares of its time;
* the OpenAI backend against a local OpenAI-compatible stub that answers at once: server CPU
  per turn (the stub runs in this process, so its CPU is not counted).

    python -m bench.api_latency [--turns 200] [--dev-turns 20] [--clients 32]
        [--breakdown-turns 160]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import redis
from langgraph_sdk import get_client
from langgraph_sdk.client import LangGraphClient

from bench.server_profile import breakdown
from state.redis_server import ManagedRedis
from state.settings import Settings
from state.stores.help_center import load_help_center
from tests.support.api_server import ApiServer
from tests.support.langgraph_dev import start_dev_server, stop_dev_server
from tests.support.openai_stub import OpenAIStub, Rule, ToolCall
from tests.support.procfs import children, cpu_seconds, process_tree, server_connections

MESSAGES = [
    "How do I reset my voicemail PIN?",
    "My internet has been down since this morning in Harbor Bay.",
    "What are your store hours?",
    "How do I set up autopay?",
]
DURABILITIES = ("async", "exit")


def user(index: int) -> dict[str, object]:
    text = MESSAGES[index % len(MESSAGES)]
    return {"messages": [{"role": "user", "content": text}], "customer_id": "C-1001"}


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


@dataclass
class Latency:
    timings: list[float]
    server_cpu_ms: float | None = None
    """Server CPU per turn (all its processes), when the server's pid is known."""
    redis_cpu_ms: float | None = None
    """Redis's CPU per turn meanwhile (`INFO cpu`), when the Redis is known."""

    def row(self, name: str) -> str:
        cpu = cpu_columns(self.server_cpu_ms, self.redis_cpu_ms)
        return (
            f"{name:<34} p50 {percentile(self.timings, 0.5):7.1f} ms"
            f"   p95 {percentile(self.timings, 0.95):7.1f} ms"
            f"   mean {statistics.fmean(self.timings):7.1f} ms{cpu}"
        )


@dataclass
class Throughput:
    rate: float
    client_share: float
    """The load generator's CPU over the machine's CPU (wall time x cores) meanwhile."""
    spread: dict[int, int]
    """Worker pid → keep-alive connections it held at the end."""
    server_cpu_ms: float | None = None
    redis_cpu_ms: float | None = None

    def row(self, name: str) -> str:
        spread = "/".join(str(n) for n in self.spread.values()) or "-"
        cpu = cpu_columns(self.server_cpu_ms, self.redis_cpu_ms)
        return (
            f"{name:<34} {self.rate:6.1f} turns/s   load generator {self.client_share:5.1%}"
            f" of the CPU   connections per worker {spread}{cpu}"
        )


def cpu_columns(server_ms: float | None, redis_ms: float | None) -> str:
    server = f"   server cpu {server_ms:5.1f} ms/turn" if server_ms else ""
    return server + (f"   redis cpu {redis_ms:5.1f} ms/turn" if redis_ms else "")


def redis_cpu_seconds(url: str) -> float:
    """The CPU Redis has used so far (user + system, main process), from `INFO cpu`."""
    client = redis.Redis.from_url(url)
    try:
        info = client.info("cpu")
    finally:
        client.close()
    return float(info["used_cpu_user"]) + float(info["used_cpu_sys"])


@contextmanager
def server_cpu(
    pid: int | None, turns: int, into: dict[str, float], redis_url: str | None = None
) -> Iterator[None]:
    """Puts CPU per turn (ms) over the block in `into`: the server's as `server` when its
    pid is known, Redis's as `redis` when `redis_url` is given."""
    before = cpu_seconds(process_tree(pid)) if pid else 0.0
    redis_before = redis_cpu_seconds(redis_url) if redis_url else 0.0
    yield
    if pid:
        into["server"] = (cpu_seconds(process_tree(pid)) - before) * 1000 / turns
    if redis_url:
        into["redis"] = (redis_cpu_seconds(redis_url) - redis_before) * 1000 / turns


async def wait_latencies(
    url: str,
    turns: int,
    durability: str,
    pid: int | None = None,
    warmup: int = 5,
    redis_url: str | None = None,
) -> Latency:
    """Milliseconds per runs/wait, one turn on a fresh thread each, one client."""
    client = get_client(url=url, timeout=120)
    try:
        threads = [(await client.threads.create())["thread_id"] for _ in range(turns + warmup)]
        for index, thread in enumerate(threads[:warmup]):
            await client.runs.wait(thread, "support", input=user(index), durability=durability)
        timings: list[float] = []
        cpu: dict[str, float] = {}
        with server_cpu(pid, turns, cpu, redis_url):
            for index, thread in enumerate(threads[warmup:]):
                started = time.perf_counter()
                await client.runs.wait(thread, "support", input=user(index), durability=durability)
                timings.append((time.perf_counter() - started) * 1000)
        return Latency(timings, cpu.get("server"), cpu.get("redis"))
    finally:
        await client.http.client.aclose()


async def throughput(
    url: str,
    clients: int,
    turns_per_client: int,
    durability: str,
    server: ApiServer | None,
    redis_url: str | None = None,
) -> Throughput:
    """Turns per second of `clients` concurrent callers, each on its own connection."""
    sdks = [get_client(url=url, timeout=300) for _ in range(clients)]
    try:

        async def created(sdk: LangGraphClient) -> list[str]:
            return [(await sdk.threads.create())["thread_id"] for _ in range(turns_per_client + 1)]

        # Concurrently, so that no client's connection idles past the server's keep-alive.
        threads = await asyncio.gather(*(created(sdk) for sdk in sdks))

        async def caller(index: int, timed: bool) -> None:
            own = threads[index][1:] if timed else threads[index][:1]
            for turn, thread in enumerate(own):
                await sdks[index].runs.wait(
                    thread, "support", input=user(turn), durability=durability
                )

        await asyncio.gather(*(caller(i, timed=False) for i in range(clients)))  # warm-up
        pid = server.process.pid if server and server.process else None
        cpu: dict[str, float] = {}
        with server_cpu(pid, clients * turns_per_client, cpu, redis_url):
            started, own_cpu = time.perf_counter(), time.process_time()
            await asyncio.gather(*(caller(i, timed=True) for i in range(clients)))
            wall, own_cpu = time.perf_counter() - started, time.process_time() - own_cpu
        spread = server_connections(children(pid), server.port) if server and pid else {}
        share = own_cpu / (wall * (os.cpu_count() or 1))
        rate = clients * turns_per_client / wall
        return Throughput(rate, share, spread, cpu.get("server"), cpu.get("redis"))
    finally:
        for sdk in sdks:
            await sdk.http.client.aclose()


class ProfiledServer(ApiServer):
    """One server worker under cProfile (`bench.server_profile`), on/off by signal."""

    def __init__(self, redis_url: str, cache_dir: Path, out: Path, log_path: Path) -> None:
        super().__init__(redis_url, cache_dir, log_path=log_path)
        self.out = out

    def command(self) -> list[str]:
        port, out = str(self.port), str(self.out)
        return [sys.executable, "-m", "bench.server_profile", "--port", port, "--out", out]


def cpu_breakdown(
    redis_url: str, cache: Path, home: Path, turns: int, clients: int, durability: str
) -> dict[str, float]:
    """Shares of a worker's CPU by component over `turns` turns from `clients` callers."""
    out = home / f"server-{durability}.prof"
    server = ProfiledServer(redis_url, cache, out, home / f"profiled-{durability}.log").start()
    try:
        assert server.process is not None
        per_client = max(1, turns // clients)
        asyncio.run(throughput(server.url, clients, 1, durability, None))  # warm-up
        os.kill(server.process.pid, signal.SIGUSR1)
        asyncio.run(throughput(server.url, clients, per_client, durability, None))
        os.kill(server.process.pid, signal.SIGUSR2)
        deadline = time.monotonic() + 30
        while not out.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        server.stop()
    return breakdown(str(out))


def breakdown_rows(shares: dict[str, float], server_ms: float | None) -> list[str]:
    """One line per component: its share, and that share of the measured CPU per turn."""
    rows = []
    for name, share in shares.items():
        ms = f"  ~{share * server_ms:5.1f} ms/turn" if server_ms else ""
        rows.append(f"    {name:<44} {share:6.1%}{ms}")
    return rows


def instant_model(data_dir: Path) -> tuple[OpenAIStub, str]:
    """The stub scripted for one FAQ turn, and the question it answers."""
    entry = load_help_center(data_dir / "help_center.yaml")[0]
    stub = OpenAIStub(
        rules=(
            Rule(offers="GuardrailVerdict", reply=ToolCall("GuardrailVerdict", {"blocked": False})),
            Rule(offers="transfer_to_faq", reply=ToolCall("transfer_to_faq", {"reason": "faq"})),
            Rule(
                offers="FaqAnswer",
                reply=ToolCall("FaqAnswer", {"faq_id": entry.id, "answer": entry.answer}),
            ),
        )
    )
    return stub, entry.question


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--turns", type=int, default=200)
    parser.add_argument("--dev-turns", type=int, default=20)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--turns-per-client", type=int, default=10)
    parser.add_argument("--dev-turns-per-client", type=int, default=3)
    parser.add_argument("--openai-turns", type=int, default=60)
    parser.add_argument(
        "--breakdown-turns", type=int, default=160, help="profiled turns per durability (0: none)"
    )
    args = parser.parse_args()

    settings = Settings()
    cache = settings.cache_dir or Path(tempfile.mkdtemp())
    fast: dict[str, Latency] = {}
    slow: dict[str, Latency] = {}
    pair: dict[str, Throughput] = {}
    dev_rate: dict[str, Throughput] = {}
    hosted: dict[str, Latency] = {}
    shares: dict[str, dict[str, float]] = {}
    load = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="sg-bench-") as home:
        redis = ManagedRedis(Path(home) / "redis")
        url = redis.ensure_running()
        try:
            ours = ApiServer(url, cache, log_path=Path(home) / "ours.log").start()
            try:
                pid = ours.process.pid if ours.process else None
                for d in DURABILITIES:
                    fast[d] = asyncio.run(
                        wait_latencies(ours.url, args.turns, d, pid, redis_url=url)
                    )
            finally:
                ours.stop()
            dev = start_dev_server(url, Path(home) / "dev.log")
            try:
                for d in DURABILITIES:
                    slow[d] = asyncio.run(wait_latencies(dev.url, args.dev_turns, d, warmup=2))
                    dev_rate[d] = asyncio.run(
                        throughput(dev.url, args.clients, args.dev_turns_per_client, d, None)
                    )
            finally:
                stop_dev_server(dev)
            two = ApiServer(url, cache, workers=2, log_path=Path(home) / "pair.log").start()
            try:
                two.listening_workers()
                for d in DURABILITIES:
                    pair[d] = asyncio.run(
                        throughput(two.url, args.clients, args.turns_per_client, d, two, url)
                    )
            finally:
                two.stop()
            for d in DURABILITIES if args.breakdown_turns else ():
                shares[d] = cpu_breakdown(
                    url, cache, Path(home), args.breakdown_turns, args.clients // 2, d
                )
            stub, question = instant_model(settings.data_dir)
            MESSAGES[:] = [question]
            stub.start()
            openai_env = {
                "SUPPORTGRAPH_MODEL_BACKEND": "openai",
                "OPENAI_API_KEY": "bench-key",
                "OPENAI_BASE_URL": stub.base_url,
            }
            try:
                model = ApiServer(url, cache, log_path=Path(home) / "openai.log", env=openai_env)
                model.start()
                try:
                    pid = model.process.pid if model.process else None
                    for d in DURABILITIES:
                        turns = args.openai_turns
                        hosted[d] = asyncio.run(
                            wait_latencies(model.url, turns, d, pid, redis_url=url)
                        )
                finally:
                    model.stop()
                unmatched = len(stub.unmatched)
            finally:
                stub.stop()
        finally:
            redis.stop()

    print(f"load average at start {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} on {os.cpu_count()}"
          f" cores; at end {os.getloadavg()[0]:.1f}")  # fmt: skip
    for d in DURABILITIES:
        print(f"\ndurability={d}")
        print("runs/wait, one offline turn on a fresh thread, sequential client")
        print(fast[d].row("  supportgraph serve"))
        print(slow[d].row("  langgraph dev"))
        ratio = percentile(slow[d].timings, 0.5) / percentile(fast[d].timings, 0.5)
        print(f"  p50 ratio (langgraph dev / supportgraph serve): {ratio:.1f}x   target >= 40x")
        print(f"  p50 supportgraph serve: {percentile(fast[d].timings, 0.5):.1f} ms"
              "   target <= 25 ms")  # fmt: skip
        print(f"throughput, {args.clients} concurrent clients, a fresh thread per turn")
        print(pair[d].row("  supportgraph serve --workers 2"))
        print(dev_rate[d].row("  langgraph dev"))
        print(f"  ratio {pair[d].rate / dev_rate[d].rate:.1f}x   target >= 150 turns/s")
        if d in shares:
            print("  server CPU by component (one profiled worker, same load; shares of its own")
            print(f"  time, in ms: that share of the {pair[d].server_cpu_ms or 0:.1f} ms above)")
            for row in breakdown_rows(shares[d], pair[d].server_cpu_ms):
                print(row)
        print("OpenAI backend against an instant local stub (its CPU not counted)")
        print(hosted[d].row("  supportgraph serve"))
        print(f"  target <= 10 ms server CPU per turn; stub requests unanswered: {unmatched}")


if __name__ == "__main__":
    main()
