"""`supportgraph serve`: the HTTP API under uvicorn, one or several worker processes.

Start-up is checked before anything starts: a port in use is refused with how to choose
another, before the managed Redis or the classifiers are touched; a managed Redis this
command started is stopped again if start-up fails after it. Each notice is printed once,
here, not by every worker.
"""

from __future__ import annotations

import argparse
import errno
import os
import signal
import socket
import subprocess
import sys
from typing import Any

import uvicorn

from api.bootstrap import UnsafeRedis, require_noeviction, resolve_redis_url
from api.cli.workers import run_workers
from nodes.llm.brain import load_brain
from state.redis_server import ManagedRedis, free_port, redacted
from state.settings import Settings

NOTICES_SHOWN = "SUPPORTGRAPH_STARTUP_NOTICES_SHOWN"
"""Set for the workers once `serve` has printed the start-up notices they would repeat."""


def port_in_use(host: str, port: int) -> bool:
    """Whether `host:port` cannot be bound now (another server holds it)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            return exc.errno in (errno.EADDRINUSE, errno.EACCES)
    return False


def serve(settings: Settings, host: str, port: int, workers: int, with_worker: bool = False) -> int:
    """Prepare what workers share (Redis, trained classifiers) once, then start them."""
    port = port or free_port()
    if port_in_use(host, port):
        print(
            f"port {port} on {host} is already in use (another supportgraph or langgraph dev?).\n"
            f"Choose another: `supportgraph serve --port {port + 1}`, "
            f"`SUPPORTGRAPH_PORT={port + 1}`, or `make run PORT={port + 1}`.",
            file=sys.stderr,
        )
        return 2
    managed = None if settings.redis_url else ManagedRedis(settings.redis_home, settings.redis_port)
    started_redis = managed is not None and not managed.status().running
    failed = True
    try:
        code = _serve(settings, host, port, workers, with_worker)
        failed = code != 0
        return code
    finally:
        if failed and managed is not None and started_redis:
            print("start-up failed: stopping the managed Redis it started", file=sys.stderr)
            managed.stop()


def _serve(settings: Settings, host: str, port: int, workers: int, with_worker: bool) -> int:
    redis_url = resolve_redis_url(settings)
    try:
        require_noeviction(redis_url)
    except UnsafeRedis as exc:
        print(f"refusing to start: {exc}", file=sys.stderr, flush=True)
        return 2
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
    os.environ[NOTICES_SHOWN] = "1"
    options: dict[str, Any] = dict(
        app="api.http.app:create_app",
        factory=True,
        host=host,
        port=port,
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
    if workers > 1:
        # A socket per worker, not uvicorn's shared one: connections spread across them.
        run_workers(uvicorn.Config(**options), workers)
    else:
        uvicorn.run(**options)
    return 0


def run_serve(args: argparse.Namespace, settings: Settings) -> int:
    port = settings.port if args.port is None else args.port
    return serve(settings, args.host or settings.host, port, args.workers, args.with_worker)
