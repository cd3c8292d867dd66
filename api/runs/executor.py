"""Execute one run: wait for the thread, stream the graph, record how it ended.

The executor is the only code that moves a run through pending → running → a final status,
and it always releases the thread, whether the graph finished, raised, or was cancelled.
Events go to an optional in-process sink (an SSE response or a `wait` call); the run's outcome
is in Redis either way, so `join` works from any process.

Redis going away does not strand a run: a run waiting for its turn keeps its place and asks
again, a run that fails because of it ends in error (`StorageUnavailable`), and how a run
ended is recorded as soon as Redis is back, while its waiting client is answered at once.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph.state import CompiledStateGraph
from langgraph.types import StateSnapshot

from api.runs.event_log import RunEventLog
from api.runs.graph_stream import Sink, run_config, run_ending, stream_graph, thread_config
from api.runs.outage import DeferredWrites, patiently, storage_full, storage_unavailable
from api.runs.outcome import (
    STORAGE_UNAVAILABLE,
    RunOutcome,
    RunRejected,
    result_values,
    status_of_thread,
)
from api.runs.payload import JobNotAwaited
from api.runs.queue import RunStore
from api.runs.records import CancelAction, RunRecord, RunStatus
from api.runs.run_start import after_waiting_approval, start_payload, withdrawal_run_id
from api.runs.threads import ThreadStore, utc_now
from state.checkpoint.handoff import handing
from state.checkpoint.lifecycle import ThreadLifecycleSaver

log = logging.getLogger(__name__)

Observer = Callable[[RunRecord, "RunOutcome", float], Awaitable[None]]
"""Told how each run that reached the graph ended and how long it took (metrics)."""
Listener = Callable[[str, Any, str | None], Awaitable[None]]
"""An SSE response's view of a run's events: name, data, and the id its event log gave it."""
Finished = Callable[["RunRecord", "RunOutcome"], Awaitable[None]]
"""Told how a run this process executed ended (e.g. to queue its webhook)."""

_WAIT_MIN, _WAIT_MAX = 0.005, 0.1


class RunExecutor:
    """Runs graph executions for this process and remembers which ones are in flight."""

    def __init__(
        self,
        graph: CompiledStateGraph[Any, Any, Any, Any],
        checkpointer: BaseCheckpointSaver[Any],
        runs: RunStore,
        threads: ThreadStore,
        worker_id: str,
        events: RunEventLog | None = None,
    ) -> None:
        self.graph = graph
        self.events = events
        """Where published runs' events go, for joins and replays from any process."""
        self.checkpointer = checkpointer
        self.runs = runs
        self.threads = threads
        self.worker_id = worker_id
        self.tasks: dict[str, asyncio.Task[RunOutcome]] = {}
        self.later = DeferredWrites()
        """How runs ended, while Redis is away: recorded when it is back."""
        self.cancel_actions: dict[str, CancelAction] = {}
        self._wakeups: dict[str, asyncio.Event] = {}
        self.started: set[str] = set()
        """Runs that reached the graph (a rollback has checkpoints to remove)."""
        self.observers: list[Observer] = []
        self.on_finished: Finished | None = None
        """Told how a run this process executed ended (its webhook is queued there)."""

    def start(self, run: RunRecord, listener: Listener | None = None) -> asyncio.Task[RunOutcome]:
        sink = self._sink(run, listener)
        task = asyncio.create_task(self._published(run, sink), name=f"run:{run.run_id}")
        self.tasks[run.run_id] = task
        task.add_done_callback(lambda _: self.tasks.pop(run.run_id, None))
        return task

    def cancel_local(self, run_id: str, action: CancelAction) -> bool:
        task = self.tasks.get(run_id)
        if task is None or task.done():
            return False
        self.cancel_actions[run_id] = action
        task.cancel()
        return True

    async def cancel_scheduled(self, run: RunRecord, action: CancelAction) -> bool:
        """Cancel a run that waits for its time and that nothing here executes: it leaves the
        schedule and ends `interrupted` now (deleted on `rollback`), not when it would have
        been due. False if it was no longer scheduled (it started: its cancel flag stops it)."""
        if not await self.runs.schedule.unschedule(run.run_id):
            return False
        self.cancel_actions[run.run_id] = action
        await self._cancelled(run, None)
        return True

    def _sink(self, run: RunRecord, listener: Listener | None) -> Sink | None:
        """Events go to the run's event log when it is published, then to the listener."""
        events = self.events if run.params.publish else None
        if events is None and listener is None:
            return None

        async def sink(event: str, data: Any) -> None:
            event_id = await events.append(run, event, data) if events is not None else None
            if listener is not None:
                await listener(event, data, event_id)

        return sink

    async def _published(self, run: RunRecord, sink: Sink | None) -> RunOutcome:
        """The run, then the end of its event log (not when the server stops under it: the
        run is retried, and its stream goes on), then its webhook if it ended here."""
        outcome, ended_here = await self._execute(run, sink)
        if self.events is not None and run.params.publish:
            await self.events.end(run, outcome.status)
        if ended_here and run.params.webhook and self.on_finished is not None:
            try:
                await self.on_finished(run, outcome)
            except Exception:
                log.exception("run %s: could not queue its webhook", run.run_id)
        return outcome

    async def _execute(self, run: RunRecord, sink: Sink | None) -> tuple[RunOutcome, bool]:
        """How the run ended, and whether it ended here (not in another process)."""
        try:
            turn = await self._wait_for_turn(run)
        except asyncio.CancelledError:
            if run.run_id not in self.cancel_actions:
                raise
            return await self._cancelled(run, sink), True
        if turn == "cancelled":
            self.cancel_actions.setdefault(run.run_id, "interrupt")
            return await self._cancelled(run, sink), True
        if turn == "gone":
            stored = await patiently(lambda: self.runs.get(run.run_id))
            return RunOutcome(stored.status if stored else "interrupted"), False
        self.started.add(run.run_id)
        began = time.monotonic()
        try:
            outcome = await self._run_graph(run, sink)
            await self._observe(run, outcome, time.monotonic() - began)
            return outcome, True
        except asyncio.CancelledError:
            if run.run_id not in self.cancel_actions:
                raise  # the server is stopping: the run stays running and is retried
            return await self._cancelled(run, sink), True
        finally:
            self.started.discard(run.run_id)
            self._wake(run.thread_id)

    async def _observe(self, run: RunRecord, outcome: RunOutcome, seconds: float) -> None:
        for observer in self.observers:
            try:
                await observer(run, outcome, seconds)
            except Exception:  # metrics never fail a run
                log.warning("run %s: observer failed", run.run_id, exc_info=True)

    async def _wait_for_turn(self, run: RunRecord) -> str:
        if run.params.not_before is not None:
            await asyncio.sleep(max(0.0, run.params.not_before - time.time()))
            claim = await patiently(
                lambda: self.runs.schedule.claim(
                    run.run_id, self.worker_id, self.worker_id, utc_now().isoformat()
                )
            )
            if claim == "taken":
                return "gone"  # its turn came while this process was thought dead
        delay = _WAIT_MIN
        while True:
            try:
                turn = await self.runs.try_acquire(run)
            except Exception as exc:
                if not storage_unavailable(exc):
                    raise
                turn = "wait"  # Redis is down: the run keeps its place in the queue
            if turn != "wait":
                return turn
            event = self._wakeups.setdefault(run.thread_id, asyncio.Event())
            try:
                await asyncio.wait_for(event.wait(), delay)
            except TimeoutError:
                delay = min(delay * 2, _WAIT_MAX)

    def _wake(self, thread_id: str) -> None:
        event = self._wakeups.pop(thread_id, None)
        if event is not None:
            event.set()

    async def _run_graph(self, run: RunRecord, sink: Sink | None) -> RunOutcome:
        if sink is not None:
            await sink("metadata", {"run_id": run.run_id, "attempt": run.attempt})
        config = run_config(run, str(self.graph.name))
        try:
            if isinstance(self.checkpointer, ThreadLifecycleSaver):
                await self.checkpointer.keep(run.thread_id)  # a running thread is not idle
            # What the run starts from, read once: the graph's first read takes it as well.
            latest = await self.checkpointer.aget_tuple(config)
            payload = await start_payload(self.graph, self.checkpointer, run, config, latest)
            if payload is not None and run.params.input is not None:
                payload, config, latest = await after_waiting_approval(
                    self.graph, self.checkpointer, run, payload, config, sink, latest
                )
            with handing(config, latest):
                seen = await stream_graph(self.graph, run, payload, config, sink)
            thread_status, values = await run_ending(self.graph, run, seen)
        except RunRejected as exc:
            return await self._failed(run, sink, "RunRejected", str(exc), str(exc))
        except JobNotAwaited:
            snapshot = await self.graph.aget_state(thread_config(run))
            status = status_of_thread(snapshot)
            await self.later.now_or_later(
                run.run_id, lambda: self.record_end(run, "success", status)
            )
            return RunOutcome("success", values=result_values(snapshot))
        except Exception as exc:  # the graph's own failure becomes the run's error status
            if storage_unavailable(exc) or storage_full(exc):
                log.warning("run %s failed: Redis unavailable or full (%s)", run.run_id, exc)
                message = "storage became unavailable during the run; start it again"
                return await self._failed(run, sink, STORAGE_UNAVAILABLE, message, message)
            log.exception("run %s failed", run.run_id)
            stored = f"{type(exc).__name__}: {exc}"
            return await self._failed(run, sink, type(exc).__name__, str(exc), stored, "error")
        await self.later.now_or_later(
            run.run_id, lambda: self.record_end(run, "success", thread_status)
        )
        return RunOutcome("success", values=values)

    async def record_end(
        self, run: RunRecord, status: RunStatus, thread_status: str, error: str | None = None
    ) -> None:
        """Record the run's end, however it ended: the thread's checkpoints, kept while the run
        held it, stay kept if it waits on an operator, else expire from now (its API records
        follow its status in `RunStore.finish`)."""
        await self.runs.finish(run, status, thread_status, error)
        if isinstance(self.checkpointer, ThreadLifecycleSaver):
            waiting = thread_status == "interrupted"
            await self.checkpointer.await_operator(run.thread_id, waiting)

    async def _failed(
        self,
        run: RunRecord,
        sink: Sink | None,
        name: str,
        message: str,
        stored: str,
        thread_status: str | None = None,
    ) -> RunOutcome:
        """End the run in error; without a `thread_status` the checkpoint tells it."""

        async def record() -> None:
            status = thread_status or status_of_thread(
                await self.graph.aget_state(thread_config(run))
            )
            await self.record_end(run, "error", status, stored)

        await self.later.now_or_later(run.run_id, record)
        error = {"error": name, "message": message}
        if sink is not None:
            await sink("error", error)
        return RunOutcome("error", error=error)

    async def _cancelled(self, run: RunRecord, sink: Sink | None) -> RunOutcome:
        """Record the cancel; the thread is released even if cleaning up after the run fails."""
        action = self.cancel_actions.pop(run.run_id, "interrupt")
        rolled_back = action == "rollback" and run.run_id in self.started
        self.started.discard(run.run_id)
        snapshots: list[StateSnapshot] = []

        async def record() -> None:
            thread_status = "idle"
            try:
                if rolled_back:
                    ids = [run.run_id, withdrawal_run_id(run.run_id)]
                    await self.checkpointer.adelete_for_runs(ids)
                snapshots.append(await self.graph.aget_state(thread_config(run)))
                thread_status = status_of_thread(snapshots[-1])
            finally:
                await self.record_end(run, "interrupted", thread_status)
                if action == "rollback":
                    await self.runs.delete(run)

        await self.later.now_or_later(run.run_id, record)
        if sink is not None:
            await sink("error", {"error": "UserInterrupt", "message": f"run {action}ed"})
        return RunOutcome("interrupted", values=result_values(snapshots[-1]) if snapshots else {})
