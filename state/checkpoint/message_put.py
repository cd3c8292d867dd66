"""Checkpoints and pending writes with new messages stored in one round trip instead of two.

`MessageStoreSaver` interns new message bodies (one script call, which assigns their
ordinals) and only then writes the documents that reference them (a second round trip). When
this process knows the thread's store as it is (its generation and next ordinal, learnt from
its own last call), it can predict the ordinals: `OneTripMessageSaver` builds the references
from the prediction and sends bodies and documents in one script, which checks the
prediction first and writes nothing if it fails (another process interned meanwhile, one of
this process's own puts got there first, or the store was deleted). A checkpoint's script
also sets its expiry and latest pointer; a task's writes carry their own commands (documents,
`has_writes` flag, key registry, expiries: state/checkpoint/writes.py). On a failed
prediction the call takes the two-trip path, which also teaches this process the store's
state again. A thread this process has not seen is predicted to have no store yet, as a new
thread has not.
"""

from __future__ import annotations

import contextvars
from collections.abc import Coroutine, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import ChannelVersions, Checkpoint, CheckpointMetadata
from redis.exceptions import ResponseError
from redisvl.exceptions import RedisVLError

from state.checkpoint.message_cache import Generation, ThreadMessages, ranges_of
from state.checkpoint.messages import (
    MESSAGES_REF,
    MessageStoreSaver,
    message_lists,
    new_generation,
    place,
    shared_in_writes,
)
from state.checkpoint.writes import LeanWritesSaver
from state.redis_text import text

T = TypeVar("T")

_CLAIM = """
local function claim(first, last)
  local gen = redis.call('HGET', KEYS[1], 'g')
  if ARGV[1] == '' then
    if gen then return false end
    gen = ARGV[2]
    redis.call('HSET', KEYS[1], 'g', gen, 'n', 0)
  elseif gen ~= ARGV[1] then
    return false
  end
  local n = tonumber(redis.call('HGET', KEYS[1], 'n'))
  if n ~= tonumber(ARGV[3]) then return false end
  for i = first, last, 2 do
    if redis.call('HEXISTS', KEYS[1], gen .. ':d:' .. ARGV[i]) == 1 then return false end
  end
  for i = first, last, 2 do
    redis.call('HSET', KEYS[1], gen .. ':d:' .. ARGV[i], n, gen .. ':' .. n, ARGV[i + 1])
    n = n + 1
  end
  redis.call('HSET', KEYS[1], 'n', n)
  if tonumber(ARGV[4]) > 0 then
    redis.call('EXPIRE', KEYS[1], ARGV[4])
  end
  return true
end
"""
"""The check and the interning both scripts start with. KEYS[1]: the store. ARGV: the
generation expected ('' for no store yet), the generation to create, the next ordinal
expected, expiry seconds (0: none); `first`..`last`: digest/body pairs (ordinals from the one
expected, in order). False, having written nothing, when the store is not as expected."""

_PUT = (
    _CLAIM
    + """
if not claim(6, #ARGV) then return 0 end
local ttl = tonumber(ARGV[4])
redis.call('JSON.SET', KEYS[2], '$', ARGV[5])
if ttl > 0 then
  redis.call('EXPIRE', KEYS[2], ttl)
  redis.call('SET', KEYS[3], KEYS[2], 'EX', ttl)
else
  redis.call('SET', KEYS[3], KEYS[2])
end
return 1
"""
)
"""KEYS: the store, the checkpoint document, the latest pointer. ARGV: as `_CLAIM`, then the
document, then the digest/body pairs. Returns 0, having written nothing, when the store is
not as expected; else 1."""

