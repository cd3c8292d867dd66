"""`supportgraph serve`: the HTTP API under uvicorn, one or several worker processes."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys

import uvicorn

from api.bootstrap import resolve_redis_url
from nodes.llm.brain import load_brain
from state.redis_server import free_port
from state.settings import Settings


def serve(settings: Settings, host: str, port: int, workers: int, with_worker: bool = False) -> int:
    """Prepare what workers share (Redis, trained classifiers) once, then start them."""
    redis_url = resolve_redis_url(settings)
    os.environ["REDIS_URL"] = redis_url
    if settings.resolved_backend == "offline":
        load_brain(settings.data_dir, settings.cache_dir)
    queue_worker = (
        subprocess.Popen([sys.executable, "-m", "api.cli", "worker"], env=dict(os.environ))
        if with_worker
        else None
    )
    try:
        return _run_uvicorn(settings, host, port, workers, redis_url)
    finally:
        if queue_worker is not None:
            queue_worker.send_signal(signal.SIGTERM)
            try:
                queue_worker.wait(timeout=15)
            except subprocess.TimeoutExpired:
                queue_worker.kill()


def _run_uvicorn(settings: Settings, host: str, port: int, workers: int, redis_url: str) -> int:
    port = port or free_port()
    print(
        f"supportgraph API at http://{host}:{port}  (docs: http://{host}:{port}/docs)", flush=True
    )
    print(
        f"Redis {redis_url} · model backend {settings.resolved_backend} · {workers} worker(s)",
        flush=True,
    )
    if not settings.api_keys:
        print("no API keys configured: the server is open for local use", flush=True)
    uvicorn.run(
        "api.http.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        access_log=False,
        timeout_graceful_shutdown=10,
    )
    return 0


def run_serve(args: argparse.Namespace, settings: Settings) -> int:
    port = settings.port if args.port is None else args.port
    return serve(settings, args.host or settings.host, port, args.workers, args.with_worker)
