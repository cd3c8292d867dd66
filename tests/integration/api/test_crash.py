"""SIGKILL the API server at random moments while runs are in flight: nothing lost, nothing doubled.

Six threads take twenty runs (approval interrupts, approvals, tickets, FAQ answers) through
`langgraph_sdk`, submitted by `wait`, `stream`, background `create` and delayed `create`. Each
round of submissions is cut by a SIGKILL of the whole server at a seeded random moment, and a
new server starts on the same port and Redis. Clients act as real ones would after a dropped
connection: they look the run up by the tag in its metadata before submitting it again.

Afterwards every run is joined to a final status, no thread is left busy, every approval that
was pending still is (or was committed exactly once), each ticket turn made one ticket, and
every thread takes one more turn.
"""

from __future__ import annotations

import asyncio
import random
import re
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar

import httpx
import redis.asyncio as aioredis
from langgraph_sdk import get_client
from langgraph_sdk.client import LangGraphClient

from api.runs.keys import ApiKeys
from api.runs.queue import RunStore
from api.runs.records import RunRecord
from api.runs.threads import ThreadStore
from state.stores.records import record_id
from tests.support.api_server import ApiServer
from tests.support.messages import APPROVE, FAQ, PLAN_CHANGE, TICKET, user
from tests.support.runs import run_record

SEED = 7_2026
MAX_ATTEMPTS = 3
LONG_DOWNTIME = 12.0
"""Seconds one killed server stays down: with the restart, past the 15 s a thread lock used to
expire after by itself, letting a queued run overtake the dead server's one."""

Kind = Literal["upgrade", "approve", "ticket", "faq"]
Mode = Literal["wait", "stream", "background", "delayed"]

# Twenty runs on six threads. Background and delayed runs return at once, so the thread's next
# step queues behind them; the last upgrade of threads 2 and 5 stays waiting for approval.
SCRIPTS: list[list[tuple[Kind, Mode]]] = [
    [("upgrade", "wait"), ("approve", "background"), ("ticket", "stream")],
    [("ticket", "background"), ("upgrade", "background"), ("approve", "wait"), ("faq", "delayed")],
    [("faq", "stream"), ("ticket", "delayed"), ("upgrade", "wait")],
    [("upgrade", "delayed"), ("approve", "delayed"), ("ticket", "wait")],
    [("ticket", "wait"), ("faq", "background"), ("ticket", "delayed"), ("faq", "stream")],
    [("upgrade", "stream"), ("approve", "stream"), ("upgrade", "background")],
]
ROUNDS = max(len(s) for s in SCRIPTS)

T = TypeVar("T")


def retriable(exc: BaseException) -> bool:
    """What a client sees while the server is dead or restarting."""
    if isinstance(exc, httpx.TransportError):
        return True
    return isinstance(exc, httpx.HTTPStatusError) and exc.response.status_code in (502, 503)


async def patiently(call: Callable[[], Awaitable[T]], limit: float = 90.0) -> T:
    """Call until the server answers: a killed server comes back on the same port."""
    deadline = asyncio.get_running_loop().time() + limit
    while True:
        try:
            return await call()
        except Exception as exc:
            if not retriable(exc) or asyncio.get_running_loop().time() > deadline:
                raise
            await asyncio.sleep(0.25)


