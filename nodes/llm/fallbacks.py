"""Falling back to the offline backend: the endpoint's health and who fell back this turn.

The hosted models mark the endpoint down and call `note_fallback`; the provider's node
wrapper collects the noted roles into the turn's state. Both sides read this module, so
neither imports the other.
"""

from __future__ import annotations

import time
from contextvars import ContextVar
from dataclasses import dataclass

Role = str
"""guardrail, router, faq, billing, technical, account or triage."""

FALLBACK_COOLDOWN_SECONDS = 30.0
"""How long calls skip an endpoint that just failed, instead of each paying its timeout."""


fallbacks_noted: ContextVar[list[Role] | None] = ContextVar("supportgraph_fallbacks", default=None)


def note_fallback(role: Role) -> None:
    """Called by a model that answered from its fallback, inside the node that called it."""
    roles = fallbacks_noted.get()
    if roles is not None and role not in roles:
        roles.append(role)


@dataclass
class EndpointHealth:
    """Shared by a provider's hosted models: one failure sends them all to the fallback."""

    cooldown_seconds: float = FALLBACK_COOLDOWN_SECONDS
    down_until: float = 0.0

    def is_down(self) -> bool:
        return time.monotonic() < self.down_until

    def mark_down(self) -> None:
        self.down_until = time.monotonic() + self.cooldown_seconds
