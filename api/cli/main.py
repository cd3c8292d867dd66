"""The `supportgraph` command: chat, eval, serve, worker, thread maintenance, managed Redis."""

from __future__ import annotations

import argparse
import math
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from pydantic import ValidationError

from state.redis_server import ManagedRedisError
from state.schema import CUSTOMER_ID
from state.settings import Settings, get_settings


def customer_id(value: str) -> str:
    if not re.fullmatch(CUSTOMER_ID, value):
        raise argparse.ArgumentTypeError(f"customer id must look like C-1001, got {value!r}")
    return value


def port_number(value: str) -> int:
    if not value.isdigit() or int(value) > 65535:
        raise argparse.ArgumentTypeError(f"port must be 0-65535, got {value!r}")
    return int(value)


def worker_count(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 64:
        raise argparse.ArgumentTypeError(f"workers must be 1-64, got {value!r}")
    return int(value)


def idle_days(value: str) -> float:
    try:
        days = float(value)
    except ValueError:
        days = math.nan
    if not math.isfinite(days) or days <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive number of days, got {value!r}")
    return days


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="supportgraph", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    chat = commands.add_parser("chat", help="talk to the support agent in the terminal")
    chat.add_argument("--thread", help="continue this thread (also after a restart)")
    chat.add_argument("--customer", type=customer_id, help="signed-in customer, e.g. C-1001")

    evaluate = commands.add_parser("eval", help="run a labelled JSONL file and score it")
    evaluate.add_argument("file", type=Path)
    evaluate.add_argument("--out", type=Path, required=True, help="results JSONL to write")
    evaluate.add_argument(
        "--backend", choices=("offline", "openai"), help="model backend (default: settings)"
    )

    serve_cmd = commands.add_parser("serve", help="serve the LangGraph Platform API over HTTP")
    serve_cmd.add_argument("--host", help="interface to bind (default: settings, 127.0.0.1)")
    serve_cmd.add_argument("--port", type=port_number, help="port (default 2024; 0 picks one)")
    serve_cmd.add_argument("--workers", type=worker_count, default=1, help="processes (default 1)")
    serve_cmd.add_argument(
        "--with-worker",
        action="store_true",
        help="also start one task-queue worker (`supportgraph worker`) next to the server",
    )

    worker_cmd = commands.add_parser(
        "worker", help="run task-queue jobs: long-running tools, webhook deliveries"
    )
    worker_cmd.add_argument(
        "--concurrency", type=int, help="jobs at once (default SUPPORTGRAPH_WORKER_CONCURRENCY)"
    )

    threads_cmd = commands.add_parser("threads", help="maintain the HTTP API's threads")
    thread_actions = threads_cmd.add_subparsers(dest="action", required=True)
    prune = thread_actions.add_parser(
        "prune", help="delete idle threads and records whose checkpoints are gone"
    )
    prune.add_argument(
        "--idle-days",
        type=idle_days,
        metavar="N",
        help="also delete threads not written for more than N days (decimals allowed)",
    )
    prune.add_argument("--dry-run", action="store_true", help="count, delete nothing")

    redis_cmd = commands.add_parser("redis", help="the managed local Redis")
    redis_cmd.add_argument("action", choices=("start", "stop", "status"))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = get_settings()
    except ValidationError as exc:
        print(f"supportgraph: invalid configuration: {exc}", file=sys.stderr)
        return 2
    from api.cli.chat import run_chat
    from api.cli.evaluate import run_evaluation
    from api.cli.managed_redis import run_redis
    from api.cli.serve import run_serve
    from api.cli.threads import run_threads
    from api.cli.worker import run_worker_command

    handlers: dict[str, Callable[[argparse.Namespace, Settings], int]] = {
        "chat": run_chat,
        "eval": run_evaluation,
        "redis": run_redis,
        "serve": run_serve,
        "threads": run_threads,
        "worker": run_worker_command,
    }
    try:
        return handlers[args.command](args, settings)
    except ManagedRedisError as exc:
        print(f"supportgraph: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
