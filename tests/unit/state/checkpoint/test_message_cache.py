"""The caches behind shared message bodies: serialise once, intern once, revive once."""

from __future__ import annotations

import gc

import orjson
import pytest
from langchain_core.messages import AIMessage, HumanMessage
from redis.asyncio import Redis

from state.checkpoint.message_cache import (
    SerializedMessages,
    ThreadMessages,
    digest_of,
    ordinals_of,
    ranges_of,
)
from state.checkpoint.messages import MESSAGES_REF, MessageStoreSaver, is_messages_ref
from state.checkpoint.saver import SupportRedisSaver


def test_a_message_is_serialised_once_however_many_checkpoints_hold_it() -> None:
    cache = SerializedMessages()
    calls: list[object] = []

    def dump(message: object) -> bytes:
        calls.append(message)
        return orjson.dumps(str(message))

    hello, bye = HumanMessage("hello", id="h1"), AIMessage("bye", id="a1")
    for _ in range(5):
        assert cache.serialize(hello, dump).body == orjson.dumps(str(hello))
        cache.serialize(bye, dump)
    assert calls == [hello, bye]


def test_an_equal_but_new_object_is_serialised_again() -> None:
    """Identity, not equality: an edited copy (same id, new content) gets its own body."""
    cache = SerializedMessages()
    first = HumanMessage("hello", id="h1")
    edited = first.model_copy(update={"content": "hello there"})
    one = cache.serialize(first, lambda m: orjson.dumps(m.content))
    two = cache.serialize(edited, lambda m: orjson.dumps(m.content))
    assert one.digest != two.digest


def test_an_entry_goes_with_its_object() -> None:
    cache = SerializedMessages()
    message = HumanMessage("short-lived")
    cache.serialize(message, lambda m: b"x")
    assert len(cache) == 1
    del message
    gc.collect()
    assert len(cache) == 0


def test_the_serialisation_cache_is_bounded() -> None:
    cache = SerializedMessages(limit=3)
    kept = [HumanMessage(f"m{i}") for i in range(10)]
    for message in kept:
        cache.serialize(message, lambda m: b"x")
    assert len(cache) <= 3


def test_digest_is_a_short_content_address() -> None:
    assert digest_of(b"abc") == digest_of(b"abc")
    assert digest_of(b"abc") != digest_of(b"abd")
    assert len(digest_of(b"abc")) == 16


@pytest.mark.parametrize(
    ("ordinals", "ranges"),
    [
        ([], []),
        ([0], [[0, 1]]),
        (list(range(240)), [[0, 240]]),
        ([0, 1, 2, 5, 6, 3], [[0, 3], [5, 7], [3, 4]]),
        ([4, 4], [[4, 5], [4, 5]]),
    ],
)
def test_ordinals_are_stored_as_runs(ordinals: list[int], ranges: list[list[int]]) -> None:
    assert ranges_of(ordinals) == ranges
    assert ordinals_of(ranges) == ordinals


def test_thread_generations_are_bounded_and_forgotten_together() -> None:
    threads = ThreadMessages(limit=2)
    threads.generation("a", "g1").messages[0] = "x"
    threads.generation("a", "g2")
    threads.set_current("a", "g2")
    assert threads.generation("a", "g1").messages == {0: "x"}  # most recently used now
    threads.generation("b", "g1")
    assert threads.generation("a", "g2").messages == {}, "a:g2 was evicted and starts empty"
    threads.forget("a")
    assert threads.current("a") is None
    assert threads.generation("a", "g1").messages == {}


def test_only_the_last_few_lists_of_a_thread_are_kept() -> None:
    generation = ThreadMessages().generation("a", "g1")
    for task in range(20):
        generation.remember_last((f"triage:{task}", "messages"), ["m"], [0])
    assert len(generation.last) == 8
    assert ("triage:19", "messages") in generation.last
    given = ["m1", "m2"]
    generation.remember_last(("", "messages"), given, [0, 1])
    given.append("m3")
    assert generation.last[("", "messages")][0] == ["m1", "m2"], "kept as a copy"


def test_a_reference_is_recognised_only_in_its_own_shape() -> None:
    assert is_messages_ref({MESSAGES_REF: {"g": "x", "o": [[0, 1]]}})
    assert not is_messages_ref({MESSAGES_REF: {}, "other": 1})
    assert not is_messages_ref([MESSAGES_REF])


def test_a_body_is_what_the_library_embeds_and_revives_to_the_same_message() -> None:
    saver = SupportRedisSaver(redis_client=Redis())  # never connects
    assert isinstance(saver, MessageStoreSaver)
    message = AIMessage(
        "Your balance is $12.50",
        id="a1",
        tool_calls=[{"name": "lookup", "args": {"q": 1}, "id": "c1"}],
    )
    body = saver._dump_message(message)
    _, whole = saver.serde.dumps_typed({"messages": [message]})
    assert orjson.loads(whole)["messages"][0] == orjson.loads(body)
    assert saver._recursive_deserialize(orjson.loads(body)) == message


def test_the_product_turns_shared_messages_on() -> None:
    from api.bootstrap import thread_policy
    from state.settings import Settings

    assert thread_policy(Settings()).shared_messages
    assert not thread_policy(Settings(checkpoint_shared_messages=False)).shared_messages
