"""The `supportgraph` command: chat, eval, serve, thread maintenance and the managed Redis."""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import re
import sys
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path

from pydantic import ValidationError
from redis.asyncio import Redis

from api.evaluation import run_eval
from api.runtime import open_support_app, resolve_redis_url, thread_policy
from api.turns import NothingPending, TurnResult, read_turn, resume_turn, send_message
from state.outputs import InvalidResume
from state.redis_server import ManagedRedis, ManagedRedisError
from state.settings import Settings, get_settings

CUSTOMER_ID = r"^C-\d{4}$"


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
    handlers: dict[str, Callable[[argparse.Namespace, Settings], int]] = {
        "chat": run_chat,
        "eval": run_evaluation,
        "redis": run_redis,
        "serve": run_serve,
        "threads": run_threads,
    }
    try:
        return handlers[args.command](args, settings)
    except ManagedRedisError as exc:
        print(f"supportgraph: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def run_serve(args: argparse.Namespace, settings: Settings) -> int:
    from api.serve import serve

    port = settings.port if args.port is None else args.port
    return serve(settings, args.host or settings.host, port, args.workers)


def run_threads(args: argparse.Namespace, settings: Settings) -> int:
    from api.prune import ThreadPruner
    from state.checkpointer import open_checkpointer
    from state.threads import ApiKeys

    async def prune() -> int:
        url = resolve_redis_url(settings)
        async with (
            Redis.from_url(url) as client,
            open_checkpointer(url, thread_policy(settings)) as checkpointer,
        ):
            pruner = ThreadPruner(client, ApiKeys(settings.key_prefix), checkpointer)
            report = await pruner.prune(idle_days=args.idle_days, dry_run=args.dry_run)
        print("\n".join(report.lines()))
        return 0

    return asyncio.run(prune())


def run_redis(args: argparse.Namespace, settings: Settings) -> int:
    server = ManagedRedis(settings.redis_home, settings.redis_port)
    if args.action == "start":
        print(f"managed Redis running at {server.ensure_running()} (data in {server.home})")
    elif args.action == "stop":
        print("stopped" if server.stop() else "not running")
    else:
        status = server.status()
        print(f"running at {status.url} (pid {status.pid})" if status.running else "not running")
        return 0 if status.running else 3
    return 0


def run_evaluation(args: argparse.Namespace, settings: Settings) -> int:
    if not args.file.is_file():
        print(f"supportgraph eval: no such file: {args.file}", file=sys.stderr)
        return 2

    if args.backend == "openai" and not (settings.openai_api_key or settings.openai_base_url):
        print("supportgraph eval: --backend openai needs OPENAI_API_KEY or OPENAI_BASE_URL",
              file=sys.stderr)  # fmt: skip
        return 2
    if args.backend:
        settings = settings.model_copy(update={"model_backend": args.backend})

    async def evaluate() -> int:
        async with open_support_app(settings) as app:
            board = await run_eval(app.graph, args.file, args.out)
        print("\n".join(board.lines()))
        return 0

    return asyncio.run(evaluate())


def run_chat(args: argparse.Namespace, settings: Settings) -> int:
    return asyncio.run(
        chat_loop(settings, args.thread or f"chat-{uuid.uuid4().hex[:12]}", args.customer)
    )


async def chat_loop(settings: Settings, thread_id: str, customer: str | None) -> int:
    async with open_support_app(settings) as app:
        print(f"thread {thread_id} · backend {app.deps.models.backend} · Redis {app.redis_url}")
        print("Type a message; Ctrl-D to leave.")
        result = await read_turn(app.graph, thread_id)
        while True:
            if result.interrupted:
                result = await operator_decision(app.graph, thread_id, result)
                continue
            try:
                text = (await asyncio.to_thread(input, "you> ")).strip()
            except EOFError:
                print()
                return 0
            if text:
                result = await send_message(app.graph, thread_id, text, customer)
                show(result)


async def operator_decision(graph: object, thread_id: str, result: TurnResult) -> TurnResult:
    for pending in result.interrupts:
        print(f"[waiting for an operator] {json.dumps(pending['value'], indent=2)}")
    print("operator: approve | reject <reason> | edit <json arguments> | reply <message>")
    while True:
        try:
            line = (await asyncio.to_thread(input, "operator> ")).strip()
        except EOFError:
            raise KeyboardInterrupt from None
        verb, _, rest = line.partition(" ")
        try:
            decision: dict[str, object] = {"decision": verb}
            if verb == "reject":
                decision["reason"] = rest
            elif verb == "edit":
                decision["arguments"] = json.loads(rest or "{}")
            elif verb == "reply":
                decision["message"] = rest
            new = await resume_turn(graph, thread_id, decision)  # type: ignore[arg-type]
        except (InvalidResume, NothingPending, json.JSONDecodeError) as exc:
            print(f"refused: {exc}")
            continue
        show(new)
        return new


def show(result: TurnResult) -> None:
    if result.answer:
        print(f"agent> {result.answer}")
    print(f"       [route={result.route} status={result.status}]")


if __name__ == "__main__":
    raise SystemExit(main())
