"""Text out of redis-py replies, which answer bytes unless the client decodes them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


def text(value: Any) -> str:
    """Keys, fields and values stored by the product are always UTF-8 text."""
    return value.decode() if isinstance(value, bytes) else str(value)


def texts(values: Iterable[Any]) -> list[str]:
    return [text(v) for v in values]
