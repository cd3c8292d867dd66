"""What runs scheduled for later cost an idle server: CPU and Redis commands per second.

One `supportgraph serve` process (one worker) on its own Redis; first an idle window with
nothing scheduled (the baseline), then the same window after `--runs` background runs were
scheduled a day ahead (`after_seconds`), each on its own thread. Reported: the server's CPU
(user + system, from /proc) and Redis's commands per second in each window, and their ratio.
Scheduled runs wait in a sorted set the scheduler reads by score, so the ratio should be ~1.

    python -m bench.scheduled_idle [--runs 3000] [--seconds 20]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from pathlib import Path

import httpx
import redis

from state.redis_server import ManagedRedis
from state.settings import Settings
from tests.support.api_server import ApiServer

_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU of the process and its waited-for children, in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    utime, stime, cutime, cstime = (int(f) for f in fields[11:15])
    return (utime + stime + cutime + cstime) / _TICKS


def window(pid: int, client: redis.Redis, seconds: float) -> tuple[float, float]:
    """(CPU percent of one core, Redis commands per second) over `seconds` of idling."""
    cpu0, cmds0, t0 = cpu_seconds(pid), _commands(client), time.monotonic()
    time.sleep(seconds)
    cpu1, cmds1, t1 = cpu_seconds(pid), _commands(client), time.monotonic()
    return 100 * (cpu1 - cpu0) / (t1 - t0), (cmds1 - cmds0) / (t1 - t0)


def _commands(client: redis.Redis) -> int:
    return int(client.info("stats")["total_commands_processed"])


async def schedule(url: str, runs: int) -> None:
    body = {
        "assistant_id": "support",
        "input": {"messages": [{"role": "user", "content": "How do I reset my voicemail PIN?"}]},
        "after_seconds": 86_400,
    }
    async with httpx.AsyncClient(base_url=url, timeout=60) as client:
        gate = asyncio.Semaphore(16)

        async def one() -> None:
            async with gate:
                tid = (await client.post("/threads", json={})).json()["thread_id"]
                answer = await client.post(f"/threads/{tid}/runs", json=body)
                assert answer.status_code == 200, answer.text

        await asyncio.gather(*(one() for _ in range(runs)))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3000)
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        managed = ManagedRedis(Path(home) / "redis")
        url = managed.ensure_running()
        cache = Settings().cache_dir or Path(home) / "cache"
        server = ApiServer(url, cache, log_path=Path(home) / "server.log").start()
        client = redis.Redis.from_url(url)
        try:
            assert server.process is not None
            pid = server.process.pid
            time.sleep(3)
            base_cpu, base_cmds = window(pid, client, args.seconds)
            asyncio.run(schedule(server.url, args.runs))
            time.sleep(3)
            cpu, cmds = window(pid, client, args.seconds)
            print(f"idle, nothing scheduled  CPU {base_cpu:5.1f} %  Redis {base_cmds:7.1f} cmd/s")
            print(f"idle, {args.runs} scheduled  CPU {cpu:5.1f} %  Redis {cmds:7.1f} cmd/s")
            print(
                f"ratio scheduled/baseline: CPU {cpu / max(base_cpu, 0.01):.2f}x, "
                f"Redis commands {cmds / max(base_cmds, 0.01):.2f}x"
            )
        finally:
            client.close()
            server.stop()
            managed.stop()


if __name__ == "__main__":
    main()
