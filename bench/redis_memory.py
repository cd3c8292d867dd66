"""Redis memory one support thread takes, after 1, 10 and 50 turns, per checkpointer setup.

Drives the compiled support graph (offline backend) through one conversation per setup, each
setup with checkpoint key prefixes of its own on the same Redis, in the same run:

* baseline: langgraph-checkpoint-redis's stock `AsyncRedisSaver` (the documents the product
  stored before checkpoint bodies were packed; `SupportRedisSaver` without a policy stores the
  same documents);
* product: `SupportRedisSaver` under the policy the settings give (`api.bootstrap.thread_policy`);
* product, keep last K: the same with `checkpoint_keep_last=K` (`--keep-last`).

A thread's bytes are the sum of `MEMORY USAGE <key> SAMPLES 0` over every key whose name
holds its id (checkpoints, writes, write registries, latest pointers). The search indexes'
own memory (`FT.INFO`) is shown per checkpoint document separately. The API's records of a
thread (thread hash, run list, run hashes) are measured by writing them through
`ThreadStore`/`RunStore` as `runs/wait` would, one run per turn. Turns use `exit`
durability, the API's default; approval interrupts are approved, as one more run.

    python -m bench.redis_memory [--turns 1,10,50] [--keep-last 10] [--durability exit]

A managed Redis is started in a temporary directory and stopped at the end, unless
--redis-url names one (it must be an otherwise idle Redis: keys are found with SCAN).
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import uuid
from collections.abc import Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass
from typing import Literal

from langgraph.checkpoint.redis.aio import AsyncRedisSaver
from langgraph.types import Command
from redis.asyncio import Redis

from api.bootstrap import redis_deps, resolve_redis_url, thread_policy
from api.runs.keys import ApiKeys
from api.runs.queue import RunStore
from api.runs.records import RunKwargs, RunRecord
from api.runs.threads import ThreadStore, utc_now
from api.turns import customer_input, thread_config
from bench.redis_for_bench import redis_for_bench
from graphs.deps import SupportDeps
from graphs.support import build_support_graph
from state.checkpoint.lifecycle import ThreadPolicy
from state.checkpoint.saver import SupportRedisSaver
from state.redis_text import text
from state.settings import Settings

Durability = Literal["exit", "async", "sync"]
TARGET_BYTES = 50 * 1024
"""Issue target: a thread after 10 turns takes at most 50 KB."""

CONVERSATION: tuple[str, ...] = (
    "Hi, how do I change the password of my home wifi router?",
    "what time are your shops open on a saturday",
    "since this morning my phone says no service everywhere I go",
    "Where can I download last month's bill as a PDF?",
    "can I take my phone abroad on holiday without extra charges",
    "my broadband keeps cutting out every few minutes in the evening",
    "How do I switch on call forwarding to another number?",
    "is there a fee for replacing a lost SIM card",
)
"""Messages written for this benchmark (none from the dev set); the thread cycles through them."""


@dataclass
class Setup:
    name: str
    make: Callable[[str, str], AsyncRedisSaver]
    """(redis_url, key prefix) -> saver."""


@dataclass
class Sample:
    turns: int
    keys: int
    checkpoints: int
    thread_bytes: int
    index_bytes: int
    api_bytes: int


def setups(settings: Settings, keep_last: int) -> list[Setup]:
    policy = thread_policy(settings)
    bounded = dataclasses.replace(policy, keep_last=keep_last)

    def stock(url: str, prefix: str) -> AsyncRedisSaver:
        return AsyncRedisSaver(
            url, checkpoint_prefix=f"{prefix}_cp", checkpoint_write_prefix=f"{prefix}_cpw"
        )

    def product(chosen: ThreadPolicy) -> Callable[[str, str], AsyncRedisSaver]:
        def make(url: str, prefix: str) -> AsyncRedisSaver:
            return SupportRedisSaver(
                url,
                checkpoint_prefix=f"{prefix}_cp",
                checkpoint_write_prefix=f"{prefix}_cpw",
                policy=chosen,
            )

        return make

    return [
        Setup("baseline: stock AsyncRedisSaver", stock),
        Setup("product (settings' policy)", product(policy)),
        Setup(f"product, keep last {keep_last}", product(bounded)),
    ]


async def thread_bytes(client: Redis, thread_id: str, api: ApiKeys) -> tuple[int, int, int]:
    """(keys, checkpoint documents, bytes) of every checkpointer key holding the thread id."""
    found = [key.decode() async for key in client.scan_iter(match=f"*{thread_id}*", count=1000)]
    keys = [key for key in found if not key.startswith(f"{api.prefix}:")]
    total = checkpoints = 0
    for key in keys:
        total += await client.memory_usage(key, samples=0) or 0
        if key.split(":", 1)[0].endswith("_cp"):
            checkpoints += 1
    return len(keys), checkpoints, total


async def index_bytes(client: Redis, prefix: str) -> int:
    """Memory of the setup's two search indexes (`FT.INFO` total_index_memory_sz_mb)."""
    total = 0.0
    for name in (f"{prefix}_cp", f"{prefix}_cpw"):
        info = await client.ft(name).info()
        total += float(info.get("total_index_memory_sz_mb", 0))
    return int(total * 1024 * 1024)