@dataclass
class Chaos:
    """The server under test, killed and restarted at seeded random moments."""

    redis_url: str
    cache_dir: Path
    logs: Path
    rng: random.Random
    server: ApiServer | None = None
    kills: int = 0
    generation: int = 0
    restarts: list[float] = field(default_factory=list)

    async def start(self) -> ApiServer:
        port = self.server.port if self.server else None
        log = self.logs / f"server-{self.generation}.log"
        # The keys this test reads are named under the default prefix, whatever the shell sets.
        env = {"SUPPORTGRAPH_KEY_PREFIX": "sg"}
        server = ApiServer(self.redis_url, self.cache_dir, port=port, log_path=log, env=env)
        self.server = await asyncio.to_thread(server.start)
        self.generation += 1
        return self.server

    async def kill_soon(self, within: float, down_for: float = 0.0) -> None:
        """SIGKILL at a random moment soon, preferably while a run executes; a new server
        starts `down_for` seconds later."""
        await asyncio.sleep(self.rng.uniform(0.0, within))
        await self.until_a_run_executes(limit=1.5)
        assert self.server is not None
        await asyncio.to_thread(self.server.kill)
        self.kills += 1
        killed = time.monotonic()
        await asyncio.sleep(down_for)
        await self.start()
        self.restarts.append(round(time.monotonic() - killed, 1))

    async def until_a_run_executes(self, limit: float) -> None:
        redis = aioredis.Redis.from_url(self.redis_url)
        deadline = time.monotonic() + limit
        try:
            while time.monotonic() < deadline:
                active = await redis.smembers("sg:api:runs:active")
                statuses = [await redis.hget(f"sg:api:run:{r.decode()}", "status") for r in active]
                if b"running" in statuses:
                    return
                await asyncio.sleep(0.005)
        finally:
            await redis.aclose()

    def log_text(self) -> str:
        return "".join(p.read_text(errors="replace") for p in sorted(self.logs.glob("*.log")))


@dataclass
class Step:
    thread: int
    index: int
    kind: Kind
    mode: Mode

    @property
    def tag(self) -> str:
        return f"t{self.thread}-s{self.index}-{self.kind}"

    def payload(self) -> dict[str, Any]:
        if self.kind == "approve":
            return {"command": APPROVE}
        text = {"upgrade": PLAN_CHANGE, "ticket": TICKET, "faq": FAQ}[self.kind]
        return {"input": user(text)}


@dataclass
class Driver:
    """One customer per thread; submits each step once, however often the server dies."""

    client: LangGraphClient
    thread_id: str
    rng: random.Random
    run_ids: dict[str, str] = field(default_factory=dict)

    async def find(self, tag: str) -> str | None:
        runs = await self.client.runs.list(self.thread_id, limit=100)
        return next((r["run_id"] for r in runs if r["metadata"].get("step") == tag), None)

    async def submit(self, step: Step) -> None:
        async def once() -> str:
            found = await self.find(step.tag)
            if found is not None:
                return found
            return await self._send(step)

        self.run_ids[step.tag] = await patiently(once)

    async def _send(self, step: Step) -> str:
        common: dict[str, Any] = {"metadata": {"step": step.tag}, **step.payload()}
        runs, tid = self.client.runs, self.thread_id
        if step.mode == "background":
            return str((await runs.create(tid, "support", **common))["run_id"])
        if step.mode == "delayed":
            delay = round(self.rng.uniform(0.5, 3.0), 2)
            return str((await runs.create(tid, "support", after_seconds=delay, **common))["run_id"])
        if step.mode == "stream":
            run_id = ""
            async for part in runs.stream(tid, "support", stream_mode="updates", **common):
                if part.event == "metadata":
                    run_id = part.data["run_id"]
            return run_id
        await runs.wait(tid, "support", raise_error=False, **common)
        found = await self.find(step.tag)
        assert found is not None, f"{step.tag} answered but is not listed"
        return found


async def redis_docs(redis_url: str, kind: str) -> list[dict[str, Any]]:
    client = aioredis.Redis.from_url(redis_url)
    try:
        return [await client.json().get(k) async for k in client.scan_iter(match=f"sg:{kind}:*")]
    finally:
        await client.aclose()


async def attempts(redis_url: str, run_ids: list[str]) -> dict[str, int]:
    client = aioredis.Redis.from_url(redis_url)
    try:
        found = {r: await client.hget(f"sg:api:run:{r}", "attempt") for r in run_ids}
    finally:
        await client.aclose()
    return {r: int(v or 1) for r, v in found.items()}


def ticket_of(thread_id: str, run: dict[str, Any]) -> str:
    """The one ticket a ticket turn may open: named after the thread and the turn's message."""
    return record_id("TKT", f"{thread_id}:{run['kwargs']['input']['messages'][0]['id']}")


async def test_sigkilled_server_loses_and_doubles_nothing(
    redis_url: str, brain_cache_dir: Path, tmp_path: Path
) -> None:
    rng = random.Random(SEED)
    chaos = Chaos(redis_url, brain_cache_dir, tmp_path, rng)
    server = await chaos.start()
    client = get_client(url=server.url, timeout=60)
    try:
        await _scenario(chaos, client, rng)
    finally:
        await client.http.client.aclose()
        if chaos.server is not None:
            chaos.server.stop()


