"""Message bodies stored once per thread; checkpoints reference them by ordinal.

langgraph-checkpoint-redis stores every channel value inline in every checkpoint, so each of a
turn's checkpoints (one per step under `async` durability) serialised, wrote, read and revived
the whole message history again: a conversation cost O(n²). With `shared_messages` on, a
channel value that is a list of messages, and a pending write's list of messages (a subgraph's
first task writes the whole history it was given), is stored as a reference instead:

    {"__supportgraph_messages_v1__": {"g": "<generation>", "o": [[0, 12], [15, 17]]}}

where `o` are runs of ordinals into the thread's message store, one Redis hash per thread
(`<checkpoint prefix>_messages:<thread id>`):

* `g` -> the generation new messages are interned into, `n` -> its next ordinal;
* `<g>:d:<digest>` -> the ordinal of the body with that content address;
* `<g>:<ordinal>` -> the body, as the library's serializer writes a message.

Bodies are content-addressed, so a message is stored once however many checkpoints, forks or
replays hold it; a generation changes only when the hash is deleted and created again, which
invalidates what any process cached about it. Every other channel value, the search index's
fields and the document layout stay the library's own. The message store is one of the
thread's keys: deleted, copied and expired with it (state/checkpoint/lifecycle.py).
"""

from __future__ import annotations

import base64
import operator
import os
from collections.abc import Sequence
from typing import Any

import orjson
from langchain_core.messages import BaseMessage
from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import ChannelVersions, Checkpoint, CheckpointMetadata

from state.checkpoint.message_cache import Generation, Serialized, ranges_of
from state.checkpoint.message_reads import (
    MESSAGES_REF,
    MessageReaderSaver,
    MissingMessage,
    is_messages_ref,
    written_to,
)
from state.redis_text import text

__all__ = ["MESSAGES_REF", "MessageStoreSaver", "MissingMessage", "is_messages_ref"]

_INTERN = """
local gen = redis.call('HGET', KEYS[1], 'g')
if not gen then
  gen = ARGV[2]
  redis.call('HSET', KEYS[1], 'g', gen, 'n', 0)
end
if ARGV[1] ~= '' and ARGV[1] ~= gen then
  return {gen, 1}
end
local out = {gen, 0, 0}
for i = 4, #ARGV, 2 do
  local field = gen .. ':d:' .. ARGV[i]
  local ordinal = redis.call('HGET', KEYS[1], field)
  if not ordinal then
    ordinal = redis.call('HINCRBY', KEYS[1], 'n', 1) - 1
    redis.call('HSET', KEYS[1], field, ordinal, gen .. ':' .. ordinal, ARGV[i + 1])
  end
  table.insert(out, tonumber(ordinal))
end
if tonumber(ARGV[3]) > 0 then
  redis.call('EXPIRE', KEYS[1], ARGV[3])
end
out[3] = tonumber(redis.call('HGET', KEYS[1], 'n'))
return out
"""
"""KEYS: the store. ARGV: the generation the caller expects ('' for any), a generation for a
new store, expiry seconds (0: none), then digest/body pairs. Returns the generation, 1 if it
is not the one expected (nothing interned), else 0, the store's next ordinal and each pair's
ordinal."""


_SHARED_IN_WRITES = 4
"""Messages a written list has at least to be stored by reference: a node's own new messages
(one or two) cost less inline than a round trip to intern them; a history does not."""


def _may_be_message_list(value: Any) -> bool:
    return type(value) is list and bool(value) and isinstance(value[0], BaseMessage)


def message_lists(values: dict[str, Any]) -> dict[str, list[Any]]:
    """The channel values that may be lists of messages."""
    return {name: value for name, value in values.items() if _may_be_message_list(value)}


def shared_in_writes(writes: Sequence[tuple[str, Any]]) -> dict[str, list[Any]]:
    """A task's written message lists long enough to store by reference, by position."""
    return {
        str(position): value
        for position, (_, value) in enumerate(writes)
        if _may_be_message_list(value) and len(value) >= _SHARED_IN_WRITES
    }


def place(namespace: str, name: str, channels: list[str] | None) -> tuple[str, str]:
    """Where the ordinals of list `name` are remembered: a checkpoint's channel, or, for
    writes keyed by position (`channels` given), the channel written to; a channel a task
    wrote twice is told apart by position."""
    if channels is None:
        return (namespace, name)
    channel = channels[int(name)]
    return (namespace, written_to(channel if channels.count(channel) == 1 else name))


