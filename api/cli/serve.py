"""`supportgraph serve`: the HTTP API under uvicorn, one or several worker processes."""

from __future__ import annotations

import argparse
import os
import sys

import uvicorn

from api.bootstrap import UnsafeRedis, require_noeviction, resolve_redis_url
from nodes.llm.brain import load_brain
from state.redis_server import free_port, redacted
from state.settings import Settings


def serve(settings: Settings, host: str, port: int, workers: int) -> int:
    """Prepare what workers share (Redis, trained classifiers) once, then start them."""
    redis_url = resolve_redis_url(settings)
    try:
        require_noeviction(redis_url)
    except UnsafeRedis as exc:
        print(f"refusing to start: {exc}", file=sys.stderr, flush=True)
        return 2
    os.environ["REDIS_URL"] = redis_url
    if settings.resolved_backend == "offline":
        load_brain(settings.data_dir, settings.cache_dir)
    port = port or free_port()
    print(
        f"supportgraph API at http://{host}:{port}  (docs: http://{host}:{port}/docs)", flush=True
    )
    print(
        f"Redis {redacted(redis_url)} · model backend {settings.resolved_backend}"
        f" · {workers} worker(s)",
        flush=True,
    )
    if settings.open_access:
        print(
            "no credentials configured: the server is open for local use;"
            " every caller is an operator",
            flush=True,
        )
    uvicorn.run(
        "api.http.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        access_log=False,
        timeout_graceful_shutdown=10,
        # An idle connection is closed after 5 s, and a request head may not grow past 16 KB
        # (h11 enforces that limit; httptools has none): slow or endless headers cannot hold
        # connections, and file descriptors, open.
        http="h11",
        timeout_keep_alive=5,
        h11_max_incomplete_event_size=16 * 1024,
    )
    return 0


def run_serve(args: argparse.Namespace, settings: Settings) -> int:
    port = settings.port if args.port is None else args.port
    return serve(settings, args.host or settings.host, port, args.workers)
