"""Shared message bodies: a checkpoint stores what changed, and every read path still works.

The growth test runs the support graph (offline backend) on the test's own Redis, where every
byte Redis receives (`total_net_input_bytes`) is the conversation's; the other tests use a
small graph or the saver directly, each under key prefixes of its own.
"""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Annotated, Any, TypedDict
from uuid import uuid4

import pytest
import redis.asyncio as aioredis
from langchain_core.messages import AIMessage, AnyMessage, HumanMessage
from langgraph.checkpoint.base import empty_checkpoint
from langgraph.checkpoint.redis.util import to_storage_safe_id
from langgraph.graph import START, StateGraph
from langgraph.graph.message import add_messages
from langgraph.types import Command, interrupt
from redis.asyncio.client import Pipeline
from redis.exceptions import ResponseError

from api.bootstrap import memory_deps, open_support_app, thread_policy
from api.turns import customer_input, thread_config
from graphs.support import build_support_graph
from state.checkpoint.keys import document_of
from state.checkpoint.lifecycle import ThreadPolicy
from state.checkpoint.messages import MESSAGES_REF
from state.checkpoint.saver import SupportRedisSaver
from state.checkpoint.ttl import ThreadTtl
from state.redis_server import ManagedRedis
from state.settings import Settings
from tests.support.checkpoints import checkpoint_config, prefixed_saver
from tests.support.saver_cleanup import purge_saver

SHARED = ThreadPolicy(ttl=ThreadTtl(600), compact=True, shared_messages=True)
QUESTIONS = (
    "How do I change the password of my home wifi router?",
    "what time are your shops open on a saturday",
    "Where can I download last month's bill as a PDF?",
    "is there a fee for replacing a lost SIM card",
)

Factory = Callable[[ThreadPolicy | None], SupportRedisSaver]


@pytest.fixture
async def savers(redis_url: str) -> AsyncIterator[Factory]:
    prefix = f"msgstore_{uuid4().hex[:12]}"

    def make(policy: ThreadPolicy | None) -> SupportRedisSaver:
        return prefixed_saver(redis_url, prefix, policy)

    yield make
    cleaner = make(None)
    async with cleaner:
        await purge_saver(redis_url, cleaner, prefix)


async def _received(client: aioredis.Redis) -> int:
    return int((await client.info("stats"))["total_net_input_bytes"])


async def _bytes_per_turn(
    settings: Settings, policy: ThreadPolicy, prefix: str, turns: int
) -> list[int]:
    """Bytes Redis received for each turn of one conversation through the support graph.

    The help center is searched in memory here: a search sends its query vector to Redis
    (~48 KB of float32), which would hide what the checkpoints write."""
    sent: list[int] = []
    async with open_support_app(settings) as app:
        saver = SupportRedisSaver(
            app.redis_url,
            checkpoint_prefix=f"{prefix}_cp",
            checkpoint_write_prefix=f"{prefix}_cpw",
            policy=policy,
        )
        async with saver:
            searched_here = memory_deps(settings.model_copy(update={"redis_url": None}))
            deps = dataclasses.replace(app.deps, help_center=searched_here.help_center)
            graph = build_support_graph(deps, checkpointer=saver)
            config = thread_config(f"growth-{uuid4().hex}")
            for turn in range(turns):
                before = await _received(app.redis)
                text = QUESTIONS[turn % len(QUESTIONS)]
                await graph.ainvoke(customer_input(text, None), config, durability="async")
                sent.append(await _received(app.redis) - before)
            state = await graph.aget_state(config)
            assert len(state.values["messages"]) >= 2 * turns
    return sent


