"""Reading message references back, and the message store as one of the thread's keys.

A checkpoint's channel value, or a pending write's value, that is a list of messages may be
stored as a reference into the thread's message store (state/checkpoint/messages.py
describes the layout). `MessageReaderSaver` resolves references in every tuple it returns,
reviving only the messages this process has not revived (or written) before, and deletes,
lists and copies the store with the rest of the thread.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import orjson
from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import CheckpointTuple as _Tuple
from langgraph.checkpoint.redis.util import to_storage_safe_id

from state.checkpoint.keys import ThreadIndexSaver
from state.checkpoint.message_cache import (
    Serialized,
    SerializedMessages,
    ThreadMessages,
    digest_of,
    ordinals_of,
)
from state.redis_text import text

MESSAGES_REF = "__supportgraph_messages_v1__"
"""Marker key of a value stored as references into the thread's message store."""


class MissingMessage(LookupError):
    """A checkpoint references a message its thread's store does not hold."""


def written_to(channel: str) -> str:
    """Where the last message list written to `channel` is remembered (apart from the
    channel's value in checkpoints, which a write rarely starts like)."""
    return f"\x00write:{channel}"


def is_messages_ref(value: Any) -> bool:
    return type(value) is dict and len(value) == 1 and MESSAGES_REF in value


class MessageReaderSaver(ThreadIndexSaver):
    """Resolves message references in what it reads; owns the message store's lifecycle."""

    _serialized: SerializedMessages | None = None
    _threads: ThreadMessages | None = None

    def _message_caches(self) -> tuple[SerializedMessages, ThreadMessages]:
        if self._serialized is None or self._threads is None:
            self._serialized, self._threads = SerializedMessages(), ThreadMessages()
        return self._serialized, self._threads

    def messages_key(self, thread_id: str) -> str:
        """The Redis hash that holds the thread's message bodies."""
        return f"{self._checkpoint_prefix}_messages:{to_storage_safe_id(thread_id)}"

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
        """Replace each reference in the tuple's channel values and pending writes by its
        messages."""
        values = found.checkpoint.get("channel_values") or {}
        writes = found.pending_writes or []
        refs = {name for name, value in values.items() if is_messages_ref(value)}
        written = [i for i, (_, _, value) in enumerate(writes) if is_messages_ref(value)]
        if not refs and not written:
            return
        configurable = found.config["configurable"]
        key = self.messages_key(str(configurable["thread_id"]))
        namespace = str(configurable.get("checkpoint_ns") or "")
        for name in refs:
            values[name] = await self._messages(key, namespace, name, values[name][MESSAGES_REF])
        for index in written:
            task_id, channel, value = writes[index]
            ref = value[MESSAGES_REF]
            messages = await self._messages(key, namespace, written_to(channel), ref)
            writes[index] = (task_id, channel, messages)

    async def _messages(
        self, key: str, namespace: str, name: str, ref: dict[str, Any]
    ) -> list[Any]:
        serialized, threads = self._message_caches()
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
                digest = serialized.remember(message, Serialized(digest_of(body), body)).digest
                cached.ordinals.setdefault(digest, ordinal)
        messages = [known[o] for o in ordinals]
        cached.remember_last((namespace, name), messages, ordinals)
        return messages

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