async def _scenario(chaos: Chaos, client: LangGraphClient, rng: random.Random) -> None:
    drivers = [
        Driver(client, (await client.threads.create())["thread_id"], random.Random(rng.random()))
        for _ in SCRIPTS
    ]
    steps = [
        [Step(t, i, kind, mode) for i, (kind, mode) in enumerate(script)]
        for t, script in enumerate(SCRIPTS)
    ]

    async def jittered(driver: Driver, step: Step) -> None:
        await asyncio.sleep(driver.rng.uniform(0.0, 0.2))
        await driver.submit(step)

    # One server stays dead for longer than a worker lease plus a restart: runs wait for their
    # adoption all that time (and queued runs behind them must not overtake them).
    slow_restart = rng.randrange(ROUNDS)
    for round_ in range(ROUNDS):
        wave = [
            jittered(drivers[t], steps[t][round_])
            for t in range(len(SCRIPTS))
            if round_ < len(steps[t])
        ]
        down_for = LONG_DOWNTIME if round_ == slow_restart else 0.0
        await asyncio.gather(chaos.kill_soon(within=0.4, down_for=down_for), *wave)
    # A last kill while delayed and queued runs may still be waiting for their turn.
    await chaos.kill_soon(within=0.5)

    every = [s for script in steps for s in script]
    assert len(every) == 20

    async def settled(driver: Driver, tag: str) -> dict[str, Any]:
        run_id = driver.run_ids[tag]
        await patiently(lambda: client.runs.join(driver.thread_id, run_id))
        return await patiently(lambda: client.runs.get(driver.thread_id, run_id))

    runs = {
        s.tag: await asyncio.wait_for(settled(drivers[s.thread], s.tag), timeout=90) for s in every
    }
    thread_ids = {d.thread_id for d in drivers}

    def ours(docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [d for d in docs if d["thread_id"] in thread_ids]

    statuses = Counter(r["status"] for r in runs.values())
    tried = await attempts(chaos.redis_url, [r["run_id"] for r in runs.values()])
    log = chaos.log_text()
    adopted = Counter(re.findall(r"adopted run \S+ \((\w+)\)", log))
    tickets = await redis_docs(chaos.redis_url, "ticket")
    actions = await redis_docs(chaos.redis_url, "action")

    def story(t: int) -> dict[str, Any]:
        """What happened on thread `t`, for failure messages."""
        done = {s.tag: (runs[s.tag]["status"], tried[runs[s.tag]["run_id"]]) for s in steps[t]}
        return {
            **done,
            "errors": [runs[s.tag]["error"] for s in steps[t]],
            "restarts": chaos.restarts,
        }

    # Every run ended, successfully unless its worker died MAX_ATTEMPTS times (then it says
    # so), or it is an approval queued behind such a run (nothing left to approve).
    exhausted = {
        t for t, r in runs.items() if r["status"] == "error" and "worker died" in (r["error"] or "")
    }
    for step in every:
        status = runs[step.tag]["status"]
        after_exhausted = step.index > 0 and steps[step.thread][step.index - 1].tag in exhausted
        allowed = {"success"} | ({"error"} if step.tag in exhausted or after_exhausted else set())
        assert status in allowed, (step.tag, story(step.thread))

    for t, driver in enumerate(drivers):
        tid = driver.thread_id
        mine = steps[t]
        clean = not any(s.tag in exhausted for s in mine)
        ok = [s for s in mine if runs[s.tag]["status"] == "success"]

        # Never left busy: waiting on the approval its last run asked for, or idle.
        thread = await client.threads.get(tid)
        if runs[mine[-1].tag]["status"] == "success":
            pending = mine[-1].kind == "upgrade"
            assert thread["status"] == ("interrupted" if pending else "idle"), story(t)
        else:
            assert thread["status"] in ("idle", "interrupted", "error"), story(t)

        # One ticket per ticket turn, named after the turn's message; never a second one.
        made = [d["ticket_id"] for d in tickets if d["thread_id"] == tid]
        assert len(made) == len(set(made)), story(t)
        expected = {ticket_of(tid, runs[s.tag]) for s in ok if s.kind == "ticket"}
        possible = {ticket_of(tid, runs[s.tag]) for s in mine if s.kind == "ticket"}
        assert expected <= set(made) <= possible, (made, expected, story(t))

        # One committed plan change per approval that went through, never two.
        committed = [a for a in actions if a["thread_id"] == tid]
        assert all(a["action"] == "change_plan" for a in committed)
        approved = len([s for s in ok if s.kind == "approve"])
        approvals = len([s for s in mine if s.kind == "approve"])
        assert approved <= len(committed) <= approvals, story(t)
        assert not clean or len(committed) == approved, story(t)

        # Each message the customer sent is in the conversation once.
        messages = (await client.threads.get_state(tid))["values"]["messages"]
        humans = [m["id"] for m in messages if m["type"] == "human"]
        assert len(humans) == len(set(humans)), ("a turn was duplicated", story(t))
        sent = [s for s in ok if s.kind != "approve"]
        assert len(sent) <= len(humans) <= len([s for s in mine if s.kind != "approve"])
        assert not clean or len(humans) == len(sent), (humans, story(t))

    # Every thread takes a new turn: pending approvals are approved once, then a question.
    for driver in drivers:
        tid = driver.thread_id
        before = len(
            [a for a in await redis_docs(chaos.redis_url, "action") if a["thread_id"] == tid]
        )
        if (await client.threads.get(tid))["status"] == "interrupted":
            done = await client.runs.wait(tid, "support", command=APPROVE)
            assert done["status"] == "resolved"
            after = [
                a for a in await redis_docs(chaos.redis_url, "action") if a["thread_id"] == tid
            ]
            assert len(after) == before + 1
        answer = await client.runs.wait(tid, "support", input=user(FAQ))
        assert answer["status"] == "faq_answered"
        assert (await client.threads.get(tid))["status"] == "idle"

    print(
        f"\ncrash test: {chaos.kills} kills, {len(runs)} runs {dict(statuses)}, "
        f"adopted {dict(adopted)}, retried (attempt>1) {sum(a > 1 for a in tried.values())}, "
        f"exhausted {len(exhausted)}, tickets {len(ours(tickets))}, "
        f"committed actions {len(ours(actions))}, back after {chaos.restarts} s"
    )


async def test_a_dead_workers_run_keeps_its_thread_until_adopted(redis_url: str) -> None:
    """The queue protocol on its own: the run behind a dead worker's run never overtakes it,
    however long the adoption takes; only a lock whose run ended is taken over."""
    client = aioredis.Redis.from_url(redis_url)
    keys = ApiKeys(f"crash-{uuid.uuid4().hex[:8]}")
    threads, runs = ThreadStore(client, keys), RunStore(client, keys)
    tid = str(uuid.uuid4())
    await threads.create(tid, "local", {})

    def run(worker: str) -> RunRecord:
        return run_record(tid, owner="local", worker=worker)

    try:
        turn, approval = run("dead"), run("alive")
        await runs.enqueue(turn)
        await runs.enqueue(approval)
        assert await runs.try_acquire(turn) == "acquired"
        # The worker holding `turn` is SIGKILLed: nothing renews or releases anything now.
        assert await client.pttl(keys.lock(tid)) == -1, "a lock that expires lets runs overtake"
        assert await runs.try_acquire(approval) == "wait"
        assert await runs.adopt(turn, "dead", "alive", MAX_ATTEMPTS) == "retry"
        adopted = await runs.get(turn.run_id)
        assert adopted is not None and adopted.attempt == 2
        assert await runs.try_acquire(approval) == "wait"
        assert await runs.try_acquire(adopted) == "acquired"
        await runs.finish(adopted, "success", "idle")
        assert await runs.try_acquire(approval) == "acquired"

        # A lock left behind by a run that ended without releasing it does not block the thread.
        late = run("alive")
        await runs.enqueue(late)
        await runs.finish(approval, "success", "idle")
        await client.set(keys.lock(tid), approval.run_id)
        assert await runs.try_acquire(late) == "acquired"
    finally:
        await client.delete(*[k async for k in client.scan_iter(match=f"{keys.prefix}:*")])
        await client.aclose()
