"""A checkpoint with new messages stored in one round trip instead of two.

`MessageStoreSaver` interns a checkpoint's new message bodies (one script call, which assigns
their ordinals) and only then writes the document that references them (a second round trip).
When this process knows the thread's store as it is (its generation and next ordinal, learnt
from its own last call), it can predict the ordinals: `OneTripMessageSaver` builds the
references from the prediction and sends bodies, document, expiry and latest pointer in one
script, which checks the prediction first and writes nothing if it fails (another process
interned meanwhile, or the store was deleted); the put then takes the two-trip path, which
also teaches this process the store's state again. A thread this process has not seen is
predicted to have no store yet, as a new thread has not.
"""

from __future__ import annotations

import contextvars
from dataclasses import dataclass, field
from typing import Any, cast

from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import ChannelVersions, Checkpoint, CheckpointMetadata
from redisvl.exceptions import RedisVLError

from state.checkpoint.message_cache import Generation, ThreadMessages, ranges_of
from state.checkpoint.messages import (
    MESSAGES_REF,
    MessageStoreSaver,
    message_lists,
    new_generation,
)
from state.checkpoint.writes import LeanWritesSaver

_PUT = """
local gen = redis.call('HGET', KEYS[1], 'g')
if ARGV[1] == '' then
  if gen then return 0 end
  gen = ARGV[2]
  redis.call('HSET', KEYS[1], 'g', gen, 'n', 0)
elseif gen ~= ARGV[1] then
  return 0
end
local n = tonumber(redis.call('HGET', KEYS[1], 'n'))
if n ~= tonumber(ARGV[3]) then return 0 end
for i = 6, #ARGV, 2 do
  if redis.call('HEXISTS', KEYS[1], gen .. ':d:' .. ARGV[i]) == 1 then return 0 end
end
for i = 6, #ARGV, 2 do
  redis.call('HSET', KEYS[1], gen .. ':d:' .. ARGV[i], n, gen .. ':' .. n, ARGV[i + 1])
  n = n + 1
end
redis.call('HSET', KEYS[1], 'n', n)
local ttl = tonumber(ARGV[4])
redis.call('JSON.SET', KEYS[2], '$', ARGV[5])
if ttl > 0 then
  redis.call('EXPIRE', KEYS[1], ttl)
  redis.call('EXPIRE', KEYS[2], ttl)
  redis.call('SET', KEYS[3], KEYS[2], 'EX', ttl)
else
  redis.call('SET', KEYS[3], KEYS[2])
end
return 1
"""
"""KEYS: the store, the checkpoint document, the latest pointer. ARGV: the generation
expected ('' for no store yet), the generation to create, the next ordinal expected, expiry
seconds (0: none), the document, then digest/body pairs (ordinals from the one expected, in
order). Returns 0, having written nothing, when the store is not as expected; else 1."""

_PENDING: contextvars.ContextVar[_Prediction | None] = contextvars.ContextVar(
    "supportgraph_message_put", default=None
)


class _Mispredicted(Exception):
    """The store was not as predicted; nothing was written."""


@dataclass
class _Prediction:
    store: str
    expected: str
    """'' for a store that does not exist yet"""
    generation: str
    next_ordinal: int
    bodies: dict[str, bytes]
    """digest -> body of the messages new to the store, in ordinal order"""
    lists: list[tuple[tuple[str, str], list[Any], list[int], list[int]]] = field(
        default_factory=list
    )
    """(namespace, channel), messages, ordinals of the prefix stored, ordinals of the rest"""
    done: bool = False

    def commit(self, threads: ThreadMessages) -> None:
        """What the store now holds, as the two-trip path would have learnt it."""
        threads.set_current(self.store, self.generation)
        cached = threads.generation(self.store, self.generation)
        cached.ordinals.update(zip(self.bodies, range(self.next_ordinal, 1 << 62), strict=False))
        cached.next = self.next_ordinal + len(self.bodies)
        for where, messages, prefix, added in self.lists:
            cached.messages.update(zip(added, messages[len(prefix) :], strict=True))
            cached.remember_last(where, messages, prefix + added)


