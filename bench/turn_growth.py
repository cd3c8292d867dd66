"""CPU per turn as one conversation grows, and the Redis bytes the thread takes.

Drives the compiled support graph (offline backend, real Redis) through conversations of
`--turns` FAQ turns on one thread each, for every (store, durability) pair in the same run:

* store `shared`: the product (`checkpoint_shared_messages` on: message bodies stored once
  per thread, checkpoints reference them; state/checkpoint/messages.py);
* store `inline`: the same saver with message lists stored inline in every checkpoint, as
  before (the library's layout);
* durability `async` (a checkpoint per step, the default) and `exit` (one per run).

Turns are interleaved across the pairs (turn k of every conversation before turn k+1 of any),
so load from elsewhere on the machine falls on all alike. CPU is this process's
(`time.process_time`: graph, saver, serde and Redis client; the Redis server excluded). Each
reported turn is the median over `--conversations` conversations per pair and over a window
of 3 turns around it. Bytes are `MEMORY USAGE` over every key holding the thread id
(`bench.redis_memory.thread_bytes`), plus the bytes Redis received for the turn
(`total_net_input_bytes`; only this benchmark uses the Redis it starts).

    python -m bench.turn_growth [--turns 60] [--conversations 3]
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import statistics
import time
import uuid
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from typing import Literal

from langgraph.graph.state import CompiledStateGraph
from redis.asyncio import Redis

from api.bootstrap import redis_deps, thread_policy
from api.runs.keys import ApiKeys
from api.turns import customer_input, thread_config
from bench.redis_for_bench import redis_for_bench
from bench.redis_memory import CONVERSATION, thread_bytes
from graphs.support import build_support_graph
from state.checkpoint.saver import SupportRedisSaver
from state.settings import Settings

Durability = Literal["exit", "async"]
REPORTED = (1, 10, 30, 60)
BYTES_AT = (1, 10, 60)
TARGET_RATIO = 1.3
"""Issue target: turn 60 costs at most 1.3x turn 1 (CPU)."""


@dataclass
class Conversation:
    store: str
    durability: Durability
    graph: CompiledStateGraph
    thread_id: str = field(default_factory=lambda: f"growth-{uuid.uuid4().hex}")
    cpu_ms: list[float] = field(default_factory=list)
    received: list[int] = field(default_factory=list)
    bytes_at: dict[int, int] = field(default_factory=dict)


async def net_input(client: Redis) -> int:
    return int((await client.info("stats"))["total_net_input_bytes"])


async def one_turn(conversation: Conversation, turn: int, client: Redis) -> None:
    text = CONVERSATION[(turn - 1) % len(CONVERSATION)]
    config = thread_config(conversation.thread_id)
    before = await net_input(client)
    started = time.process_time()
    await conversation.graph.ainvoke(
        customer_input(text, None), config, durability=conversation.durability
    )
    conversation.cpu_ms.append((time.process_time() - started) * 1000)
    conversation.received.append(await net_input(client) - before)
    if turn in BYTES_AT:
        _, _, total = await thread_bytes(client, conversation.thread_id, ApiKeys("none"))
        conversation.bytes_at[turn] = total


def at_turn(values: list[list[float]], turn: int) -> float:
    """Median over conversations and the turns turn-1..turn+1 (1-based, clipped)."""
    window = range(max(0, turn - 2), min(len(values[0]), turn + 1))
    return statistics.median(v[i] for v in values for i in window)


async def run(args: argparse.Namespace) -> int:
    reported = [t for t in REPORTED if t <= args.turns]
    async with AsyncExitStack() as stack:
        url = redis_for_bench(stack, args.redis_url, prefix="sg-growth-")
        settings = Settings(redis_url=url, model_backend="offline", key_prefix="sggrowth")
        client = Redis.from_url(url)
        stack.push_async_callback(client.aclose)
        deps = await redis_deps(settings, client)
        conversations: list[Conversation] = []
        for number, store in enumerate(("shared", "inline")):
            policy = dataclasses.replace(thread_policy(settings), shared_messages=store == "shared")
            saver = SupportRedisSaver(
                url,
                checkpoint_prefix=f"sggrowth{number}_cp",
                checkpoint_write_prefix=f"sggrowth{number}_cpw",
                policy=policy,
            )
            await stack.enter_async_context(saver)
            graph = build_support_graph(deps, checkpointer=saver)
            for durability in ("async", "exit"):
                for _ in range(args.conversations):
                    conversations.append(Conversation(store, durability, graph))
        warm = Conversation("warm-up", "async", conversations[0].graph)
        for turn in range(1, 4):
            await one_turn(warm, turn, client)
        for turn in range(1, args.turns + 1):
            for conversation in conversations:
                await one_turn(conversation, turn, client)

    print(
        f"one thread per conversation, {args.turns} FAQ turns, {args.conversations} "
        "conversations per row, offline backend; CPU ms per turn (median of turn±1)"
    )
    header = "".join(f"{'turn ' + str(t):>10}" for t in reported)
    print(f"{'store':<8}{'durability':<11}{header}{'60/1':>8}  bytes/thread at " + str(BYTES_AT))
    ratios: dict[tuple[str, str], float] = {}
    for store in ("shared", "inline"):
        for durability in ("async", "exit"):
            group = [c for c in conversations if (c.store, c.durability) == (store, durability)]
            cpu = [at_turn([c.cpu_ms for c in group], t) for t in reported]
            ratio = cpu[-1] / cpu[0]
            ratios[(store, durability)] = ratio
            sizes = [statistics.median(c.bytes_at.get(t, 0) for c in group) for t in BYTES_AT]
            received = [
                at_turn([[float(r) for r in c.received] for c in group], t) for t in reported
            ]
            cells = "".join(f"{value:>10.1f}" for value in cpu)
            print(
                f"{store:<8}{durability:<11}{cells}{ratio:>7.2f}x  "
                + " / ".join(f"{int(s):,}" for s in sizes)
            )
            print(f"{'':<19}" + "".join(f"{int(r):>10,}" for r in received) + "  bytes sent")
    for durability in ("async", "exit"):
        ratio = ratios[("shared", durability)]
        verdict = "met" if ratio <= TARGET_RATIO else "NOT met"
        print(f"target turn {reported[-1]} <= {TARGET_RATIO}x turn 1 ({durability}): {verdict}")
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--turns", type=int, default=60)
    parser.add_argument("--conversations", type=int, default=3, help="per store and durability")
    parser.add_argument("--redis-url", help="an idle Redis 8 (default: a temporary one)")
    raise SystemExit(asyncio.run(run(parser.parse_args())))


if __name__ == "__main__":
    main()
