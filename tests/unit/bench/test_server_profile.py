"""The bench's CPU breakdown counts each function where its code lives: the Redis saver's
own code is checkpoint cost, not Redis client cost; the offline model is the model layer."""

from __future__ import annotations

import cProfile
from pathlib import Path

import pytest

from bench.server_profile import OTHER, breakdown, component

SITE = "/venv/lib/python3.11/site-packages"


@pytest.mark.parametrize(
    ("filename", "function", "expected"),
    [
        (f"{SITE}/langgraph/checkpoint/redis/aio.py", "aput", "checkpoint saver + serde"),
        ("/repo/state/checkpoint/messages.py", "aput", "checkpoint saver + serde"),
        (f"{SITE}/redis/asyncio/client.py", "execute_command", "Redis client"),
        (f"{SITE}/langgraph/pregel/main.py", "astream", "graph framework: langgraph"),
        ("/repo/nodes/llm/offline.py", "_generate", "model layer: langchain_core, nodes/llm"),
        ("/repo/nodes/guardrail.py", "screen", "nodes, tools, stores"),
        (
            "/repo/api/http/limits.py",
            "__call__",
            "HTTP: uvicorn, h11, FastAPI, api/http",
        ),
        ("/repo/api/runs/executor.py", "_execute", "run engine: api/runs, metrics"),
        ("~", "<built-in method orjson.dumps>", "checkpoint saver + serde"),
        ("~", "<built-in method builtins.isinstance>", OTHER),
    ],
)
def test_a_function_is_counted_where_its_code_lives(
    filename: str, function: str, expected: str
) -> None:
    assert component(filename, function) == expected


def test_the_shares_add_up_to_the_whole(tmp_path: Path) -> None:
    profile = cProfile.Profile()
    profile.enable()
    sorted(str(i) for i in range(2000))
    profile.disable()
    out = tmp_path / "p.prof"
    profile.dump_stats(out)
    shares = breakdown(str(out))
    assert shares and abs(sum(shares.values()) - 1.0) < 1e-9
