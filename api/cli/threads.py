"""`supportgraph threads prune`: delete idle threads and records whose checkpoints are gone."""

from __future__ import annotations

import argparse
import asyncio

from api.bootstrap import resolve_redis_url, thread_policy
from state.redis_clients import async_client
from state.settings import Settings


def run_threads(args: argparse.Namespace, settings: Settings) -> int:
    from api.runs.keys import ApiKeys
    from api.runs.prune import ThreadPruner
    from state.checkpoint.saver import open_checkpointer

    async def prune() -> int:
        url = resolve_redis_url(settings)
        async with (
            async_client(url) as client,
            open_checkpointer(url, thread_policy(settings)) as checkpointer,
        ):
            pruner = ThreadPruner(client, ApiKeys(settings.key_prefix), checkpointer)
            report = await pruner.prune(idle_days=args.idle_days, dry_run=args.dry_run)
        print("\n".join(report.lines()))
        return 0

    return asyncio.run(prune())