async def test_bytes_written_per_turn_do_not_grow_with_the_conversation(
    private_redis: ManagedRedis, brain_cache_dir: Path
) -> None:
    url = private_redis.status().url
    assert url is not None
    settings = Settings(
        redis_url=url, model_backend="offline", cache_dir=brain_cache_dir, key_prefix="growth"
    )
    product = thread_policy(settings)
    assert product.shared_messages
    shared = await _bytes_per_turn(settings, product, "shared", 30)
    assert shared[29] <= 1.5 * shared[1], f"turn 2: {shared[1]} bytes, turn 30: {shared[29]}"
    # the same measure catches a checkpoint that carries the history (the inline layout)
    inline_policy = dataclasses.replace(product, shared_messages=False)
    inline = await _bytes_per_turn(settings, inline_policy, "inline", 30)
    assert inline[29] > 1.5 * inline[1], f"inline turn 2: {inline[1]}, turn 30: {inline[29]}"


class _State(TypedDict):
    messages: Annotated[list[AnyMessage], add_messages]


def _graph(saver: SupportRedisSaver) -> Any:
    def reply(state: _State) -> dict[str, Any]:
        return {"messages": [AIMessage(f"reply {len(state['messages'])}")]}

    def check(state: _State) -> dict[str, Any]:
        return {}

    builder = StateGraph(_State)
    builder.add_node("reply", reply)
    builder.add_node("check", check)
    builder.add_edge(START, "reply")
    builder.add_edge("reply", "check")
    return builder.compile(checkpointer=saver)


async def test_history_forks_and_as_node_updates_read_their_own_messages(
    savers: Factory,
) -> None:
    async with savers(SHARED) as saver:
        graph = _graph(saver)
        config = checkpoint_config(f"t-{uuid4().hex}")
        for turn in range(3):
            await graph.ainvoke({"messages": [HumanMessage(f"hi {turn}", id=f"h{turn}")]}, config)
        history = [s async for s in graph.aget_state_history(config)]
        lengths = [len(s.values.get("messages", [])) for s in history]
        assert lengths == sorted(lengths, reverse=True) and lengths[0] == 6
        # a fork from turn 1 replaces everything after it on its own branch
        after_first = next(s for s in history if len(s.values.get("messages", [])) == 2)
        forked = await graph.ainvoke({"messages": [HumanMessage("other way")]}, after_first.config)
        assert [m.content for m in forked["messages"]] == [
            "hi 0",
            "reply 1",
            "other way",
            "reply 3",
        ]
        # as_node: an operator edits a message in place (same id, new content)
        await graph.aupdate_state(
            config, {"messages": [HumanMessage("hello 0", id="h0")]}, as_node="check"
        )
        state = await graph.aget_state(config)
        assert state.values["messages"][0].content == "hello 0"
        # and a fresh process (no cache) reads every checkpoint the same
        async with savers(SHARED) as fresh:
            fresh_graph = _graph(fresh)
            again = [s async for s in fresh_graph.aget_state_history(config)]
            seen = [[m.content for m in s.values.get("messages", [])] for s in again]
            first = [[m.content for m in s.values.get("messages", [])] for s in [state, *history]]
            assert seen[0] == first[0] and seen[-len(history) :] == first[1:]


async def test_a_store_deleted_by_another_process_is_written_again(
    savers: Factory, redis_client: aioredis.Redis
) -> None:
    """Process A caches which bodies it stored; process B deletes the thread; A's next put on
    that thread id must store them again instead of referencing bodies that are gone."""
    async with savers(SHARED) as first, savers(SHARED) as other:
        thread = f"t-{uuid4().hex}"
        messages = [HumanMessage("my router blinks red", id="h1"), AIMessage("Restart it.")]
        graph = _graph(first)
        config = checkpoint_config(thread)
        await graph.ainvoke({"messages": messages}, config)
        await other.adelete_thread(thread)
        assert [key async for key in redis_client.scan_iter(match=f"*{thread}*")] == []
        await graph.ainvoke({"messages": messages}, config)
        async with savers(SHARED) as reader:
            state = await _graph(reader).aget_state(config)
            assert [m.content for m in state.values["messages"]] == [
                "my router blinks red",
                "Restart it.",
                "reply 2",
            ]


