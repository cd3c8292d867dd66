"""Several uvicorn workers on one port, each accepting on its own socket (`SO_REUSEPORT`).

uvicorn's `workers=N` shares one listening socket between its processes, and whichever worker
wakes first accepts every connection waiting (asyncio and uvloop both accept in a loop): 32
keep-alive clients that connect at once all landed on one worker of two. Here each worker
binds its own socket with `SO_REUSEPORT`, so the kernel spreads new connections across the
workers. The supervisor starts the workers, starts a worker again when one dies, and on
SIGINT/SIGTERM stops them the way uvicorn's does: SIGTERM, then a kill after the grace time.
"""

from __future__ import annotations

import logging
import multiprocessing
import signal
import socket
import threading
from multiprocessing.process import BaseProcess
from types import FrameType

import uvicorn

logger = logging.getLogger(__name__)

RESTART_PAUSE_SECONDS = 0.5
"""How often the supervisor looks for a dead worker to start again."""


def reuse_port_socket(host: str, port: int) -> socket.socket:
    """A socket bound to (host, port) that other workers may bind too, not yet listening."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    return sock


def serve_worker(config: uvicorn.Config) -> None:
    """One worker process: its own socket on the shared port, one uvicorn server on it."""
    uvicorn.Server(config).run(sockets=[reuse_port_socket(config.host, config.port)])


def run_workers(config: uvicorn.Config, workers: int) -> None:
    """Run `workers` processes of `config`'s app on its port until SIGINT or SIGTERM."""
    context = multiprocessing.get_context("spawn")
    stopping = threading.Event()

    def start() -> BaseProcess:
        process = context.Process(target=serve_worker, args=(config,), name="api-worker")
        process.start()
        return process

    def stop(signum: int, frame: FrameType | None) -> None:
        stopping.set()

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    processes = [start() for _ in range(workers)]
    try:
        while not stopping.wait(RESTART_PAUSE_SECONDS):
            for index, process in enumerate(processes):
                if not process.is_alive():
                    logger.warning("API worker %s exited (%s); starting another", process.pid,
                                   process.exitcode)  # fmt: skip
                    processes[index] = start()
    finally:
        for process in processes:
            if process.is_alive():
                process.terminate()
        grace = (config.timeout_graceful_shutdown or 0) + 5
        for process in processes:
            process.join(grace)
            if process.is_alive():
                process.kill()
                process.join()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
