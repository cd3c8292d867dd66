"""What every request handler works with, opened once per server process."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import partial
from typing import Any

from fastapi import HTTPException
from langgraph.graph.state import CompiledStateGraph

from api.bootstrap import SupportApp, open_support_app
from api.http.quotas import Quotas
from api.http.security import Caller
from api.jobs.webhooks import queue_webhook
from api.observability.metrics import TurnMetrics
from api.runs.event_log import RunEventLog
from api.runs.executor import RunExecutor
from api.runs.expiry import ApiRecordExpiry
from api.runs.keys import ApiKeys
from api.runs.outcome import RunOutcome
from api.runs.queue import RunStore
from api.runs.records import RunRecord
from api.runs.threads import ThreadRecord, ThreadStore
from api.runs.worker import WorkerLoop
from state.checkpoint.ttl import ThreadTtl
from state.settings import Settings

ASSISTANT_ID = str(uuid.uuid5(uuid.NAMESPACE_URL, "support"))
"""The one assistant's id: stable across processes and restarts."""


@dataclass
class ApiServices:
    settings: Settings
    app: SupportApp
    threads: ThreadStore
    runs: RunStore
    executor: RunExecutor
    worker: WorkerLoop
    quotas: Quotas
    metrics: TurnMetrics
    events: RunEventLog

    @property
    def graph(self) -> CompiledStateGraph[Any, Any, Any, Any]:
        return self.app.graph

    async def thread_for(self, caller: Caller, thread_id: str) -> ThreadRecord:
        """The caller's thread, or 404 — also when it belongs to someone else."""
        record = await self.threads.get(thread_id)
        if record is None or not caller.sees(record.owner):
            raise HTTPException(404, f"thread {thread_id} not found")
        return record

    async def run_for(self, caller: Caller, thread_id: str, run_id: str) -> RunRecord:
        await self.thread_for(caller, thread_id)
        run = await self.runs.get(run_id)
        if run is None or run.thread_id != thread_id:
            raise HTTPException(404, f"run {run_id} not found on thread {thread_id}")
        return run

    async def delete_thread(self, record: ThreadRecord) -> None:
        """The thread, its runs (cancelled first if live) and its checkpoints."""
        run_ids = await self.runs.all_ids(record.thread_id)
        for run in await self.runs.get_many(run_ids):
            if run.status in ("pending", "running"):
                await self.runs.request_cancel(run, "interrupt")
                self.executor.cancel_local(run.run_id, "interrupt")
        await self.app.jobs.forget_thread(record.thread_id)  # its jobs are cancelled
        await self.threads.delete(record, run_ids)
        await self.app.checkpointer.adelete_thread(record.thread_id)

    def assistant_graph_id(self, assistant_id: str) -> str:
        if assistant_id not in (ASSISTANT_ID, self.graph.name):
            raise HTTPException(404, f"assistant {assistant_id} not found")
        return str(self.graph.name)


@asynccontextmanager
async def open_services(settings: Settings) -> AsyncIterator[ApiServices]:
    async with open_support_app(settings) as app:
        keys = ApiKeys(settings.key_prefix)
        ttl = ThreadTtl.from_seconds(settings.thread_ttl_seconds)
        expiry = ApiRecordExpiry(app.redis, keys, ttl)
        threads = ThreadStore(app.redis, keys, expiry)
        runs = RunStore(app.redis, keys, expiry)
        events = RunEventLog(app.redis, keys, settings.stream_ttl_seconds)
        executor = RunExecutor(app.graph, app.checkpointer, runs, threads, uuid.uuid4().hex, events)
        executor.on_finished = partial(queue_webhook, app)
        metrics = TurnMetrics(app.redis, settings.key_prefix, keys)

        async def record(run: RunRecord, outcome: RunOutcome, seconds: float) -> None:
            failed = outcome.status == "error"
            await metrics.record_turn(run.thread_id, outcome.values, seconds, failed)

        executor.observers.append(record)
        worker = WorkerLoop(executor, runs, keys)
        await worker.start()
        try:
            quotas = Quotas(app.redis, keys, settings)
            yield ApiServices(
                settings, app, threads, runs, executor, worker, quotas, metrics, events
            )
        finally:
            await worker.stop()
            for task in list(executor.tasks.values()):
                task.cancel()
