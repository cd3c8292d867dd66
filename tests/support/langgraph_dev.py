"""Start `langgraph dev` on the support graph as a real process, offline, for tests and benches.

Every proxy-aware HTTP client in the server is pointed at a local proxy that records and refuses
each request, so callers can also prove the server does not reach the internet.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from state.redis_server import free_port
from tests.support.paths import REPO_ROOT

LANGGRAPH = Path(sys.executable).with_name("langgraph")
START_TIMEOUT = 120.0  # a first start on a fresh checkout also trains the offline models
STOP_TIMEOUT = 15.0


class RefusingProxy:
    """An HTTP(S) proxy that records the first line of every request and answers nothing."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self._sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._sock.getsockname()[1]}"
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return  # closed
            with conn:
                conn.settimeout(2.0)
                try:
                    first_line = conn.recv(4096).split(b"\r\n", 1)[0]
                except OSError:
                    first_line = b"<no request line>"
                self.requests.append(first_line.decode(errors="replace"))

    def close(self) -> None:
        self._sock.close()


@dataclass
class DevServer:
    url: str
    process: subprocess.Popen[bytes]
    log_path: Path
    proxy: RefusingProxy

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def offline_env(redis_url: str, proxy_url: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("LANGSMITH_", "LANGCHAIN_", "OPENAI_", "SUPPORTGRAPH_"))
        and key.lower() not in ("http_proxy", "https_proxy", "all_proxy", "no_proxy")
    }
    env.update(
        REDIS_URL=redis_url,
        SUPPORTGRAPH_MODEL_BACKEND="offline",
        LANGGRAPH_CLI_NO_ANALYTICS="1",  # langgraph-cli posts every command to Supabase
        LANGGRAPH_NO_VERSION_CHECK="true",  # langgraph-api asks pypi.org for newer releases
        LANGSMITH_TRACING="false",
        LANGCHAIN_TRACING_V2="false",
        HTTP_PROXY=proxy_url,
        HTTPS_PROXY=proxy_url,
        ALL_PROXY=proxy_url,
        NO_PROXY="127.0.0.1,localhost",
        PYTHONUNBUFFERED="1",
    )
    return env


def _wait_ok(server: DevServer, deadline: float) -> None:
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            break
        try:
            with urllib.request.urlopen(f"{server.url}/ok", timeout=2.0) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"langgraph dev did not answer {server.url}/ok:\n{server.log()}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=STOP_TIMEOUT)


def start_dev_server(redis_url: str, log_path: Path) -> DevServer:
    """`langgraph dev` on a free port, answering `/ok`; stop it with `stop_dev_server`."""
    proxy = RefusingProxy()
    port = free_port()
    command = [str(LANGGRAPH), "dev", "--no-browser", "--no-reload", "--port", str(port)]
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            [*command, "--host", "127.0.0.1"],
            cwd=REPO_ROOT,
            env=offline_env(redis_url, proxy.url),
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    server = DevServer(f"http://127.0.0.1:{port}", process, log_path, proxy)
    try:
        _wait_ok(server, time.monotonic() + START_TIMEOUT)
        if "already in use" in server.log():  # langgraph dev silently moves to another port
            raise RuntimeError(f"port {port} was taken:\n{server.log()}")
    except BaseException:
        stop_dev_server(server)
        raise
    return server


def stop_dev_server(server: DevServer) -> None:
    _stop(server.process)
    server.proxy.close()
