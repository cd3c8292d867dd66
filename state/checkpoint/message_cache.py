"""In-process caches that make a checkpoint's messages cost what changed, not the history.

A message is immutable once it is in a thread's state (LangGraph's `add_messages` replaces a
message by id with a new object; it never edits a stored one), so:

* `SerializedMessages` remembers, per live message object, its serialised body and the body's
  digest: each message is serialised once, however many checkpoints it is part of;
* `ThreadMessages` remembers, per thread and message-store generation, which ordinal each
  digest was given and the message object revived for each ordinal: a checkpoint's messages
  are interned only when new, and read back without reviving every message on every read.

Both are bounded; an entry that is evicted is rebuilt from Redis on the next use.
"""

from __future__ import annotations

import base64
import hashlib
import weakref
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

_MAX_OBJECTS = 50_000
"""Live message objects whose serialisation is remembered at most."""

_MAX_LISTS = 8
"""Last message lists remembered per thread generation (one per namespace and channel)."""

_MAX_THREADS = 512
"""Thread generations whose ordinals and revived messages are remembered at most."""


def digest_of(body: bytes) -> str:
    """A message body's content address: 12 bytes of BLAKE2b, base64url (16 characters)."""
    return base64.urlsafe_b64encode(hashlib.blake2b(body, digest_size=12).digest()).decode()


@dataclass(frozen=True)
class Serialized:
    digest: str
    body: bytes


class SerializedMessages:
    """The serialised body of each live message object, keyed by the object's identity.

    An entry lives as long as its object (a weak reference drops it when the object is
    collected), so an id reused by a new object never finds the old body.
    """

    def __init__(self, limit: int = _MAX_OBJECTS) -> None:
        self._limit = limit
        self._entries: dict[int, tuple[weakref.ref[Any], Serialized]] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, message: Any) -> Serialized | None:
        entry = self._entries.get(id(message))
        if entry is None or entry[0]() is not message:
            return None
        return entry[1]

    def remember(self, message: Any, serialized: Serialized) -> Serialized:
        if len(self._entries) >= self._limit:
            self._entries.clear()  # rare; each message is serialised again once
        key = id(message)
        entries = self._entries

        def forget(ref: weakref.ref[Any], key: int = key) -> None:
            found = entries.get(key)
            if found is not None and found[0] is ref:
                del entries[key]

        self._entries[key] = (weakref.ref(message, forget), serialized)
        return serialized

    def serialize(self, message: Any, dump: Callable[[Any], bytes]) -> Serialized:
        """The message's body and digest, from `dump(message)` the first time only."""
        found = self.get(message)
        if found is not None:
            return found
        body = dump(message)
        return self.remember(message, Serialized(digest_of(body), body))


@dataclass
class Generation:
    """What this process knows of one generation of one thread's message store."""

    ordinals: dict[str, int] = field(default_factory=dict)
    """digest -> ordinal"""
    messages: dict[int, Any] = field(default_factory=dict)
    """ordinal -> the message object revived (or written) for it"""
    last: dict[tuple[str, str], tuple[list[Any], list[int]]] = field(default_factory=dict)
    """(namespace, channel) -> the last message list stored or read there, and its ordinals"""
    next: int | None = None
    """The store's next ordinal, as this process last set or saw it (None: not known)"""

    def remember_last(
        self, where: tuple[str, str], messages: list[Any], ordinals: list[int]
    ) -> None:
        """Keep `messages` (copied) as the last list at `where`; a subgraph's namespace names
        its task, so only the most recent few are kept."""
        self.last.pop(where, None)
        self.last[where] = (list(messages), ordinals)
        while len(self.last) > _MAX_LISTS:
            del self.last[next(iter(self.last))]


class ThreadMessages:
    """Per (message-store key, generation): ordinals by digest and messages by ordinal, plus
    the generation each key was last seen to have; least recently used evicted first."""

    def __init__(self, limit: int = _MAX_THREADS) -> None:
        self._limit = limit
        self._generations: OrderedDict[tuple[str, str], Generation] = OrderedDict()
        self._current: OrderedDict[str, str] = OrderedDict()

    def current(self, key: str) -> str | None:
        """The generation new messages under `key` were last interned into, if known."""
        return self._current.get(key)

    def set_current(self, key: str, generation: str) -> None:
        self._current[key] = generation
        self._current.move_to_end(key)
        while len(self._current) > self._limit:
            self._current.popitem(last=False)

    def generation(self, key: str, generation: str) -> Generation:
        found = self._generations.get((key, generation))
        if found is None:
            found = self._generations[(key, generation)] = Generation()
            while len(self._generations) > self._limit:
                self._generations.popitem(last=False)
        else:
            self._generations.move_to_end((key, generation))
        return found

    def forget(self, key: str) -> None:
        """Drop everything known of `key` (its store was deleted)."""
        self._current.pop(key, None)
        for cached in [k for k in self._generations if k[0] == key]:
            del self._generations[cached]


def ranges_of(ordinals: list[int]) -> list[list[int]]:
    """`[0, 1, 2, 5, 6]` -> `[[0, 3], [5, 7]]`: runs of consecutive ordinals, end exclusive."""
    ranges: list[list[int]] = []
    for ordinal in ordinals:
        if ranges and ranges[-1][1] == ordinal:
            ranges[-1][1] = ordinal + 1
        else:
            ranges.append([ordinal, ordinal + 1])
    return ranges


def ordinals_of(ranges: list[list[int]]) -> list[int]:
    """The inverse of `ranges_of`."""
    return [ordinal for start, stop in ranges for ordinal in range(start, stop)]