async def test_the_store_expires_and_is_deleted_with_its_thread(
    savers: Factory, redis_client: aioredis.Redis
) -> None:
    async with savers(SHARED) as saver:
        thread = f"t-{uuid4().hex}"
        await _graph(saver).ainvoke({"messages": [HumanMessage("hi")]}, checkpoint_config(thread))
        store = saver.messages_key(thread)
        assert await redis_client.hlen(store) > 0
        assert 600 < await redis_client.ttl(store) <= SHARED.ttl.expire_seconds  # type: ignore[union-attr]
        assert store in await saver.athread_keys(thread)
        await saver.adelete_thread(thread)
        assert [key async for key in redis_client.scan_iter(match=f"*{thread}*")] == []
        assert await saver.athread_keys(thread) == []


async def test_a_checkpoint_of_a_long_thread_is_as_small_as_one_of_a_short_thread(
    savers: Factory, redis_client: aioredis.Redis
) -> None:
    async with savers(SHARED) as saver:
        graph = _graph(saver)
        config = checkpoint_config(f"t-{uuid4().hex}")
        sizes: list[int] = []
        for turn in range(40):
            await graph.ainvoke({"messages": [HumanMessage(f"question {turn} " * 20)]}, config)
            latest = await saver.aget_tuple(config)
            assert latest is not None
            checkpoint_id = latest.config["configurable"]["checkpoint_id"]
            key = saver._make_redis_checkpoint_key(
                config["configurable"]["thread_id"], "", checkpoint_id
            )
            sizes.append(await redis_client.memory_usage(key, samples=0) or 0)
        assert len(latest.checkpoint["channel_values"]["messages"]) == 80
        assert sizes[-1] <= 1.2 * sizes[1], sizes


def _with_subgraph(saver: SupportRedisSaver) -> Any:
    """A parent whose subgraph's first node stops for approval: the subgraph's `__start__`
    write, holding the whole history it was given, stays pending across the interrupt."""

    def approve(state: _State) -> dict[str, Any]:
        decision = interrupt("approve?")
        return {"messages": [AIMessage(f"{decision} after {len(state['messages'])}")]}

    inner = StateGraph(_State)
    inner.add_node("approve", approve)
    inner.add_edge(START, "approve")
    outer = StateGraph(_State)
    outer.add_node("inner", inner.compile())
    outer.add_edge(START, "inner")
    return outer.compile(checkpointer=saver)


async def _write_blobs(
    saver: SupportRedisSaver, client: aioredis.Redis, thread_id: str
) -> list[bytes]:
    """The serialised value of each of the thread's pending writes, as stored."""
    blobs: list[bytes] = []
    for stored in await saver._writes(to_storage_safe_id(thread_id)):
        document = document_of(await client.execute_command("JSON.GET", stored.key))
        blob = saver._decode_blob(document["blob"])
        blobs.append(blob if isinstance(blob, bytes) else str(blob).encode())
    return blobs


async def test_pending_writes_hold_the_history_by_reference(
    savers: Factory, redis_client: aioredis.Redis
) -> None:
    """Each pending write used to carry its own copy of every message: a subgraph's first
    task writes the whole history it is given. Now the writes hold references; a process
    that never saw the messages resumes the subgraph from them."""
    history = [HumanMessage(f"question {n} " + "x" * 200, id=f"q{n}") for n in range(20)]
    thread = f"t-{uuid4().hex}"
    config = checkpoint_config(thread)
    async with savers(SHARED) as saver:
        await _with_subgraph(saver).ainvoke({"messages": history}, config)
        stored = await _write_blobs(saver, redis_client, thread)
        assert stored
        assert not any(b"x" * 200 in blob for blob in stored)
        assert any(MESSAGES_REF.encode() in blob for blob in stored)
    async with savers(SHARED) as fresh:
        graph = _with_subgraph(fresh)
        state = await graph.aget_state(config, subgraphs=True)
        assert state.tasks and state.tasks[0].interrupts
        result = await graph.ainvoke(Command(resume="approved"), config)
        assert [m.id for m in result["messages"][:20]] == [m.id for m in history]
        assert result["messages"][-1].content == "approved after 20"


