"""Long-running jobs: one record per job, settled exactly once, run by the task queue (saq).

A tool starts a job under an id derived from its idempotency key (thread, turn, tool call), so
a node that runs again on resume finds the job it started instead of starting another. The
record says which thread waits on it and how it ended; `settle` is one Lua script, so however
many attempts, workers or cancels race, a job has exactly one outcome, and only the caller
whose settle won resumes the thread. The queue itself (retries, heartbeats, the sweep that
retries a dead worker's job, aborts) is saq's, on the same Redis under its own key prefix.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any, Literal, Protocol

from pydantic import BaseModel, Field
from redis.asyncio import Redis

from state.outputs import JobOutcome, JobOutcomeStatus
from state.redis_text import text

JobKind = Literal["line_diagnostic", "esim_activation"]
JobStatus = Literal["queued", "succeeded", "failed", "timed_out", "cancelled"]
SETTLED: frozenset[str] = frozenset({"succeeded", "failed", "timed_out", "cancelled"})


class JobRecord(BaseModel):
    """What a job needs to run, and which thread waits on it."""

    job_id: str
    kind: JobKind
    tool: str
    tool_call_id: str
    route: str
    """The specialist that answers from the job's result."""
    thread_id: str
    run_id: str | None = None
    """The run whose turn started the job."""
    customer_id: str
    arguments: dict[str, Any] = Field(default_factory=dict)
    created_at: float = Field(default_factory=time.time)
    deadline: float
    """Epoch seconds after which the job resumes its thread with a timeout result."""
    status: JobStatus = "queued"
    outcome: JobOutcome | None = None
    attempts: int = 0
    settlements: int = 0
    """Times `settle` changed this record: exactly one once the job ended."""

    @property
    def settled(self) -> bool:
        return self.status in SETTLED


class JobQueue(Protocol):
    """Start jobs, read them, settle them once, cancel them."""

    async def start(self, job: JobRecord) -> JobRecord: ...
    async def get(self, job_id: str) -> JobRecord | None: ...
    async def begin_attempt(self, job_id: str) -> int: ...
    async def settle(self, job_id: str, outcome: JobOutcome) -> bool: ...
    async def cancel(self, job_id: str, reason: str) -> bool: ...


_CREATE = """
-- KEYS: job, thread_jobs  ARGV: doc, job_id, now
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'doc', ARGV[1], 'status', 'queued', 'attempts', 0, 'settlements', 0)
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[2])
return 1
"""

_SETTLE = """
-- KEYS: job  ARGV: status, outcome
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return 'missing' end
if status ~= 'queued' then return 'settled' end
redis.call('HSET', KEYS[1], 'status', ARGV[1], 'outcome', ARGV[2])
redis.call('HINCRBY', KEYS[1], 'settlements', 1)
return 'ok'
"""


class Enqueue(Protocol):
    """Puts a job on the task queue (idempotent while the job is incomplete)."""

    async def __call__(self, job: JobRecord) -> None: ...
    async def abort(self, job_id: str, reason: str) -> None: ...


