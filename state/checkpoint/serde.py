"""The checkpoint serializer: the library's, without its slow paths, reviving our state."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from langgraph.checkpoint.redis.jsonplus_redis import JsonPlusRedisSerializer
from pydantic import BaseModel

from state.schema import SupportState

_MAX_MISSING_MODULES = 1024
"""Bound on the serializer's negative import cache (module paths come from stored data)."""

_JSON_SCALARS = frozenset({str, int, float, bool, type(None)})

STATE_MODELS: tuple[type[BaseModel], ...] = (SupportState,)
"""The state models a checkpoint stores whole: a subgraph's input checkpoint keeps the
parent's state in its `__start__` channel (the specialist and triage subgraphs)."""


def _constructor_id(model: type[BaseModel]) -> tuple[str, ...]:
    return (*model.__module__.split("."), model.__name__)


class SupportRedisSerializer(JsonPlusRedisSerializer):
    """`JsonPlusRedisSerializer` that remembers which constructor modules cannot be imported,
    and revives the state models it stores.

    The library writes a Pydantic model as a constructor envelope, but revives only the
    types on LangGraph's allow-list: the state a subgraph's input checkpoint holds came back
    as the envelope itself, a dict with none of the state's keys. A run retried after its
    process died between that checkpoint and its first task's writes then ran the specialist
    on an empty state: it asked the customer what they wanted instead of asking for the
    approval, and the approval queued behind the run found nothing to resume
    (tests/integration/api/test_run_retry.py). Only the exact classes of `STATE_MODELS` are
    allowed, as the library's allow-list is meant to be used.
    """

    def __init__(self) -> None:
        super().__init__(allowed_json_modules=[_constructor_id(m) for m in STATE_MODELS])
        self._missing_modules: set[str] = set()

    def _preprocess_redis_json(
        self, obj: Any, *, encode_bytes: Callable[[bytes], Any] | None = None
    ) -> Any:
        """The library's normalisation, with plain JSON values and containers handled here.

        The library checks every value, down to each string in a message, against seven
        types (and re-imports three of them) before it reaches the plain-data case; a turn's
        checkpoint has thousands. An exact `str`/`int`/`float`/`bool`/`None` is none of those
        types and comes back unchanged, an exact `dict` or `list` is walked the same way, and
        everything else still goes through the library.
        """
        kind = type(obj)
        if kind in _JSON_SCALARS:
            return obj
        if kind is dict:
            return {
                key: self._preprocess_redis_json(value, encode_bytes=encode_bytes)
                for key, value in obj.items()
            }
        if kind is list:
            return [self._preprocess_redis_json(item, encode_bytes=encode_bytes) for item in obj]
        return super()._preprocess_redis_json(obj, encode_bytes=encode_bytes)

    def _constructor_class(self, obj: dict[str, Any]) -> type[Any]:
        """Fail fast for a module that already failed to import.

        Every message `to_json()` envelope carries `id=["langchain", "schema", "messages",
        ...]`. The library tries `importlib.import_module("langchain.schema.messages")` for
        each one before falling back to langchain-core's reviver; without the `langchain`
        package that import fails every time (failures are not cached in `sys.modules`) and
        was ~90% of `aget_tuple` on a 100-message thread. The raised error is the same.
        """
        id_parts = obj.get("id")
        module = None
        if isinstance(id_parts, list) and all(isinstance(part, str) for part in id_parts):
            module = ".".join(id_parts[:-1])
            if module in self._missing_modules:
                raise ValueError(f"Cannot import {id_parts[-1]} from {module}: no such module")
        try:
            return super()._constructor_class(obj)
        except ValueError as exc:
            missing = isinstance(exc.__cause__, ModuleNotFoundError)
            if missing and module and len(self._missing_modules) < _MAX_MISSING_MODULES:
                self._missing_modules.add(module)
            raise
