"""`SupportRedisSaver` stores what the library's `AsyncRedisSaver` stores, key for key.

Both savers replay the same checkpoints and writes (messages, interrupts, a subgraph namespace,
TTLs) under prefixes of their own; the stored JSON documents, latest pointers, TTLs and write-key
registries must match once the prefix is taken out. `checkpoint_ts` is the wall-clock time of
the put for LangGraph's (UUID) ids, so it is only checked for being there.
"""

from __future__ import annotations

import json
from typing import Any
from uuid import uuid4

import pytest
import redis.asyncio as aioredis
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage
from langgraph.checkpoint.base import create_checkpoint, empty_checkpoint
from langgraph.checkpoint.redis.aio import AsyncRedisSaver
from langgraph.types import Interrupt

from state.checkpoint.saver import SupportRedisSaver

Stored = dict[str, Any]


async def _replay(saver: AsyncRedisSaver, thread_id: str) -> None:
    """Two namespaces, three checkpoints each, with writes and an interrupt."""
    history: list[BaseMessage] = [HumanMessage("refund my late fee", id="h1")]
    call = {"name": "request_refund", "args": {"amount": 10.0}, "id": "call_1"}
    for n, namespace in enumerate(("", "billing:6f1c0c7e-0000-4000-8000-000000000001")):
        parent: dict[str, Any] = {}
        checkpoint = empty_checkpoint()
        for step in range(3):
            history = [*history, AIMessage(content=f"step {step}", id=f"a{step}{namespace[:1]}")]
            checkpoint = create_checkpoint(checkpoint, None, step)
            checkpoint["id"] = f"1f000000-0000-6000-8000-0000000000{n}{step}"
            checkpoint["ts"] = f"2025-01-01T00:00:0{step}+00:00"
            checkpoint["channel_values"] = {"messages": list(history), "route": "billing"}
            checkpoint["channel_versions"] = {"messages": f"{step + 1:032}.0", "route": 1}
            config = {
                "configurable": {"thread_id": thread_id, "checkpoint_ns": namespace, **parent}
            }
            metadata = {"source": "loop", "step": step, "parents": {}, "run_id": "run-1"}
            stored = await saver.aput(config, checkpoint, metadata, {})  # type: ignore[arg-type]
            writes: list[tuple[str, Any]] = [
                ("messages", [AIMessage(content="", tool_calls=[call], id=f"w{step}")]),
                ("status", "awaiting_approval"),
                ("handoffs", step),
            ]
            if step == 2:
                writes = [("__interrupt__", (Interrupt(value={"action": "refund"}, id="i-1"),))]
            await saver.aput_writes(stored, writes, f"task-{step}", "path")
            await saver.aput_writes(
                stored, [("messages", [ToolMessage("ok", tool_call_id="call_1")])], "task-x"
            )
            parent = {"checkpoint_id": stored["configurable"]["checkpoint_id"]}


async def _stored(client: Any, prefix: str, thread_id: str) -> Stored:
    """Every key the saver wrote, prefix replaced by "P": (type, content, has a TTL)."""
    found: Stored = {}
    async for raw in client.scan_iter(match=f"{prefix}_*", count=1000):
        key = raw.decode()
        kind = (await client.type(key)).decode()
        ttl = await client.ttl(key)
        if kind == "ReJSON-RL":
            document = json.loads(await client.execute_command("JSON.GET", key))
            if "checkpoint" in document:
                assert document.pop("checkpoint_ts") is not None
            value: Any = document
        else:
            value = (await client.get(key)).decode().replace(prefix, "P")
        found[key.replace(prefix, "P")] = (kind, value, ttl > 0)
    async for raw in client.scan_iter(match=f"write_keys_zset:{thread_id}:*", count=1000):
        members = await client.zrange(raw, 0, -1, withscores=True)
        names = [(member.decode(), score) for member, score in members]
        found[f"Z{raw.decode()}"] = [
            (name.replace(prefix, "P"), score) for name, score in names if name.startswith(prefix)
        ]
    return found


async def _purge(
    client: aioredis.Redis, saver: AsyncRedisSaver, prefix: str, thread_id: str
) -> None:
    await saver.checkpoints_index.delete(drop=True)
    await saver.checkpoint_writes_index.delete(drop=True)
    async for key in client.scan_iter(match=f"{prefix}_*", count=1000):
        await client.delete(key)
    async for key in client.scan_iter(match=f"write_keys_zset:{thread_id}:*", count=1000):
        await client.delete(key)


@pytest.mark.parametrize("ttl", [None, {"default_ttl": 5}])
async def test_same_documents_as_the_library(
    redis_url: str, redis_client: aioredis.Redis, ttl: dict[str, Any] | None
) -> None:
    stored: dict[str, Stored] = {}
    for saver_class in (AsyncRedisSaver, SupportRedisSaver):
        thread_id, prefix = str(uuid4()), f"cpw_{uuid4().hex[:10]}"
        saver = saver_class(
            redis_url,
            ttl=ttl,
            checkpoint_prefix=f"{prefix}_cp",
            checkpoint_write_prefix=f"{prefix}_cpw",
        )
        async with saver:
            try:
                await _replay(saver, thread_id)
                found = await _stored(redis_client, prefix, thread_id)
                stored[saver_class.__name__] = json.loads(json.dumps(found).replace(thread_id, "T"))
            finally:
                await _purge(redis_client, saver, prefix, thread_id)
    library, ours = stored["AsyncRedisSaver"], stored["SupportRedisSaver"]
    assert len(library) > 20
    assert ours == library