class OneTripMessageSaver(MessageStoreSaver, LeanWritesSaver):
    """`MessageStoreSaver` whose puts take one round trip when the store is as predicted."""

    _put_script: Any = None

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
        prediction = None
        if lists and self.shared_messages and not self.cluster_mode:
            prediction = self._predict(config, lists)
        if prediction is not None:
            refs = {
                where[1]: {MESSAGES_REF: {"g": prediction.generation, "o": ranges_of(p + a)}}
                for where, _, p, a in prediction.lists
            }
            token = _PENDING.set(prediction)
            try:
                predicted = cast(Checkpoint, {**checkpoint, "channel_values": {**values, **refs}})
                stored: RunnableConfig = await super().aput(
                    config, predicted, metadata, new_versions, stream_mode
                )
                if prediction.done:
                    prediction.commit(self._message_caches()[1])
                    return stored
                # the document was stored some other way than `_store_checkpoint`: its
                # bodies were not, so it is stored again the two-trip way below
            except _Mispredicted:  # the two-trip path learns the store's state again
                if prediction.expected:
                    threads = self._message_caches()[1]
                    threads.generation(prediction.store, prediction.expected).next = None
            finally:
                _PENDING.reset(token)
        stored = await super().aput(config, checkpoint, metadata, new_versions, stream_mode)
        return stored

    def _predict(self, config: RunnableConfig, lists: dict[str, list[Any]]) -> _Prediction | None:
        """The references this put would get, if the store is as this process last saw it."""
        _, threads = self._message_caches()
        configurable = config["configurable"]
        store = self.messages_key(str(configurable["thread_id"]))
        namespace = str(configurable.get("checkpoint_ns") or "")
        expected = threads.current(store)
        if expected is None:
            cached, generation, next_ordinal = Generation(), new_generation(), 0
        else:
            cached = threads.generation(store, expected)
            if cached.next is None:
                return None
            generation, next_ordinal = expected, cached.next
        plan = self._plan_in(cached, {(namespace, name): value for name, value in lists.items()})
        if len(plan) != len(lists):
            return None  # a list stays inline: the two-trip path handles the mixed case
        bodies: dict[str, bytes] = {}
        for _, rest in plan.values():
            for serialized in rest:
                if serialized.digest not in cached.ordinals:
                    bodies.setdefault(serialized.digest, serialized.body)
        assigned = dict(zip(bodies, range(next_ordinal, next_ordinal + len(bodies)), strict=True))
        prediction = _Prediction(store, expected or "", generation, next_ordinal, bodies)
        for where, (prefix, rest) in plan.items():
            added = [cached.ordinals.get(s.digest, assigned.get(s.digest, -1)) for s in rest]
            prediction.lists.append((where, lists[where[1]], prefix, added))
        return prediction

    async def _store_checkpoint(self, key: str, latest: str, document: bytes | str) -> None:
        prediction = _PENDING.get()
        if prediction is None or prediction.done:
            await super()._store_checkpoint(key, latest, document)
            return
        if self._put_script is None:
            self._put_script = self._redis.register_script(_PUT)
        args: list[Any] = [
            prediction.expected,
            prediction.generation,
            prediction.next_ordinal,
            self._ttl_seconds() or 0,
            document,
        ]
        for digest, body in prediction.bodies.items():
            args += [digest, body]
        try:
            written = await self._put_script(keys=[prediction.store, key, latest], args=args)
        except Exception as exc:  # raised as the library's redisvl `load` raises it
            raise RedisVLError(f"Failed to load data: {exc}") from exc
        if not int(written):
            raise _Mispredicted(prediction.store)
        prediction.done = True

    async def _aput_interrupted(self, key: str, document: dict[str, Any], *args: Any) -> None:
        """A predicted put cancelled before its script answered stores no partial checkpoint:
        its references may name bodies that were never stored."""
        prediction = _PENDING.get()
        if prediction is not None and not prediction.done:
            return
        await super()._aput_interrupted(key, document, *args)
