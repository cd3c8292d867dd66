"""How long an idle thread is kept, and how often its keys are pushed back from expiry.

A thread is many Redis keys (checkpoints, pending writes, their registries and latest pointers;
the API's thread hash, run list, queue and run hashes). They must expire together: a thread
whose oldest checkpoints expired while it was in use has a broken history. So every use of a
thread re-expires all of its keys, not only the ones it touched. Doing that on every read would
cost an index search per read; instead each process does it at most once per `refresh_seconds`
per thread, and every key is given `expire_seconds` = the TTL plus that interval. A thread is
therefore kept at least `ttl_seconds` after its last use, and at most one interval longer.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

_MAX_INTERVAL = 3600
_MAX_TRACKED = 10_000


@dataclass(frozen=True)
class ThreadTtl:
    """A thread TTL in seconds (> 0)."""

    ttl_seconds: int

    def __post_init__(self) -> None:
        if self.ttl_seconds <= 0:
            raise ValueError(f"thread TTL must be positive, got {self.ttl_seconds}")

    @classmethod
    def from_seconds(cls, seconds: int | None) -> ThreadTtl | None:
        """The TTL for a `thread_ttl_seconds` setting: None or 0 keeps threads forever."""
        return cls(seconds) if seconds else None

    @property
    def refresh_seconds(self) -> int:
        """At most how often one process re-expires one thread's keys."""
        return min(_MAX_INTERVAL, max(1, self.ttl_seconds // 10))

    @property
    def expire_seconds(self) -> int:
        """The TTL every key of a thread is given when it is written or refreshed."""
        return self.ttl_seconds + self.refresh_seconds

    def library_config(self) -> dict[str, float]:
        """langgraph-checkpoint-redis's `ttl` config (minutes) for the same expiry on write.

        The library converts with `int(minutes * 60)`; the half second keeps float rounding
        from landing one second short. Its own `refresh_on_read` is left off: it re-expires
        only the checkpoint read, which is what `RefreshClock` replaces.
        """
        return {"default_ttl": (self.expire_seconds + 0.5) / 60}


@dataclass
class RefreshClock:
    """When this process last re-expired each thread; says whether a use must do it again."""

    ttl: ThreadTtl
    _last: dict[str, float] = field(default_factory=dict)

    def due(self, thread_id: str) -> bool:
        """True (and the thread counted as refreshed now) when its keys need re-expiring.

        Skipping is safe: a refresh at `t` keeps every key to `t + ttl + interval`, which is
        after `now + ttl` for any `now` within the interval.
        """
        now = time.monotonic()
        last = self._last.get(thread_id)
        if last is not None and now - last < self.ttl.refresh_seconds:
            return False
        if len(self._last) >= _MAX_TRACKED:
            horizon = now - self.ttl.refresh_seconds
            self._last = {t: at for t, at in self._last.items() if at >= horizon}
        self._last[thread_id] = now
        return True

    def forget(self, thread_id: str) -> None:
        """Make the next use refresh (after a refresh failed, or the thread changed hands)."""
        self._last.pop(thread_id, None)