async def test_message_lists_in_writes_without_shared_messages_stay_inline(
    savers: Factory, redis_client: aioredis.Redis
) -> None:
    thread = f"t-{uuid4().hex}"
    async with savers(dataclasses.replace(SHARED, shared_messages=False)) as saver:
        await _with_subgraph(saver).ainvoke(
            {"messages": [HumanMessage("y" * 50, id="q")]}, checkpoint_config(thread)
        )
        stored = await _write_blobs(saver, redis_client, thread)
        assert any(b"y" * 50 in blob for blob in stored)
        assert not any(MESSAGES_REF.encode() in blob for blob in stored)
        assert await redis_client.exists(saver.messages_key(thread)) == 0


def _count_interns(saver: SupportRedisSaver) -> list[int]:
    """Counts the two-trip path's intern calls on this saver (one entry per call)."""
    calls: list[int] = []
    intern = saver._intern_call

    async def counted(key: str, args: list[Any]) -> Any:
        calls.append(1)
        return await intern(key, args)

    saver._intern_call = counted  # type: ignore[method-assign]
    return calls


async def test_a_put_with_new_messages_takes_one_round_trip(savers: Factory) -> None:
    """The process that wrote a thread's store last predicts the ordinals of new bodies, so
    bodies and document go in one script call; the separate intern call is not made."""
    async with savers(SHARED) as saver:
        interns = _count_interns(saver)
        graph = _graph(saver)
        config = checkpoint_config(f"t-{uuid4().hex}")
        for turn in range(3):
            await graph.ainvoke({"messages": [HumanMessage(f"hi {turn}")]}, config)
        assert interns == []
    async with savers(SHARED) as reader:
        state = await _graph(reader).aget_state(config)
        contents = [m.content for m in state.values["messages"]]
        assert contents == ["hi 0", "reply 1", "hi 1", "reply 3", "hi 2", "reply 5"]


async def test_two_processes_taking_turns_on_a_thread_read_every_message(
    savers: Factory,
) -> None:
    """Each process's prediction goes stale when the other one writes: the put falls back
    to interning, and no checkpoint references a body under the wrong ordinal."""
    async with savers(SHARED) as first, savers(SHARED) as second:
        interns = _count_interns(first)
        graphs = [_graph(first), _graph(second)]
        config = checkpoint_config(f"t-{uuid4().hex}")
        for turn in range(4):
            await graphs[turn % 2].ainvoke({"messages": [HumanMessage(f"hi {turn}")]}, config)
        assert interns  # the first process's turn 2 found the store moved on
        async with savers(SHARED) as reader:
            history = [s async for s in _graph(reader).aget_state_history(config)]
            expected = [f"hi {n // 2}" if n % 2 == 0 else f"reply {n}" for n in range(8)]
            assert [m.content for m in history[0].values["messages"]] == expected
            for snapshot in history:
                messages = [m.content for m in snapshot.values.get("messages", [])]
                assert messages == expected[: len(messages)]


