"""`supportgraph redis start|stop|status`: the managed local Redis."""

from __future__ import annotations

import argparse

from state.redis_server import ManagedRedis, redacted
from state.settings import Settings


def run_redis(args: argparse.Namespace, settings: Settings) -> int:
    server = ManagedRedis(settings.redis_home, settings.redis_port)
    if args.action == "start":
        print(f"managed Redis running at {server.ensure_running()} (data in {server.home})")
    elif args.action == "stop":
        print("stopped" if server.stop() else "not running")
    else:
        status = server.status()
        print(
            f"running at {redacted(status.url or '')} (pid {status.pid})"
            if status.running
            else "not running"
        )
        return 0 if status.running else 3
    return 0