_WRITES = (
    _CLAIM
    + """
local bodies_end = 5 + 2 * tonumber(ARGV[5])
if not claim(6, bodies_end) then return 0 end
local failed = {1}
local at = bodies_end + 1
for k = 2, #KEYS do
  local argc = tonumber(ARGV[at + 1])
  local reply = redis.pcall(ARGV[at], KEYS[k], unpack(ARGV, at + 2, at + 1 + argc))
  if type(reply) == 'table' and reply.err then
    table.insert(failed, k - 1)
    table.insert(failed, reply.err)
  end
  at = at + 2 + argc
end
return failed
"""
)
"""KEYS: the store, then each write command's key. ARGV: as `_CLAIM`, the number of
digest/body pairs, the pairs, then per command its name, its argument count and its arguments
after the key. Returns 0, having written nothing, when the store is not as expected; else 1
followed by (command number, error) for each command that failed (the others ran, as in a
pipeline)."""

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

    def refs(self) -> dict[tuple[str, str], dict[str, Any]]:
        """Each list's reference, by where its ordinals are remembered."""
        return {
            where: {MESSAGES_REF: {"g": self.generation, "o": ranges_of(prefix + added)}}
            for where, _, prefix, added in self.lists
        }

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
    """`MessageStoreSaver` whose puts and writes take one round trip when the store is as
    predicted."""

    _put_script: Any = None
    _writes_script: Any = None

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
            namespace = str(config["configurable"].get("checkpoint_ns") or "")
            prediction = self._predict(config, {(namespace, n): v for n, v in lists.items()})
            if prediction is not None:
                refs = {where[1]: ref for where, ref in prediction.refs().items()}
                predicted = cast(Checkpoint, {**checkpoint, "channel_values": {**values, **refs}})
                put = super().aput(config, predicted, metadata, new_versions, stream_mode)
                done, stored = await self._in_one_trip(prediction, put)
                if done:
                    assert stored is not None
                    return stored
        stored = await super().aput(config, checkpoint, metadata, new_versions, stream_mode)
        return stored

    async def aput_writes(
        self,
        config: RunnableConfig,
        writes: Sequence[tuple[str, Any]],
        task_id: str,
        task_path: str = "",
    ) -> None:
        lists = shared_in_writes(writes)
        if lists and self.shared_messages and not self.cluster_mode:
            namespace = str(config["configurable"].get("checkpoint_ns") or "")
            channels = [channel for channel, _ in writes]
            places = {name: place(namespace, name, channels) for name in lists}
            prediction = self._predict(config, {places[n]: v for n, v in lists.items()})
            if prediction is not None:
                refs = prediction.refs()
                predicted = [
                    (channel, refs[places[str(i)]] if str(i) in places else value)
                    for i, (channel, value) in enumerate(writes)
                ]
                put = super().aput_writes(config, predicted, task_id, task_path)
                done, _ = await self._in_one_trip(prediction, put)
                if done:
                    return
        await super().aput_writes(config, writes, task_id, task_path)

    async def _in_one_trip(
        self, prediction: _Prediction, put: Coroutine[Any, Any, T]
    ) -> tuple[bool, T | None]:
        """Run `put` with `prediction` pending: whether its script stored it, and its result.

        False when the store was not as predicted (nothing was written), or when the
        documents were stored some other way than the scripts: then their bodies were not,
        and the caller stores them again the two-trip way."""
        token = _PENDING.set(prediction)
        try:
            result = await put
        except _Mispredicted:  # the two-trip path learns the store's state again
            if prediction.expected:
                cached = self._message_caches()[1].generation(prediction.store, prediction.expected)
                if cached.next == prediction.next_ordinal:  # else a put of ours moved it on
                    cached.next = None
            return False, None
        finally:
            _PENDING.reset(token)
        if not prediction.done:
            return False, None
        prediction.commit(self._message_caches()[1])
        return True, result

    def _predict(
        self, config: RunnableConfig, lists: dict[tuple[str, str], list[Any]]
    ) -> _Prediction | None:
        """The references these lists (by where their ordinals are remembered) would get,
        if the store is as this process last saw it."""
        _, threads = self._message_caches()
        store = self.messages_key(str(config["configurable"]["thread_id"]))
        expected = threads.current(store)
        if expected is None:
            cached, generation, next_ordinal = Generation(), new_generation(), 0
        else:
            cached = threads.generation(store, expected)
            if cached.next is None:
                return None
            generation, next_ordinal = expected, cached.next
        plan = self._plan_in(cached, lists)
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
            prediction.lists.append((where, lists[where], prefix, added))
        return prediction

    def _claim_args(self, prediction: _Prediction) -> list[Any]:
        """`_CLAIM`'s first arguments."""
        ttl = self._ttl_seconds() or 0
        return [prediction.expected, prediction.generation, prediction.next_ordinal, ttl]

    async def _store_checkpoint(self, key: str, latest: str, document: bytes | str) -> None:
        prediction = _PENDING.get()
        if prediction is None or prediction.done:
            await super()._store_checkpoint(key, latest, document)
            return
        if self._put_script is None:
            self._put_script = self._redis.register_script(_PUT)
        args: list[Any] = [*self._claim_args(prediction), document]
        for digest, body in prediction.bodies.items():
            args += [digest, body]
        try:
            written = await self._put_script(keys=[prediction.store, key, latest], args=args)
        except Exception as exc:  # raised as the library's redisvl `load` raises it
            raise RedisVLError(f"Failed to load data: {exc}") from exc
        if not int(written):
            raise _Mispredicted(prediction.store)
        prediction.done = True

    async def _store_writes(self, commands: list[tuple[Any, ...]]) -> list[Any]:
        prediction = _PENDING.get()
        if prediction is None or prediction.done:
            return await super()._store_writes(commands)
        if self._writes_script is None:
            self._writes_script = self._redis.register_script(_WRITES)
        args: list[Any] = [*self._claim_args(prediction), len(prediction.bodies)]
        for digest, body in prediction.bodies.items():
            args += [digest, body]
        for name, _key, *rest in commands:
            args += [name, len(rest), *rest]
        keys = [prediction.store, *(command[1] for command in commands)]
        reply = await self._writes_script(keys=keys, args=args)
        if not reply:
            raise _Mispredicted(prediction.store)
        prediction.done = True
        results: list[Any] = [True] * len(commands)
        for number, error in zip(reply[1::2], reply[2::2], strict=True):
            results[int(number) - 1] = ResponseError(text(error))
        return results

    async def _aput_interrupted(self, key: str, document: dict[str, Any], *args: Any) -> None:
        """A predicted put cancelled before its script answered stores no partial checkpoint:
        its references may name bodies that were never stored."""
        prediction = _PENDING.get()
        if prediction is not None and not prediction.done:
            return
        await super()._aput_interrupted(key, document, *args)
