"""`SupportRedisSaver` handles a thread as one unit: TTL, bounded history, run rollback, copies.

Each test gets key prefixes of its own (RediSearch only indexes database 0).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Annotated, Any, TypedDict
from uuid import uuid4

import pytest
import redis.asyncio as aioredis
from langchain_core.messages import AIMessage, AnyMessage, HumanMessage
from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import empty_checkpoint
from langgraph.checkpoint.redis.key_registry import CheckpointKeyRegistry
from langgraph.graph import START, StateGraph
from langgraph.graph.message import add_messages
from langgraph.types import Command, interrupt

from state.checkpoint.lifecycle import ThreadPolicy
from state.checkpoint.saver import SupportRedisSaver
from state.checkpoint.ttl import ThreadTtl
from tests.support.checkpoints import checkpoint_config, prefixed_saver
from tests.support.saver_cleanup import purge_saver

Factory = Callable[[ThreadPolicy | None], SupportRedisSaver]


@pytest.fixture
async def savers(redis_url: str) -> AsyncIterator[Factory]:
    """Savers sharing one fresh prefix, each under the policy asked for; purged afterwards."""
    prefix = f"lifecycle_{uuid4().hex[:12]}"

    def make(policy: ThreadPolicy | None) -> SupportRedisSaver:
        return prefixed_saver(redis_url, prefix, policy)

    yield make
    cleaner = make(None)
    async with cleaner:
        await purge_saver(redis_url, cleaner, prefix)


def _all_namespaces(config: RunnableConfig) -> RunnableConfig:
    return {"configurable": {"thread_id": config["configurable"]["thread_id"]}}


async def _put(
    saver: SupportRedisSaver,
    thread_id: str,
    *,
    namespace: str = "",
    parent: str | None = None,
    run_id: str = "run-1",
    writes: bool = True,
) -> str:
    """One checkpoint holding a short conversation (with a pending write); returns its id."""
    checkpoint = empty_checkpoint()
    checkpoint["channel_values"] = {
        "messages": [HumanMessage("my router blinks red", id="h1"), AIMessage("Restart it.")]
    }
    checkpoint["channel_versions"] = {"messages": 1}
    config = checkpoint_config(
        thread_id, namespace, **({"checkpoint_id": parent} if parent else {})
    )
    metadata: Any = {"source": "loop", "step": 1, "parents": {}, "run_id": run_id}
    stored = await saver.aput(config, checkpoint, metadata, {"messages": 1})
    if writes:
        await saver.aput_writes(stored, [("messages", [AIMessage("again?")])], "task-1")
    return str(stored["configurable"]["checkpoint_id"])


async def _ttls(client: aioredis.Redis, keys: list[str]) -> list[int]:
    return [await client.ttl(key) for key in keys]


async def test_every_key_of_a_thread_expires_with_it(
    savers: Factory, redis_client: aioredis.Redis
) -> None:
    """Checkpoints, writes, registries and pointers of all namespaces, not only the last one."""
    policy = ThreadPolicy(ttl=ThreadTtl(1), shared_messages=True)
    async with savers(policy) as saver:  # kept 1 s, expires within 2
        thread = f"t-{uuid4().hex}"
        first = await _put(saver, thread)
        await _put(saver, thread, parent=first)
        await _put(saver, thread, namespace="billing:1")
        keys = await saver.athread_keys(thread)
        assert saver.messages_key(thread) in keys
        assert len(keys) == 12  # 3 checkpoints, 3 writes, 3 registries, 2 pointers, messages
        assert all(0 < ttl <= 2 for ttl in await _ttls(redis_client, keys))
        await asyncio.sleep(2.2)
        assert [key async for key in redis_client.scan_iter(match=f"*{thread}*")] == []


async def test_reads_and_writes_push_back_the_whole_threads_expiry(
    savers: Factory, redis_client: aioredis.Redis
) -> None:
    policy = ThreadPolicy(ttl=ThreadTtl(20), shared_messages=True)
    async with savers(policy) as saver:  # refreshed at most every 2 s
        thread = f"t-{uuid4().hex}"
        first = await _put(saver, thread)
        await _put(saver, thread, parent=first)
        await _put(saver, thread, namespace="billing:1")
        keys = await saver.athread_keys(thread)

        async def age() -> None:  # as if most of the TTL had passed since the last refresh
            for key in keys:
                await redis_client.expire(key, 5)

        await age()
        await saver.aget_tuple(checkpoint_config(thread))
        assert max(await _ttls(redis_client, keys)) <= 5, "refreshed again within the interval"
        await asyncio.sleep(2.1)
        await saver.aget_tuple(checkpoint_config(thread))
        assert min(await _ttls(redis_client, keys)) > 15, "a read refreshes every key"
        await age()
        await asyncio.sleep(2.1)
        assert len([item async for item in saver.alist(checkpoint_config(thread))]) == 2
        assert min(await _ttls(redis_client, keys)) > 15, "listing history refreshes every key"
        await age()
        await asyncio.sleep(2.1)
        await _put(saver, thread, namespace="billing:1", writes=False)
        assert min(await _ttls(redis_client, keys)) > 15, "a write refreshes every key"


async def test_a_run_outlasting_the_ttl_loses_no_key_and_leaves_a_waiting_thread_unexpiring(
    savers: Factory, redis_client: aioredis.Redis
) -> None:
    """The run's task keeps the thread: what was there and what it writes outlive the 2 s
    expiry however long it works; waiting on an operator, no key has one; released, all do."""
    policy = ThreadPolicy(ttl=ThreadTtl(1), shared_messages=True)
    async with savers(policy) as saver:
        thread = f"t-{uuid4().hex}"
        first = await _put(saver, thread)  # an earlier turn, expiring

        async def run() -> None:  # a run: keeps its thread, writes, works long, then waits
            await saver.keep(thread)
            second = await _put(saver, thread, parent=first)
            await asyncio.sleep(2.5)
            await _put(saver, thread, namespace="billing:1", parent=second)
            await saver.await_operator(thread, waiting=True)

        await asyncio.create_task(run())
        keys = await saver.athread_keys(thread)
        assert len(keys) == 12  # 3 checkpoints, 3 writes, 3 registries, 2 pointers, messages
        assert await _ttls(redis_client, keys) == [-1] * len(keys)
        assert (await saver.aget_tuple(checkpoint_config(thread))) is not None
        assert await _ttls(redis_client, keys) == [-1] * len(keys), "a read while it waits"

        await saver.await_operator(thread, waiting=False)
        assert all(0 < ttl <= 2 for ttl in await _ttls(redis_client, keys))


async def test_rollback_of_a_run_moves_the_latest_pointer_back(
    savers: Factory, redis_client: aioredis.Redis
) -> None:
    async with savers(None) as saver:
        thread = f"t-{uuid4().hex}"
        kept = await _put(saver, thread, run_id="run-a")
        doomed = await _put(saver, thread, parent=kept, run_id="run-b")
        await _put(saver, thread, namespace="billing:1", run_id="run-b")
        before = set(await saver.athread_keys(thread))

        await saver.adelete_for_runs(["run-b"])

        latest = await saver.aget_tuple(checkpoint_config(thread))
        assert latest is not None and latest.config["configurable"]["checkpoint_id"] == kept
        assert latest.pending_writes and latest.pending_writes[0][1] == "messages"
        assert await saver.aget_tuple(checkpoint_config(thread, checkpoint_id=doomed)) is None
        assert await saver.aget_tuple(checkpoint_config(thread, "billing:1")) is None
        after = set(await saver.athread_keys(thread))
        assert len(after) == 4  # run-a's checkpoint, write, registry, root pointer
        assert not await redis_client.exists(*(before - after))

        await saver.adelete_for_runs(["run-a"])
        assert await saver.aget_tuple(checkpoint_config(thread)) is None
        assert not await redis_client.exists(*before)


async def test_a_copy_has_its_own_keys_registries_pointer_and_expiry(
    savers: Factory, redis_client: aioredis.Redis
) -> None:
    policy = ThreadPolicy(ttl=ThreadTtl(600), compact=True, shared_messages=True)
    async with savers(policy) as saver:
        source, target = f"s-{uuid4().hex}", f"c-{uuid4().hex}"
        first = await _put(saver, source)
        second = await _put(saver, source, parent=first)

        await saver.acopy_thread(source, target)

        copy = await saver.aget_tuple(checkpoint_config(target))
        assert copy is not None and copy.config["configurable"]["checkpoint_id"] == second
        assert copy.parent_config is not None
        assert [m.content for m in copy.checkpoint["channel_values"]["messages"]] == [
            "my router blinks red",
            "Restart it.",
        ]
        keys = await saver.athread_keys(target)
        assert len(keys) == 8 and all(source not in key for key in keys)  # 7 + messages
        assert all(ttl > 600 for ttl in await _ttls(redis_client, keys))
        registry = CheckpointKeyRegistry.make_write_keys_zset_key(target, "", second)
        members = [m.decode() for m in await redis_client.zrange(registry, 0, -1)]
        assert members and all(target in member for member in members)
        await saver.adelete_thread(source)
        assert await saver.aget_tuple(checkpoint_config(target)) is not None


async def test_compact_and_plain_documents_read_the_same_and_compact_is_smaller(
    savers: Factory, redis_client: aioredis.Redis
) -> None:
    shared_policy = ThreadPolicy(compact=True, shared_messages=True)
    async with (
        savers(None) as plain,
        savers(ThreadPolicy(compact=True)) as compact,
        savers(shared_policy) as shared,
    ):
        thread = f"t-{uuid4().hex}"
        old = await _put(plain, thread)
        new = await _put(compact, thread, parent=old)
        newest = await _put(shared, thread, parent=new)
        for reader in (plain, compact, shared):
            listed = [item async for item in reader.alist(checkpoint_config(thread))]
            ids = [item.config["configurable"]["checkpoint_id"] for item in listed]
            assert ids == [newest, new, old]
            for item in listed:
                got = await reader.aget_tuple(item.config)
                assert got is not None
                assert got.checkpoint == item.checkpoint
                assert got.checkpoint["channel_values"]["messages"][0].content == (
                    "my router blinks red"
                )
        plain_doc = plain._make_redis_checkpoint_key(thread, "", old)
        compact_doc = compact._make_redis_checkpoint_key(thread, "", new)
        assert await redis_client.memory_usage(compact_doc) < await redis_client.memory_usage(
            plain_doc
        )


class _State(TypedDict):
    messages: Annotated[list[AnyMessage], add_messages]


def _graph(saver: SupportRedisSaver) -> Any:
    """A reply node, then a subgraph that asks for approval when the customer says 'refund'."""

    def reply(state: _State) -> dict[str, Any]:
        return {"messages": [AIMessage(f"reply {len(state['messages'])}")]}

    def approve(state: _State) -> dict[str, Any]:
        asked = [m for m in state["messages"] if isinstance(m, HumanMessage)][-1]
        if "refund" not in str(asked.content):
            return {}
        decision = interrupt({"action": "refund"})
        return {"messages": [AIMessage(f"refund {decision}")]}

    sub = StateGraph(_State)
    sub.add_node("approve", approve)
    sub.add_edge(START, "approve")
    parent = StateGraph(_State)
    parent.add_node("reply", reply)
    parent.add_node("desk", sub.compile())
    parent.add_edge(START, "reply")
    parent.add_edge("reply", "desk")
    return parent.compile(checkpointer=saver)


async def test_keep_last_bounds_history_and_forks_and_resumes_still_work(
    savers: Factory,
) -> None:
    async with savers(ThreadPolicy(keep_last=3, compact=True, shared_messages=True)) as saver:
        graph = _graph(saver)
        config = checkpoint_config(f"t-{uuid4().hex}")
        for turn in range(4):
            await graph.ainvoke({"messages": [HumanMessage(f"hi {turn}")]}, config)
        history = [snapshot async for snapshot in graph.aget_state_history(config)]
        assert len(history) == 3
        oldest = history[-1].config["configurable"]["checkpoint_id"]
        everything = [item async for item in saver.alist(_all_namespaces(config))]
        assert any(item.config["configurable"]["checkpoint_ns"] for item in everything)
        assert all(item.config["configurable"]["checkpoint_id"] >= oldest for item in everything)

        fork = history[-1].config
        result = await graph.ainvoke({"messages": [HumanMessage("from the past")]}, fork)
        assert result["messages"][-2].content == "from the past"
        assert len([s async for s in graph.aget_state_history(config)]) == 3


@pytest.mark.parametrize("durability", ["exit", "async"])
async def test_keeping_one_checkpoint_keeps_a_paused_subgraph_resumable(
    savers: Factory, durability: Any
) -> None:
    """The paused subgraph's checkpoints are newer than the root checkpoint kept (a step's
    subgraphs run after its root checkpoint); older subgraph namespaces are dropped."""
    async with savers(ThreadPolicy(keep_last=1)) as saver:
        graph = _graph(saver)
        config = checkpoint_config(f"t-{uuid4().hex}")
        for text in ("hi", "hello again", "refund my fee"):
            message = {"messages": [HumanMessage(text)]}
            await graph.ainvoke(message, config, durability=durability)
        paused = await graph.aget_state(config, subgraphs=True)
        assert paused.tasks and paused.tasks[0].interrupts
        assert paused.tasks[0].state is not None, "the paused subgraph's checkpoint was dropped"
        assert len([s async for s in graph.aget_state_history(config)]) == 1
        everything = [item async for item in saver.alist(_all_namespaces(config))]
        namespaces = {item.config["configurable"]["checkpoint_ns"] for item in everything}
        assert len(namespaces) == 2, "only the root and the paused subgraph's namespace are left"
        done = await graph.ainvoke(Command(resume="approved"), config, durability=durability)
        assert done["messages"][-1].content == "refund approved"
        assert [m.content for m in done["messages"]].count("refund approved") == 1
