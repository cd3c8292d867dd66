"""Message bodies stored once per thread; checkpoints reference them by ordinal.

langgraph-checkpoint-redis stores every channel value inline in every checkpoint, so each of a
turn's checkpoints (one per step under `async` durability) serialised, wrote, read and revived
the whole message history again: a conversation cost O(n²). With `shared_messages` on, a
channel value that is a list of messages is stored as a reference instead:

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
from collections.abc import AsyncIterator
from typing import Any

import orjson
from langchain_core.messages import BaseMessage
from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import ChannelVersions, Checkpoint, CheckpointMetadata
from langgraph.checkpoint.base import CheckpointTuple as _Tuple
from langgraph.checkpoint.redis.util import to_storage_safe_id

from state.checkpoint.keys import ThreadIndexSaver
from state.checkpoint.message_cache import (
    Serialized,
    SerializedMessages,
    ThreadMessages,
    digest_of,
    ordinals_of,
    ranges_of,
)
from state.redis_text import text

MESSAGES_REF = "__supportgraph_messages_v1__"
"""Marker key of a channel value stored as references into the thread's message store."""

_INTERN = """
local gen = redis.call('HGET', KEYS[1], 'g')
if not gen then
  gen = ARGV[2]
  redis.call('HSET', KEYS[1], 'g', gen, 'n', 0)
end
if ARGV[1] ~= '' and ARGV[1] ~= gen then
  return {gen, 1}
end
local out = {gen, 0}
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
return out
"""
"""KEYS: the store. ARGV: the generation the caller expects ('' for any), a generation for a
new store, expiry seconds (0: none), then digest/body pairs. Returns the generation, 1 if it
is not the one expected (nothing interned), else 0 and each pair's ordinal."""


class MissingMessage(LookupError):
    """A checkpoint references a message its thread's store does not hold."""


def is_messages_ref(value: Any) -> bool:
    return type(value) is dict and len(value) == 1 and MESSAGES_REF in value


def _may_be_message_list(value: Any) -> bool:
    return type(value) is list and bool(value) and isinstance(value[0], BaseMessage)


