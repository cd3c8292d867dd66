"""CPU per turn as one conversation grows, and the Redis bytes the thread takes.

Drives the compiled support graph (offline backend, real Redis) through conversations of
`--turns` FAQ turns on one thread each (the same help-center question every turn, so that
turn 1 and turn 60 do the same work but for the history; `--mix` cycles through
`bench.redis_memory.CONVERSATION` instead), for every (store, durability) pair in one run:

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

    python -m bench.turn_growth [--turns 60] [--conversations 3] [--mix]
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import math
import multiprocessing
import statistics
import time
import uuid
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
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
from state.stores.help_center import load_help_center
from tests.support.openai_stub import OpenAIStub, Rule, Text, ToolCall

Durability = Literal["exit", "async"]
REPORTED = (1, 10, 30, 60)
BYTES_AT = (1, 10, 60)
FAQ_QUESTION = "what time are your shops open on a saturday"
TARGET_RATIO = 1.3
"""Issue target: turn 60 costs at most 1.3x turn 1 (CPU)."""


@dataclass
class Conversation:
    backend: str
    store: str
    durability: Durability
    graph: CompiledStateGraph
    mix: bool = False
    thread_id: str = field(default_factory=lambda: f"growth-{uuid.uuid4().hex}")
    cpu_ms: list[float] = field(default_factory=list)
    received: list[int] = field(default_factory=list)
    bytes_at: dict[int, int] = field(default_factory=dict)
    outcomes: set[tuple[object, object]] = field(default_factory=set)
    """(status, fallback_backend) of its turns: one FAQ answer by its own backend expected."""


async def net_input(client: Redis) -> int:
    return int((await client.info("stats"))["total_net_input_bytes"])


async def one_turn(conversation: Conversation, turn: int, client: Redis) -> None:
    text = CONVERSATION[(turn - 1) % len(CONVERSATION)] if conversation.mix else FAQ_QUESTION
    config = thread_config(conversation.thread_id)
    before = await net_input(client)
    started = time.process_time()
    result = await conversation.graph.ainvoke(
        customer_input(text, None), config, durability=conversation.durability
    )
    cpu_ms = (time.process_time() - started) * 1000
    outcome = (result.get("status"), result.get("fallback_backend"))
    conversation.outcomes.add(outcome)
    expected = conversation.mix or outcome == ("faq_answered", None)
    conversation.cpu_ms.append(cpu_ms if expected else math.nan)
    conversation.received.append(await net_input(client) - before)
    if turn in BYTES_AT:
        _, _, total = await thread_bytes(client, conversation.thread_id, ApiKeys("none"))
        conversation.bytes_at[turn] = total


def at_turn(values: list[list[float]], turn: int) -> float:
    """Median over conversations and the turns turn-1..turn+1 (1-based, clipped)."""
    window = range(max(0, turn - 2), min(len(values[0]), turn + 1))
    kept = [v[i] for v in values for i in window if not math.isnan(v[i])]
    return statistics.median(kept) if kept else math.nan


def serve_stub(rules: tuple[Rule, ...], conn: Connection) -> None:
    """The OpenAI-compatible stub in a process of its own, so its CPU is not counted."""
    stub = OpenAIStub(rules).start()
    conn.send(stub.base_url)
    conn.recv()  # until the benchmark is done
    stub.stop()


def faq_rules(faq_id: str, answer: str) -> tuple[Rule, ...]:
    """An instant model that answers the FAQ question as the offline backend does."""
    return (
        Rule(offers="GuardrailVerdict", reply=ToolCall("GuardrailVerdict", {"blocked": False})),
        Rule(offers="transfer_to_faq", reply=ToolCall("transfer_to_faq", {"reason": "FAQ"})),
        Rule(offers="FaqAnswer", reply=ToolCall("FaqAnswer", {"faq_id": faq_id, "answer": answer})),
        Rule(  # a turn a loaded machine pushed off the FAQ path (a handoff over its deadline)
            offers="TicketClassification",
            reply=ToolCall(
                "TicketClassification",
                {"category": "general", "priority": "low", "summary": "store hours"},
            ),
        ),
        Rule(reply=Text("(stub)")),
    )


async def openai_settings(
    stack: AsyncExitStack, settings: Settings, offline: CompiledStateGraph
) -> Settings:
    """Settings for the OpenAI backend against a stub started for the benchmark's question."""
    probe = await offline.ainvoke(
        customer_input(FAQ_QUESTION, None), thread_config(f"probe-{uuid.uuid4().hex}")
    )
    faq_id = str(probe["faq_id"])
    entries = {e.id: e for e in load_help_center(settings.data_dir / "help_center.yaml")}
    parent, child = multiprocessing.get_context("spawn").Pipe()
    process = multiprocessing.get_context("spawn").Process(
        target=serve_stub, args=(faq_rules(faq_id, entries[faq_id].answer), child), daemon=True
    )
    process.start()
    stack.callback(process.join, 10)
    stack.callback(parent.send, "stop")
    base_url = parent.recv()
    return settings.model_copy(
        update={"model_backend": "openai", "openai_api_key": "bench", "openai_base_url": base_url}
    )


