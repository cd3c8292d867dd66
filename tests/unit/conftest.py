"""Unit tests are hermetic: any attempt to open a network socket fails the test."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import pytest_socket
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph.state import CompiledStateGraph

from api.bootstrap import memory_deps
from graphs.deps import SupportDeps
from graphs.support import build_support_graph
from state.settings import Settings
from state.stores.customers import CustomerDirectory
from state.stores.records import MemoryRecordStore, RecordStore


@pytest.fixture(autouse=True)
def _no_network() -> Iterator[None]:
    pytest_socket.disable_socket(allow_unix_socket=True)
    yield
    pytest_socket.enable_socket()


# The support graph, built once per session with the offline backend and in-memory state.
# Tests share it, so each one works on its own thread (`thread_id`) and reads back only the
# tickets and actions of that thread.


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings(model_backend="offline", redis_url=None)


@contextmanager
def _offline() -> Iterator[None]:
    """Session fixtures are built before `_no_network` runs: keep them off the network too."""
    pytest_socket.disable_socket(allow_unix_socket=True)
    try:
        yield
    finally:
        pytest_socket.enable_socket()


@pytest.fixture(scope="session")
def deps(settings: Settings) -> SupportDeps:
    with _offline():
        return memory_deps(settings)


@pytest.fixture(autouse=True)
def _fresh_refund_ledger(request: pytest.FixtureRequest) -> None:
    """Tests share one record store but are unrelated worlds: refunds one test committed do
    not count against the next test's (the limits hold across threads within a test)."""
    if {"deps", "records", "support_graph"} & set(request.fixturenames):
        records = request.getfixturevalue("deps").records
        if isinstance(records, MemoryRecordStore):
            records.forget_refunds()


@pytest.fixture(scope="session")
def customers(deps: SupportDeps) -> CustomerDirectory:
    return deps.customers


@pytest.fixture(scope="session")
def records(deps: SupportDeps) -> RecordStore:
    return deps.records


@pytest.fixture(scope="session")
def support_graph(deps: SupportDeps) -> CompiledStateGraph[Any, Any, Any, Any]:
    """The whole graph; the offline models are trained (or loaded from the cache) here."""
    with _offline():
        return build_support_graph(deps, checkpointer=InMemorySaver())


@pytest.fixture
def thread_id() -> str:
    return f"unit-{uuid.uuid4().hex}"