class MessageStoreSaver(ThreadIndexSaver):
    """Stores message lists by reference when `shared_messages` is set (module docstring);
    reads references back whether or not it is set."""

    shared_messages: bool = False
    _serialized: SerializedMessages | None = None
    _threads: ThreadMessages | None = None
    _intern_script: Any = None

    def _message_caches(self) -> tuple[SerializedMessages, ThreadMessages]:
        if self._serialized is None or self._threads is None:
            self._serialized, self._threads = SerializedMessages(), ThreadMessages()
        return self._serialized, self._threads

    def messages_key(self, thread_id: str) -> str:
        """The Redis hash that holds the thread's message bodies."""
        return f"{self._checkpoint_prefix}_messages:{to_storage_safe_id(thread_id)}"

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
        if self.shared_messages and not self.cluster_mode:
            checkpoint = await self._with_message_refs(config, checkpoint)
        stored: RunnableConfig = await super().aput(
            config, checkpoint, metadata, new_versions, stream_mode
        )
        return stored

    async def _with_message_refs(
        self, config: RunnableConfig, checkpoint: Checkpoint
    ) -> Checkpoint:
        """The checkpoint with each list of messages replaced by a reference.

        Only what is new since the last list this process stored for the same thread,
        namespace and channel is serialised and sent: a list that starts with the very
        objects of that list reuses their ordinals (add_messages appends to, or rebuilds, a
        list of the same message objects).
        """
        values = checkpoint.get("channel_values") or {}
        names = [name for name, value in values.items() if _may_be_message_list(value)]
        if not names:
            return checkpoint
        _, threads = self._message_caches()
        configurable = config["configurable"]
        key = self.messages_key(str(configurable["thread_id"]))
        namespace = str(configurable.get("checkpoint_ns") or "")
        for _attempt in range(2):
            expected = threads.current(key)
            plan = self._plan(key, expected, namespace, {name: values[name] for name in names})
            if not plan:
                return checkpoint
            args: list[Any] = [expected or "", _new_generation(), self._store_ttl()]
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
            cached.ordinals.update(zip(new, (int(o) for o in reply[2:]), strict=True))
            refs: dict[str, Any] = {}
            for name, (prefix, rest) in plan.items():
                messages = values[name]
                added = [cached.ordinals[s.digest] for s in rest]
                cached.messages.update(zip(added, messages[len(prefix) :], strict=True))
                ordinals = prefix + added
                cached.remember_last((namespace, name), messages, ordinals)
                refs[name] = {MESSAGES_REF: {"g": generation, "o": ranges_of(ordinals)}}
            return {**checkpoint, "channel_values": {**values, **refs}}
        raise RuntimeError(f"message store {key} was re-created twice during one put")

    def _plan(
        self, key: str, generation: str | None, namespace: str, lists: dict[str, list[Any]]
    ) -> dict[str, tuple[list[int], list[Serialized]]]:
        """Per message list: the ordinals of the prefix already stored, and the serialised
        rest. Lists that are not all messages, or not JSON, are left out (stored inline)."""
        serialized, threads = self._message_caches()
        cached = threads.generation(key, generation) if generation else None
        plan: dict[str, tuple[list[int], list[Serialized]]] = {}
        for name, messages in lists.items():
            prefix: list[int] = []
            last = cached.last.get((namespace, name)) if cached else None
            if last is not None:
                previous, ordinals = last
                size = len(previous)
                if size <= len(messages) and all(map(operator.is_, previous, messages)):
                    prefix = ordinals
            rest = messages[len(prefix) :]
            if not all(isinstance(m, BaseMessage) for m in rest):
                continue
            try:
                plan[name] = (prefix, [serialized.serialize(m, self._dump_message) for m in rest])
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

    async def aget_tuple(self, config: RunnableConfig) -> _Tuple | None:
        found: _Tuple | None = await super().aget_tuple(config)
        if found is not None:
            await self._resolve(found)
        return found

    async def alist(
        self,
        config: RunnableConfig | None,
        *,
        filter: dict[str, Any] | None = None,
        before: RunnableConfig | None = None,
        limit: int | None = None,
    ) -> AsyncIterator[_Tuple]:
        async for item in super().alist(config, filter=filter, before=before, limit=limit):
            await self._resolve(item)
            yield item

    async def _resolve(self, found: _Tuple) -> None:
        """Replace each reference in the tuple's channel values by its messages, reviving only
        those this process has not revived (or written) before."""
        values = found.checkpoint.get("channel_values") or {}
        refs = {
            name: value[MESSAGES_REF] for name, value in values.items() if is_messages_ref(value)
        }
        if not refs:
            return
        serialized, threads = self._message_caches()
        configurable = found.config["configurable"]
        key = self.messages_key(str(configurable["thread_id"]))
        namespace = str(configurable.get("checkpoint_ns") or "")
        for name, ref in refs.items():
            cached = threads.generation(key, str(ref["g"]))
            ordinals = ordinals_of(ref["o"])
            known = cached.messages
            missing = sorted({o for o in ordinals if o not in known})
            if missing:
                raws = await self._redis.hmget(key, [f"{ref['g']}:{o}" for o in missing])
                for ordinal, raw in zip(missing, raws, strict=True):
                    if raw is None:
                        raise MissingMessage(f"{key} holds no message {ref['g']}:{ordinal}")
                    body = raw if isinstance(raw, bytes) else str(raw).encode()
                    message = self._recursive_deserialize(orjson.loads(body))
                    known[ordinal] = message
                    digest = serialized.remember(message, _serialized(body)).digest
                    cached.ordinals.setdefault(digest, ordinal)
            messages = [known[o] for o in ordinals]
            cached.remember_last((namespace, name), messages, ordinals)
            values[name] = messages

    async def adelete_thread(self, thread_id: str) -> None:
        await super().adelete_thread(thread_id)
        key = self.messages_key(thread_id)
        await self._redis.delete(key)
        self._message_caches()[1].forget(key)

    async def athread_keys(self, thread_id: str) -> list[str]:
        keys = await super().athread_keys(thread_id)
        key = self.messages_key(thread_id)
        if await self._redis.exists(key):
            keys.append(key)
        return keys

    async def _copy_messages(self, source_thread_id: str, target_thread_id: str) -> None:
        """Make the target's store hold every body the source's holds, under the same
        generations and ordinals, so copied checkpoints resolve against the target."""
        source, target = self.messages_key(source_thread_id), self.messages_key(target_thread_id)
        fields: dict[Any, Any] = await self._redis.hgetall(source)
        if not fields:
            return
        if not await self._redis.exists(target):
            await self._redis.copy(source, target)
        else:  # the target's own generation (g, n) stays; the source's bodies join it
            kept = {f: v for f, v in fields.items() if text(f) not in ("g", "n")}
            await self._redis.hset(target, mapping=kept)
        if self.expire_seconds:
            await self._redis.expire(target, self.expire_seconds)


def _new_generation() -> str:
    return base64.urlsafe_b64encode(os.urandom(6)).decode()


def _serialized(body: bytes) -> Serialized:
    return Serialized(digest_of(body), body)