async def run(args: argparse.Namespace) -> int:
    reported = [t for t in REPORTED if t <= args.turns]
    async with AsyncExitStack() as stack:
        url = redis_for_bench(stack, args.redis_url, prefix="sg-growth-")
        settings = Settings(redis_url=url, model_backend="offline", key_prefix="sggrowth")
        client = Redis.from_url(url)
        stack.push_async_callback(client.aclose)
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
            graphs = {
                "offline": build_support_graph(
                    await redis_deps(settings, client), checkpointer=saver
                )
            }
            if "openai" in args.backends:
                remote = await openai_settings(stack, settings, graphs["offline"])
                graphs["openai"] = build_support_graph(
                    await redis_deps(remote, client), checkpointer=saver
                )
            for backend in args.backends:
                for durability in ("async", "exit"):
                    for _ in range(args.conversations):
                        row = Conversation(backend, store, durability, graphs[backend], args.mix)
                        conversations.append(row)
        for graph in {id(c.graph): c.graph for c in conversations}.values():
            warm = Conversation("warm-up", "warm-up", "async", graph)
            for turn in range(1, 4):
                await one_turn(warm, turn, client)
        for turn in range(1, args.turns + 1):
            for conversation in conversations:
                await one_turn(conversation, turn, client)

    question = "8 questions in turn" if args.mix else repr(FAQ_QUESTION)
    print(
        f"one thread per conversation, {args.turns} turns ({question}), {args.conversations} "
        "conversations per row; CPU ms per turn of this process (median of turn±1; the "
        "OpenAI stub runs in another process)"
    )
    header = "".join(f"{'turn ' + str(t):>10}" for t in reported)
    print(
        f"{'backend':<9}{'store':<8}{'durability':<11}{header}{'last/1':>8}"
        f"  bytes/thread at {BYTES_AT}"
    )
    verdicts: list[str] = []
    rows = sorted({(c.backend, c.store, c.durability) for c in conversations}, key=str)
    for backend, store, durability in rows:
        group = [
            c
            for c in conversations
            if (c.backend, c.store, c.durability) == (backend, store, durability)
        ]
        cpu = [at_turn([c.cpu_ms for c in group], t) for t in reported]
        ratio = cpu[-1] / cpu[0]
        sizes = [statistics.median(c.bytes_at.get(t, 0) for c in group) for t in BYTES_AT]
        received = [at_turn([[float(r) for r in c.received] for c in group], t) for t in reported]
        cells = "".join(f"{value:>10.1f}" for value in cpu)
        print(
            f"{backend:<9}{store:<8}{durability:<11}{cells}{ratio:>7.2f}x  "
            + " / ".join(f"{int(s):,}" for s in sizes)
        )
        print(f"{'':<28}" + "".join(f"{int(r):>10,}" for r in received) + "  bytes sent to Redis")
        if store == "shared":
            verdict = "met" if ratio <= TARGET_RATIO else "NOT met"
            verdicts.append(
                f"target turn {reported[-1]} <= {TARGET_RATIO}x turn 1 ({backend}, {durability}): "
                f"{verdict}"
            )
    print("\n".join(verdicts))
    if not args.mix:
        odd = {(c.backend, o) for c in conversations for o in c.outcomes}
        odd -= {(c.backend, ("faq_answered", None)) for c in conversations}
        if odd:
            skipped = sum(math.isnan(cpu) for c in conversations for cpu in c.cpu_ms)
            print(
                f"UNEXPECTED OUTCOMES (status, fallback): {sorted(odd, key=str)}; "
                f"{skipped} such turns left out of the CPU figures"
            )
            return 1
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--turns", type=int, default=60)
    parser.add_argument("--conversations", type=int, default=3, help="per store and durability")
    parser.add_argument(
        "--backends",
        type=lambda v: v.split(","),
        default=["offline", "openai"],
        help="offline and/or openai (against a local instant stub)",
    )
    parser.add_argument("--mix", action="store_true", help="cycle through 8 questions")
    parser.add_argument("--redis-url", help="an idle Redis 8 (default: a temporary one)")
    raise SystemExit(asyncio.run(run(parser.parse_args())))


if __name__ == "__main__":
    main()
