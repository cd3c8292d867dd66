"""One test per langgraph-checkpoint-redis 0.5.2 bug that `SupportRedisSaver` fixes.

Every test here fails with the library's `AsyncRedisSaver` as `SAVER_CLASS` and passes with
`SupportRedisSaver`. Each test gets its own key prefix (RediSearch only indexes database 0).
"""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator
from types import ModuleType
from typing import Any, TypedDict
from uuid import uuid4

import pytest
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage
from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import CheckpointTuple, empty_checkpoint
from langgraph.checkpoint.redis.aio import AsyncRedisSaver
from langgraph.graph import END, START, StateGraph

from state.checkpoint.saver import SupportRedisSaver
from tests.support.checkpoints import checkpoint_config
from tests.support.saver_cleanup import purge_saver

SAVER_CLASS: type[AsyncRedisSaver] = SupportRedisSaver


@pytest.fixture
async def saver(redis_url: str) -> AsyncIterator[AsyncRedisSaver]:
    prefix = f"cpbugs_{uuid4().hex[:12]}"
    instance = SAVER_CLASS(
        redis_url, checkpoint_prefix=f"{prefix}_cp", checkpoint_write_prefix=f"{prefix}_cpw"
    )
    async with instance:
        try:
            yield instance
        finally:
            await purge_saver(redis_url, instance, prefix)


async def _put_chain(
    saver: AsyncRedisSaver,
    thread_id: str,
    count: int,
    *,
    checkpoint_ns: str = "",
    metadata: list[dict[str, Any]] | None = None,
    channel_values: dict[str, Any] | None = None,
) -> list[str]:
    """Put `count` checkpoints, each the child of the previous; return their ids, oldest first."""
    ids: list[str] = []
    for step in range(count):
        checkpoint = empty_checkpoint()
        if channel_values:
            checkpoint["channel_values"] = dict(channel_values)
            checkpoint["channel_versions"] = dict.fromkeys(channel_values, 1)
        parent = {"checkpoint_id": ids[-1]} if ids else {}
        extra = metadata[step] if metadata else {}
        stored = await saver.aput(
            checkpoint_config(thread_id, checkpoint_ns, **parent),
            checkpoint,
            {"source": "loop", "step": step, "parents": {}, **extra},  # type: ignore[typeddict-item]
            checkpoint["channel_versions"],
        )
        ids.append(stored["configurable"]["checkpoint_id"])
    return ids


async def _ids(items: AsyncIterator[CheckpointTuple]) -> list[str]:
    return [item.config["configurable"]["checkpoint_id"] async for item in items]


async def test_alist_before_pages_through_history(saver: AsyncRedisSaver) -> None:
    """`before` was dropped (UUID ids parsed as ULIDs), so every page was the first page."""
    thread_id = str(uuid4())
    ids = await _put_chain(saver, thread_id, 5)
    await saver.aput_writes(
        checkpoint_config(thread_id, checkpoint_id=ids[1]), [("ch", "v")], "task-1"
    )

    pages: list[list[CheckpointTuple]] = []
    cursor: RunnableConfig | None = None
    for _ in range(len(ids) + 1):  # bounded: a saver ignoring `before` never runs dry
        page = [t async for t in saver.alist(checkpoint_config(thread_id), before=cursor, limit=2)]
        if not page:
            break
        pages.append(page)
        cursor = page[-1].config

    listed = [t.config["configurable"]["checkpoint_id"] for page in pages for t in page]
    assert listed == ids[::-1]
    assert [len(page) for page in pages] == [2, 2, 1]
    second = pages[1][1]  # ids[1], loaded after selection by `before`
    assert second.pending_writes == [("task-1", "ch", "v")]
    assert second.parent_config is not None
    assert second.parent_config["configurable"]["checkpoint_id"] == ids[0]


async def test_before_given_as_a_checkpoint_is_a_cursor_too(saver: AsyncRedisSaver) -> None:
    """`before` as a flat reference or a Checkpoint (what `RemoteGraph` sends through
    `langgraph dev`) raised `KeyError: 'configurable'`."""
    thread_id = str(uuid4())
    ids = await _put_chain(saver, thread_id, 4)
    newest = await saver.aget_tuple(checkpoint_config(thread_id))
    assert newest is not None
    forms: list[Any] = [
        newest.config,
        {"thread_id": thread_id, "checkpoint_ns": "", "checkpoint_id": ids[-1]},
        newest.checkpoint,
    ]
    for before in forms:
        listed = await _ids(saver.alist(checkpoint_config(thread_id), before=before, limit=10))
        assert listed == ids[-2::-1]


