"""Kill switches: global controls an operator flips, and per-thread takeovers.

Two switches, kept in one Redis hash so every worker and server on the same Redis reads the
same values: `sensitive_actions: paused` makes every sensitive action open a ticket instead
of asking for approval, and `assistant: off` sends every customer message to a person. A
takeover is the second switch for one thread: an operator holds it until they hand it back.

Readers cache the hash for `CACHE_SECONDS`, so a change reaches every process within a
second without a Redis round trip on every node.
"""

from __future__ import annotations

import time
from typing import Literal, Protocol

from pydantic import BaseModel, ConfigDict
from redis.asyncio import Redis

from state.redis_text import text

CACHE_SECONDS = 0.5
"""How stale a process's view of the switches may be; changes apply everywhere within 1 s."""


class Switches(BaseModel):
    """The kill switches; every field has its safe, normal default."""

    model_config = ConfigDict(extra="forbid")

    sensitive_actions: Literal["active", "paused"] = "active"
    """`paused`: a sensitive action opens a ticket instead of waiting for an approval."""
    assistant: Literal["on", "off"] = "on"
    """`off`: every customer message goes to a person instead of the assistant."""


class SwitchChange(BaseModel):
    """A `PUT /switches` body: the switches to change, the others stay as they are."""

    model_config = ConfigDict(extra="forbid")

    sensitive_actions: Literal["active", "paused"] | None = None
    assistant: Literal["on", "off"] | None = None


class SwitchBoard(Protocol):
    async def current(self) -> Switches:
        """The switches as they are now (at most `CACHE_SECONDS` old)."""
        ...

    async def holder(self, thread_id: str) -> str | None:
        """The operator who took the thread over, if one did."""
        ...

    async def change(self, change: SwitchChange) -> Switches:
        """Apply the change; the switches as they are after it."""
        ...

    async def take_over(self, thread_id: str, operator: str) -> None: ...

    async def hand_back(self, thread_id: str) -> None: ...

    async def held_threads(self) -> dict[str, str]:
        """Every thread an operator holds, with who holds it."""
        ...


class MemorySwitchBoard:
    """In-process switches, for unit tests and the terminal."""

    def __init__(self, switches: Switches | None = None) -> None:
        self.switches = switches or Switches()
        self.takeovers: dict[str, str] = {}

    async def current(self) -> Switches:
        return self.switches

    async def holder(self, thread_id: str) -> str | None:
        return self.takeovers.get(thread_id)

    async def change(self, change: SwitchChange) -> Switches:
        self.switches = self.switches.model_copy(update=change.model_dump(exclude_none=True))
        return self.switches

    async def take_over(self, thread_id: str, operator: str) -> None:
        self.takeovers[thread_id] = operator

    async def hand_back(self, thread_id: str) -> None:
        self.takeovers.pop(thread_id, None)

    async def held_threads(self) -> dict[str, str]:
        return dict(self.takeovers)


class RedisSwitchBoard:
    """The switches in `<prefix>:switches`, takeovers in `<prefix>:takeover:<thread>`."""

    def __init__(self, client: Redis, prefix: str = "sg") -> None:
        self._client = client
        self.key = f"{prefix}:switches"
        self._takeover = f"{prefix}:takeover"
        self._cached: tuple[float, Switches] | None = None

    def takeover_key(self, thread_id: str) -> str:
        return f"{self._takeover}:{thread_id}"

    async def current(self) -> Switches:
        now = time.monotonic()
        if self._cached is not None and now - self._cached[0] < CACHE_SECONDS:
            return self._cached[1]
        raw = await self._client.hgetall(self.key)
        stored = {text(k): text(v) for k, v in raw.items()}
        known = {k: v for k, v in stored.items() if k in Switches.model_fields}
        switches = Switches.model_validate(known)
        self._cached = (now, switches)
        return switches

    async def change(self, change: SwitchChange) -> Switches:
        updates: dict[str, str] = change.model_dump(exclude_none=True)
        if updates:
            await self._client.hset(self.key, items=[x for pair in updates.items() for x in pair])
        self._cached = None
        return await self.current()

    async def holder(self, thread_id: str) -> str | None:
        found = await self._client.get(self.takeover_key(thread_id))
        return text(found) if found is not None else None

    async def take_over(self, thread_id: str, operator: str) -> None:
        await self._client.set(self.takeover_key(thread_id), operator)

    async def hand_back(self, thread_id: str) -> None:
        await self._client.delete(self.takeover_key(thread_id))

    async def held_threads(self) -> dict[str, str]:
        found: dict[str, str] = {}
        async for key in self._client.scan_iter(match=f"{self._takeover}:*", count=500):
            holder = await self._client.get(key)
            if holder is not None:
                found[text(key).removeprefix(f"{self._takeover}:")] = text(holder)
        return found