def _count_round_trips(saver: SupportRedisSaver, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every exchange the saver's client has with Redis from now on: one entry per command
    it sends alone (a script call among them) and per pipeline it executes."""
    trips: list[str] = []
    client = saver._redis
    send = client.execute_command

    async def sent_alone(*args: Any, **options: Any) -> Any:
        trips.append(str(args[0]))
        return await send(*args, **options)

    execute = Pipeline.execute

    async def pipelined(self: Pipeline, *args: Any, **options: Any) -> Any:
        trips.append("pipeline")
        return await execute(self, *args, **options)

    monkeypatch.setattr(client, "execute_command", sent_alone)
    monkeypatch.setattr(Pipeline, "execute", pipelined)
    return trips


def _history_writes(history: list[Any]) -> list[tuple[str, Any]]:
    """What a subgraph's first task writes: the whole history it was given, and more."""
    return [("messages", history), ("route", "billing"), ("branch:to:agent", None)]


async def test_a_tasks_writes_with_the_history_take_one_round_trip(
    savers: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A task's writes that hold a long message list used to intern its new bodies first
    (a script call) and then send the documents (a pipeline); this process predicts the
    ordinals, so bodies, documents, flag, registry and expiries go in one script call."""
    history: list[Any] = [HumanMessage(f"question {n}", id=f"q{n}") for n in range(5)]
    async with savers(SHARED) as saver:
        stored = {}
        for thread in (f"warm-{uuid4().hex}", f"t-{uuid4().hex}"):  # warm: loads the scripts
            checkpoint = empty_checkpoint()
            checkpoint["channel_values"] = {"messages": history}
            stored[thread] = await saver.aput(
                checkpoint_config(thread), checkpoint, {"source": "loop", "step": 0}, {}
            )
            await saver.aput_writes(stored[thread], _history_writes(history), "warm-task")
        written = [*history, AIMessage("a new answer", id="a5")]
        trips = _count_round_trips(saver, monkeypatch)
        await saver.aput_writes(stored[thread], _history_writes(written), "task")
        assert trips == ["EVALSHA"]
        monkeypatch.undo()
    async with savers(SHARED) as reader:  # a process that never saw these messages
        found = await reader.aget_tuple(stored[thread])
        assert found is not None
        pending = {(task, channel): value for task, channel, value in found.pending_writes or []}
        assert [m.id for m in pending[("task", "messages")]] == [m.id for m in written]
        assert pending[("task", "route")] == "billing"
        assert [m.id for m in pending[("warm-task", "messages")]] == [m.id for m in history]


async def test_writes_predicted_from_a_stale_store_are_stored_the_two_trip_way(
    savers: Factory,
) -> None:
    """Another process interned into the thread's store after this one last saw it: the
    one-trip script writes nothing, and the writes are stored with ordinals Redis assigned."""
    history: list[Any] = [HumanMessage(f"question {n}", id=f"q{n}") for n in range(5)]
    thread = f"t-{uuid4().hex}"
    async with savers(SHARED) as first, savers(SHARED) as second:
        interns = _count_interns(first)
        checkpoint = empty_checkpoint()
        checkpoint["channel_values"] = {"messages": history}
        config = await first.aput(
            checkpoint_config(thread), checkpoint, {"source": "loop", "step": 0}, {}
        )
        theirs = [*history, AIMessage("from the other process", id="b5")]
        await second.aput_writes(config, _history_writes(theirs), "their-task")
        ours = [*history, AIMessage("from this process", id="a5")]
        await first.aput_writes(config, _history_writes(ours), "our-task")
        assert interns  # the prediction failed: the two-trip path ran
    async with savers(SHARED) as reader:
        found = await reader.aget_tuple(config)
        assert found is not None
        pending = {(task, channel): value for task, channel, value in found.pending_writes or []}
        assert [m.content for m in pending[("our-task", "messages")]][-1] == "from this process"
        assert [m.id for m in pending[("their-task", "messages")]] == [m.id for m in theirs]


async def test_a_write_redis_refuses_in_the_one_trip_script_raises(
    savers: Factory, redis_client: aioredis.Redis
) -> None:
    """The script runs every command as a pipeline would and reports those Redis refused:
    the put raises instead of passing a lost write off as stored."""
    history: list[Any] = [HumanMessage(f"question {n}", id=f"q{n}") for n in range(5)]
    thread = f"t-{uuid4().hex}"
    async with savers(SHARED) as saver:
        checkpoint = empty_checkpoint()
        checkpoint["channel_values"] = {"messages": history}
        config = await saver.aput(
            checkpoint_config(thread), checkpoint, {"source": "loop", "step": 0}, {}
        )
        checkpoint_id = config["configurable"]["checkpoint_id"]
        taken = saver._make_redis_checkpoint_writes_key(thread, "", checkpoint_id, "task", 1)
        await redis_client.set(taken, "not a JSON document")
        interns = _count_interns(saver)
        with pytest.raises(ResponseError):
            await saver.aput_writes(config, _history_writes(history), "task")
        assert interns == []  # refused inside the one-trip script, not on the fallback path