async def test_alist_root_namespace_excludes_subgraph_checkpoints(saver: AsyncRedisSaver) -> None:
    """`checkpoint_ns=""` (what get_state_history passes) listed subgraph checkpoints too."""
    thread_id = str(uuid4())
    root = await _put_chain(saver, thread_id, 2)
    child = await _put_chain(saver, thread_id, 2, checkpoint_ns="child:1")  # newer than root

    assert await _ids(saver.alist(checkpoint_config(thread_id, ""))) == root[::-1]
    assert await _ids(saver.alist(checkpoint_config(thread_id, ""), limit=1)) == [root[-1]]
    assert await _ids(saver.alist(checkpoint_config(thread_id, "child:1"))) == child[::-1]
    # No namespace at all still means every namespace.
    assert await _ids(saver.alist(checkpoint_config(thread_id, None))) == (root + child)[::-1]


async def test_alist_filters_on_custom_metadata_keys(saver: AsyncRedisSaver) -> None:
    """Filter keys other than source/step/thread_id/run_id raised `ValueError`."""
    thread_id = str(uuid4())
    scores: list[dict[str, Any]] = [{"score": 42}, {"score": 99}, {"score": 42, "ticket": "T-1"}]
    ids = await _put_chain(saver, thread_id, 3, metadata=scores)

    assert await _ids(saver.alist(checkpoint_config(thread_id), filter={"score": 42})) == [
        ids[2],
        ids[0],
    ]
    newest = saver.alist(
        checkpoint_config(thread_id), filter={"score": 42, "source": "loop"}, limit=1
    )
    assert await _ids(newest) == [ids[2]]
    assert await _ids(saver.alist(checkpoint_config(thread_id), filter={"ticket": "T-2"})) == []


async def test_alist_limit_zero_returns_nothing(saver: AsyncRedisSaver) -> None:
    """`limit=0` was treated as "no limit" and returned the whole thread."""
    thread_id = str(uuid4())
    await _put_chain(saver, thread_id, 2)

    assert await _ids(saver.alist(checkpoint_config(thread_id), limit=0)) == []


async def test_aprune_empty_thread_list_is_a_noop(saver: AsyncRedisSaver) -> None:
    """`aprune([])` raised `ValueError` instead of pruning nothing."""
    thread_id = str(uuid4())
    ids = await _put_chain(saver, thread_id, 2)

    await saver.aprune([], strategy="keep_latest")

    assert await _ids(saver.alist(checkpoint_config(thread_id))) == ids[::-1]


async def test_loading_messages_does_not_retry_a_missing_module_per_message(
    saver: AsyncRedisSaver, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each stored message names `langchain.schema.messages`; without the `langchain` package
    the serializer re-attempted (and failed) that import for every message on every load."""
    messages: list[BaseMessage] = []
    for i in range(50):
        messages += [HumanMessage(f"question {i}"), AIMessage(f"answer {i}")]
    thread_id = str(uuid4())
    [checkpoint_id] = await _put_chain(saver, thread_id, 1, channel_values={"messages": messages})

    failed_imports: list[str] = []
    real_import_module = importlib.import_module

    def import_module(name: str, package: str | None = None) -> ModuleType:
        try:
            return real_import_module(name, package)
        except ImportError:
            failed_imports.append(name)
            raise

    monkeypatch.setattr(importlib, "import_module", import_module)
    for _ in range(2):
        loaded = await saver.aget_tuple(checkpoint_config(thread_id, checkpoint_id=checkpoint_id))
        assert loaded is not None
        assert loaded.checkpoint["channel_values"]["messages"] == messages

    assert len(failed_imports) <= 1, f"{len(failed_imports)} failed imports: {failed_imports[:3]}"


async def test_a_runs_checkpoints_carry_its_metadata(saver: AsyncRedisSaver) -> None:
    """LangGraph hands the saver the loop's metadata and the run's config; its own savers store
    the run's metadata (`run_id`, the caller's keys) with every checkpoint, the library dropped
    it: a retried run could not tell its checkpoints from the previous run's, and a rollback
    (`run_id` in the index) found nothing to delete."""

    class State(TypedDict, total=False):
        count: int

    builder = StateGraph(State)
    builder.add_node("step", lambda state: {"count": state.get("count", 0) + 1})
    builder.add_edge(START, "step")
    builder.add_edge("step", END)
    graph = builder.compile(checkpointer=saver)
    thread_id = str(uuid4())
    config: RunnableConfig = {
        "configurable": {"thread_id": thread_id},
        "metadata": {"run_id": "run-7", "assistant_id": "support", "team": "billing"},
    }

    await graph.ainvoke({"count": 0}, config, durability="async")

    history = [c async for c in saver.alist(checkpoint_config(thread_id))]
    assert len(history) == 3  # input, loop step 0, loop step 1
    for stored in history:
        assert stored.metadata.get("run_id") == "run-7"
        assert stored.metadata.get("assistant_id") == "support"
        assert stored.metadata.get("team") == "billing"
    assert [c async for c in saver.alist(None, filter={"run_id": "run-7"})] != []