class MessageStoreSaver(MessageReaderSaver):
    """Stores message lists, in checkpoints and in pending writes, by reference when
    `shared_messages` is set (module docstring); reads references back whether or not it is
    set (state/checkpoint/message_reads.py)."""

    shared_messages: bool = False
    _intern_script: Any = None

    def _dump_message(self, message: Any) -> bytes:
        """A message's body exactly as the library's serializer embeds it in a checkpoint."""
        return orjson.dumps(message, default=self.serde._default_handler)  # type: ignore[attr-defined]

    async def aput(
        self,
        config: RunnableConfig,
        checkpoint: Checkpoint,
        metadata: CheckpointMetadata,
        new_versions: ChannelVersions,
        stream_mode: str = "values",
    ) -> RunnableConfig:
        values = checkpoint.get("channel_values") or {}
        lists = message_lists(values)
        if lists and self.shared_messages and not self.cluster_mode:
            refs = await self._message_refs(config, lists)
            if refs:
                checkpoint = {**checkpoint, "channel_values": {**values, **refs}}
        stored: RunnableConfig = await super().aput(
            config, checkpoint, metadata, new_versions, stream_mode
        )
        return stored

    async def aput_writes(
        self,
        config: RunnableConfig,
        writes: Sequence[tuple[str, Any]],
        task_id: str,
        task_path: str = "",
    ) -> None:
        """A task's writes, a long message list among them stored as a reference: a
        subgraph's first task writes the whole history it was given, as the parent's step
        writes the subgraph's whole output."""
        lists = shared_in_writes(writes)
        if lists and self.shared_messages and not self.cluster_mode:
            refs = await self._message_refs(config, lists, channels=[c for c, _ in writes])
            if refs:
                writes = [
                    (channel, refs.get(str(position), value))
                    for position, (channel, value) in enumerate(writes)
                ]
        await super().aput_writes(config, writes, task_id, task_path)

    async def _message_refs(
        self,
        config: RunnableConfig,
        lists: dict[str, list[Any]],
        channels: list[str] | None = None,
    ) -> dict[str, Any]:
        """A reference for each list of messages that can be stored by reference.

        Only what is new since the last list this process stored for the same thread,
        namespace and channel is serialised and sent: a list that starts with the very
        objects of that list reuses their ordinals (add_messages appends to, or rebuilds, a
        list of the same message objects). `channels` names each list's channel when the
        lists are keyed by position (pending writes).
        """
        _, threads = self._message_caches()
        configurable = config["configurable"]
        key = self.messages_key(str(configurable["thread_id"]))
        namespace = str(configurable.get("checkpoint_ns") or "")

        def where(name: str) -> tuple[str, str]:
            return place(namespace, name, channels)

        for _attempt in range(2):
            expected = threads.current(key)
            plan = self._plan(key, expected, {where(name): v for name, v in lists.items()})
            if not plan:
                return {}
            args: list[Any] = [expected or "", new_generation(), self._store_ttl()]
            new = {s.digest: s.body for _, rest in plan.values() for s in rest}
            if expected:
                known = threads.generation(key, expected).ordinals
                new = {digest: body for digest, body in new.items() if digest not in known}
            for digest, body in new.items():
                args += [digest, body]
            reply = await self._intern_call(key, args)
            generation, stale = text(reply[0]), bool(reply[1])
            if stale:  # the store was deleted and created again: nothing cached holds
                threads.forget(key)
                continue
            threads.set_current(key, generation)
            cached = threads.generation(key, generation)
            cached.ordinals.update(zip(new, (int(o) for o in reply[3:]), strict=True))
            cached.next = int(reply[2])
            refs: dict[str, Any] = {}
            for name, messages in lists.items():
                if where(name) not in plan:
                    continue
                prefix, rest = plan[where(name)]
                added = [cached.ordinals[s.digest] for s in rest]
                cached.messages.update(zip(added, messages[len(prefix) :], strict=True))
                ordinals = prefix + added
                cached.remember_last(where(name), messages, ordinals)
                refs[name] = {MESSAGES_REF: {"g": generation, "o": ranges_of(ordinals)}}
            return refs
        raise RuntimeError(f"message store {key} was re-created twice during one put")

    def _plan(
        self, key: str, generation: str | None, lists: dict[tuple[str, str], list[Any]]
    ) -> dict[tuple[str, str], tuple[list[int], list[Serialized]]]:
        threads = self._message_caches()[1]
        return self._plan_in(threads.generation(key, generation) if generation else None, lists)

    def _plan_in(
        self, cached: Generation | None, lists: dict[tuple[str, str], list[Any]]
    ) -> dict[tuple[str, str], tuple[list[int], list[Serialized]]]:
        """Per message list: the ordinals of the prefix already stored, and the serialised
        rest. Lists that are not all messages, or not JSON, are left out (stored inline)."""
        serialized = self._message_caches()[0]
        plan: dict[tuple[str, str], tuple[list[int], list[Serialized]]] = {}
        for where, messages in lists.items():
            prefix: list[int] = []
            last = cached.last.get(where) if cached else None
            if last is not None:
                previous, ordinals = last
                size = len(previous)
                if size <= len(messages) and all(map(operator.is_, previous, messages)):
                    prefix = ordinals
            rest = messages[len(prefix) :]
            if not all(isinstance(m, BaseMessage) for m in rest):
                continue
            try:
                plan[where] = (prefix, [serialized.serialize(m, self._dump_message) for m in rest])
            except TypeError:
                continue  # not JSON (bytes in a message): stays inline, the library's way
        return plan

    def _store_ttl(self) -> int:
        """The expiry the saver gives a checkpoint it writes, in seconds (0: none)."""
        if self.ttl_config and "default_ttl" in self.ttl_config:
            return int(self.ttl_config["default_ttl"] * 60)
        return 0

    async def _intern_call(self, key: str, args: list[Any]) -> Any:
        if self._intern_script is None:
            self._intern_script = self._redis.register_script(_INTERN)
        return await self._intern_script(keys=[key], args=args)


def new_generation() -> str:
    return base64.urlsafe_b64encode(os.urandom(6)).decode()
