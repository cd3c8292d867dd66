"""The shape every node factory returns."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

AsyncNode = Callable[..., Awaitable[dict[str, Any]]]
"""An async node: takes the state (and optionally the run config), returns a state update."""
