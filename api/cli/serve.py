"""`supportgraph serve`: the HTTP API under uvicorn, one or several worker processes.

Start-up is checked before anything starts: a port in use is refused with how to choose
another, before the managed Redis or the classifiers are touched; a managed Redis this
command started is stopped again if start-up fails after it. Each notice is printed once,
here, not by every worker.
"""

from __future__ import annotations

import errno
import os
import socket
import sys

import uvicorn

from api.bootstrap import resolve_redis_url
from nodes.llm.brain import load_brain
from state.redis_server import ManagedRedis, free_port
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


def serve(settings: Settings, host: str, port: int, workers: int) -> int:
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
    try:
        return _serve(settings, host, port, workers)
    except BaseException:
        if managed is not None and started_redis:
            print("start-up failed: stopping the managed Redis it started", file=sys.stderr)
            managed.stop()
        raise


def _serve(settings: Settings, host: str, port: int, workers: int) -> int:
    redis_url = resolve_redis_url(settings)
    os.environ["REDIS_URL"] = redis_url
    if settings.resolved_backend == "offline":
        load_brain(settings.data_dir, settings.cache_dir)
    print(
        f"supportgraph API at http://{host}:{port}  (docs: http://{host}:{port}/docs)", flush=True
    )
    print(
        f"Redis {redis_url} · model backend {settings.resolved_backend} · {workers} worker(s)",
        flush=True,
    )
    if not settings.api_keys:
        print("no API keys configured: the server is open for local use", flush=True)
    os.environ[NOTICES_SHOWN] = "1"
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
