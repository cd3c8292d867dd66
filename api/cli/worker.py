"""`supportgraph worker`: a task-queue worker that runs long-running jobs and webhooks."""

from __future__ import annotations

import argparse
import asyncio
import os

from api.bootstrap import resolve_redis_url
from api.jobs.worker import run_worker
from state.settings import Settings


def run_worker_command(args: argparse.Namespace, settings: Settings) -> int:
    os.environ["REDIS_URL"] = resolve_redis_url(settings)
    settings = settings.model_copy(update={"redis_url": os.environ["REDIS_URL"]})
    concurrency = args.concurrency or settings.worker_concurrency
    asyncio.run(run_worker(settings, concurrency))
    return 0
