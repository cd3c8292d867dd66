"""`supportgraph chat`: talk to the agent as a customer, decide its interrupts as an operator."""

from __future__ import annotations

import argparse
import asyncio
import json
import uuid

from langgraph.types import Command

from api.bootstrap import SupportApp, open_support_app
from api.turns import (
    NothingPending,
    TurnResult,
    read_turn,
    resume_turn,
    send_message,
    thread_config,
)
from state.outputs import InvalidResume
from state.redis_server import redacted
from state.settings import Settings


def run_chat(args: argparse.Namespace, settings: Settings) -> int:
    return asyncio.run(
        chat_loop(settings, args.thread or f"chat-{uuid.uuid4().hex[:12]}", args.customer)
    )


async def chat_loop(settings: Settings, thread_id: str, customer: str | None) -> int:
    async with open_support_app(settings) as app:
        print(
            f"thread {thread_id} · backend {app.deps.models.backend} · "
            f"Redis {redacted(app.redis_url)}"
        )
        print("Type a message; Ctrl-D to leave.")
        result = await read_turn(app.graph, thread_id)
        while True:
            job = waiting_job(result)
            if job is not None:
                result = await job_outcome(app, thread_id, *job)
                continue
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


def waiting_job(result: TurnResult) -> tuple[str, str] | None:
    """(interrupt id, job id) when the thread waits on a long-running job."""
    for pending in result.interrupts:
        if pending["value"].get("kind") == "job":
            return str(pending["id"]), str(pending["value"]["job_id"])
    return None


async def job_outcome(
    app: SupportApp, thread_id: str, interrupt_id: str, job_id: str
) -> TurnResult:
    """Wait for the job (run by a `supportgraph worker`), then resume the thread with it.

    Chat threads are not the HTTP API's, so the worker does not resume them itself."""
    print(f"       [waiting on job {job_id}; a `supportgraph worker` runs it]")
    outcome = None
    while outcome is None:
        job = await app.jobs.get(job_id)
        outcome = job.outcome if job is not None else None
        if outcome is None:
            await asyncio.sleep(0.5)
    await app.graph.ainvoke(
        Command(resume={interrupt_id: outcome.model_dump(mode="json")}),
        thread_config(thread_id),
    )
    result = await read_turn(app.graph, thread_id)
    show(result)
    return result


async def operator_decision(graph: object, thread_id: str, result: TurnResult) -> TurnResult:
    for pending in result.interrupts:
        print(f"[waiting for an operator] {json.dumps(pending['value'], indent=2)}")
    print(
        "operator: approve | reject <reason> | edit <json arguments> | reply <message>"
        " | withdraw <reason>"
    )
    while True:
        try:
            line = (await asyncio.to_thread(input, "operator> ")).strip()
        except EOFError:
            raise KeyboardInterrupt from None
        verb, _, rest = line.partition(" ")
        try:
            decision: dict[str, object] = {"decision": verb}
            if verb in ("reject", "withdraw"):
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
