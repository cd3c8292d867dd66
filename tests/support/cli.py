"""The `supportgraph` command line as the tests run it: a real `python -m api.cli` process."""

from __future__ import annotations

import os
import sys
from pathlib import Path

CLI = [sys.executable, "-m", "api.cli"]


def cli_env(redis_url: str, cache_dir: Path, **extra: str) -> dict[str, str]:
    """This process's environment, pointed at `redis_url` with the offline backend and its
    trained models cached in `cache_dir`; `extra` adds or overrides variables."""
    return {
        **os.environ,
        "REDIS_URL": redis_url,
        "SUPPORTGRAPH_MODEL_BACKEND": "offline",
        "SUPPORTGRAPH_CACHE_DIR": str(cache_dir),
        **extra,
    }