async def api_bytes(client: Redis, keys: ApiKeys, thread_id: str) -> int:
    names = [keys.thread(thread_id), keys.thread_runs(thread_id), keys.queue(thread_id)]
    run_ids = await client.zrange(keys.thread_runs(thread_id), 0, -1)
    names += [keys.run(text(run_id)) for run_id in run_ids if isinstance(run_id, bytes | str)]
    return sum([await client.memory_usage(name, samples=0) or 0 for name in names])


async def record_run(runs: RunStore, thread_id: str, text: str) -> None:
    """The records `runs/wait` leaves for one turn: a run enqueued and finished."""
    now = utc_now()
    params = RunKwargs(
        input={"messages": [{"role": "user", "content": text}], "customer_id": "C-1001"}
    )
    run = RunRecord(
        run_id=str(uuid.uuid4()),
        thread_id=thread_id,
        assistant_id=str(uuid.uuid5(uuid.NAMESPACE_URL, "support")),
        owner="bench",
        created_at=now,
        updated_at=now,
        params=params,
        worker="bench",
    )
    await runs.enqueue(run)
    await runs.finish(run, "success", "idle")


async def measure(
    setup: Setup,
    prefix: str,
    url: str,
    deps: SupportDeps,
    client: Redis,
    checkpoints_at: list[int],
    durability: Durability,
) -> list[Sample]:
    api_keys = ApiKeys(prefix)
    threads, runs = ThreadStore(client, api_keys), RunStore(client, api_keys)
    thread_id = f"mem-{uuid.uuid4().hex}"
    await threads.create(thread_id, "bench", {})
    samples: list[Sample] = []
    async with setup.make(url, prefix) as saver:
        graph = build_support_graph(deps, checkpointer=saver)
        config = thread_config(thread_id)
        for turn in range(1, max(checkpoints_at) + 1):
            text = CONVERSATION[(turn - 1) % len(CONVERSATION)]
            await graph.ainvoke(customer_input(text, "C-1001"), config, durability=durability)
            await record_run(runs, thread_id, text)
            while (await graph.aget_state(config)).next:
                approve: Command[None] = Command(resume={"decision": "approve"})
                await graph.ainvoke(approve, config, durability=durability)
                await record_run(runs, thread_id, "(approve)")
            if turn in checkpoints_at:
                keys, checkpoints, total = await thread_bytes(client, thread_id, api_keys)
                index = await index_bytes(client, prefix)
                api = await api_bytes(client, api_keys, thread_id)
                samples.append(Sample(turn, keys, checkpoints, total, index, api))
    return samples


def report(results: dict[str, list[Sample]]) -> list[str]:
    baseline = next(iter(results.values()))
    lines = [
        f"{'setup':<34}{'turns':>6}{'keys':>6}{'ckpts':>6}{'thread bytes':>14}"
        f"{'bytes/ckpt':>12}{'index/ckpt':>12}{'API bytes':>11}{'vs baseline':>13}"
    ]
    for name, samples in results.items():
        for sample, base in zip(samples, baseline, strict=True):
            per = sample.thread_bytes // max(1, sample.checkpoints)
            index = sample.index_bytes // max(1, sample.checkpoints)
            ratio = sample.thread_bytes / max(1, base.thread_bytes)
            lines.append(
                f"{name:<34}{sample.turns:>6}{sample.keys:>6}{sample.checkpoints:>6}"
                f"{sample.thread_bytes:>14,}{per:>12,}{index:>12,}{sample.api_bytes:>11,}"
                f"{ratio:>12.2f}x"
            )
    return lines


async def run(args: argparse.Namespace) -> int:
    turns = sorted({int(t) for t in args.turns.split(",")})
    async with AsyncExitStack() as stack:
        url = redis_for_bench(stack, args.redis_url, prefix="sg-mem-")
        settings = Settings(redis_url=url, model_backend="offline", key_prefix="sgmem")
        client = Redis.from_url(resolve_redis_url(settings))
        stack.push_async_callback(client.aclose)
        deps = await redis_deps(settings, client)
        results: dict[str, list[Sample]] = {}
        chosen = setups(settings, args.keep_last)
        for number, setup in enumerate(chosen):
            prefix = f"sgmem{number}"
            results[setup.name] = await measure(
                setup, prefix, url, deps, client, turns, args.durability
            )
    print(f"one thread, {args.durability} durability, offline backend; bytes = MEMORY USAGE")
    print("\n".join(report(results)))
    product = results[chosen[1].name]
    at_ten = next((s for s in product if s.turns == 10), None)
    if at_ten is not None:
        verdict = "met" if at_ten.thread_bytes <= TARGET_BYTES else "NOT met"
        print(f"target <= {TARGET_BYTES:,} bytes per thread after 10 turns (product): {verdict}")
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--turns", default="1,10,50", help="measure after these turns")
    parser.add_argument("--keep-last", type=int, default=10, help="K of the bounded setup")
    parser.add_argument("--durability", choices=("exit", "async", "sync"), default="exit")
    parser.add_argument("--redis-url", help="an idle Redis 8 (default: a temporary one)")
    raise SystemExit(asyncio.run(run(parser.parse_args())))


if __name__ == "__main__":
    main()