class RedisJobStore:
    """Job records in Redis; `enqueue` hands a started job to the task queue."""

    def __init__(self, redis: Redis, enqueue: Enqueue | None, prefix: str = "sg") -> None:
        self.redis = redis
        self.enqueue = enqueue
        self.prefix = f"{prefix}:job"
        self.outcomes_key = f"{prefix}:jobs:outcomes"
        self._create = redis.register_script(_CREATE)
        self._settle = redis.register_script(_SETTLE)

    def key(self, job_id: str) -> str:
        return f"{self.prefix}:{job_id}"

    def thread_key(self, thread_id: str) -> str:
        return f"{self.prefix}s:thread:{thread_id}"

    async def start(self, job: JobRecord) -> JobRecord:
        """Create the record once; (re)hand an unsettled job to the queue, which dedups it."""
        doc = job.model_dump_json(include=_DOC_FIELDS)
        await self._create(
            keys=[self.key(job.job_id), self.thread_key(job.thread_id)],
            args=[doc, job.job_id, time.time()],
        )
        stored = await self.get(job.job_id)
        if stored is None:
            raise RuntimeError(f"job {job.job_id} vanished while being started")
        if not stored.settled and self.enqueue is not None:
            await self.enqueue(stored)
        return stored

    async def get(self, job_id: str) -> JobRecord | None:
        raw = {text(k): text(v) for k, v in (await self.redis.hgetall(self.key(job_id))).items()}
        if "doc" not in raw:
            return None
        outcome = raw.get("outcome")
        return JobRecord(
            **json.loads(raw["doc"]),
            status=raw.get("status", "queued"),
            outcome=JobOutcome.model_validate_json(outcome) if outcome else None,
            attempts=int(raw.get("attempts", 0)),
            settlements=int(raw.get("settlements", 0)),
        )

    async def for_thread(self, thread_id: str) -> list[JobRecord]:
        ids = [text(i) for i in await self.redis.zrange(self.thread_key(thread_id), 0, -1)]
        found = [await self.get(i) for i in ids]
        return [j for j in found if j is not None]

    async def begin_attempt(self, job_id: str) -> int:
        return int(await self.redis.hincrby(self.key(job_id), "attempts", 1))

    async def settle(self, job_id: str, outcome: JobOutcome) -> bool:
        """Record how the job ended, unless it already has an outcome; True if this one won."""
        result = await self._settle(
            keys=[self.key(job_id)], args=[outcome.status, outcome.model_dump_json()]
        )
        won = text(result) == "ok"
        if won:
            await self.redis.hincrby(self.outcomes_key, outcome.status, 1)
        return won

    async def outcome_counts(self) -> dict[str, int]:
        """How many jobs ended each way (each job counted once: only the winning settle)."""
        raw = await self.redis.hgetall(self.outcomes_key)
        return {text(k): int(v) for k, v in raw.items()}

    async def cancel(self, job_id: str, reason: str) -> bool:
        job = await self.get(job_id)
        if job is None:
            return False
        won = await self.settle(job_id, cancelled(job, reason))
        if won and self.enqueue is not None:
            await self.enqueue.abort(job_id, reason)
        return won

    async def forget_thread(self, thread_id: str) -> None:
        """Cancel the jobs of a deleted thread and drop their records."""
        for job in await self.for_thread(thread_id):
            await self.cancel(job.job_id, "the conversation was deleted")
            await self.redis.delete(self.key(job.job_id))
        await self.redis.delete(self.thread_key(thread_id))


_DOC_FIELDS = {
    "job_id",
    "kind",
    "tool",
    "tool_call_id",
    "route",
    "thread_id",
    "run_id",
    "customer_id",
    "arguments",
    "created_at",
    "deadline",
}


class MemoryJobStore:
    """In-process job records for unit tests: jobs start, nothing runs them."""

    def __init__(self) -> None:
        self.jobs: dict[str, JobRecord] = {}
        self._lock = asyncio.Lock()

    async def start(self, job: JobRecord) -> JobRecord:
        async with self._lock:
            return self.jobs.setdefault(job.job_id, job)

    async def get(self, job_id: str) -> JobRecord | None:
        return self.jobs.get(job_id)

    async def begin_attempt(self, job_id: str) -> int:
        job = self.jobs[job_id]
        self.jobs[job_id] = job.model_copy(update={"attempts": job.attempts + 1})
        return job.attempts + 1

    async def settle(self, job_id: str, outcome: JobOutcome) -> bool:
        async with self._lock:
            job = self.jobs.get(job_id)
            if job is None or job.settled:
                return False
            self.jobs[job_id] = job.model_copy(
                update={
                    "status": outcome.status,
                    "outcome": outcome,
                    "settlements": job.settlements + 1,
                }
            )
            return True

    async def cancel(self, job_id: str, reason: str) -> bool:
        job = self.jobs.get(job_id)
        return job is not None and await self.settle(job_id, cancelled(job, reason))


def outcome_of(job: JobRecord, status: JobOutcomeStatus, message: str, **result: Any) -> JobOutcome:
    return JobOutcome(
        job_id=job.job_id, tool=job.tool, status=status, message=message, result=result
    )


def cancelled(job: JobRecord, reason: str) -> JobOutcome:
    return outcome_of(job, "cancelled", f"The {_what(job)} was cancelled ({reason}).")


def timed_out(job: JobRecord) -> JobOutcome:
    return outcome_of(
        job,
        "timed_out",
        f"The {_what(job)} did not finish in time and was stopped; nothing is confirmed. "
        "A colleague can look at it, or we can try again later.",
    )


def _what(job: JobRecord) -> str:
    return "line diagnostic" if job.kind == "line_diagnostic" else "eSIM activation"
