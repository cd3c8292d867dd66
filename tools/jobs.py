"""Long-running tools: they start a job on the task queue and the thread waits on it.

`run_line_diagnostic` (technical) and `activate_esim` (account; sensitive, so only after an
operator approves) each start a job under an id derived from the thread, the turn and which
call of the tool in the thread this is (`job_key`), so a node that runs again starts nothing
new, even when the model call before it ran again and named its tool call anew. The tool
answers at once that the work has started and records the job in `pending_jobs`; the turn then
ends waiting on it (`nodes.await_job`), and the task queue's worker resumes the thread with
the outcome. The start, and an operator's decision on an activation, are audited.
"""

from __future__ import annotations

import time
from typing import Any

from langchain_core.messages import ToolMessage
from langchain_core.tools import BaseTool, tool
from langgraph.prebuilt import ToolRuntime
from langgraph.types import Command

from state.outputs import ApprovalRequest
from state.schema import PendingJob, Route, TurnStatus
from state.stores.audit import AuditLog, MemoryAuditLog
from state.stores.customers import Customer, CustomerDirectory
from state.stores.jobs import JobKind, JobQueue, JobRecord
from state.stores.records import record_id
from tools.approval import PolicyViolation, decide_and_audit
from tools.call_context import audit_entry, run_id, state_field, thread_id
from tools.policy import ToolPolicy, calls_so_far, with_policy

JOB_POLICIES: dict[str, ToolPolicy] = {
    "run_line_diagnostic": ToolPolicy(
        risk_level="low", requires_confirmation=False, max_calls_per_thread=3, timeout_seconds=10
    ),
    "activate_esim": ToolPolicy(
        risk_level="high", requires_confirmation=True, max_calls_per_thread=2, timeout_seconds=10
    ),
}
JOB_TOOLS = frozenset(JOB_POLICIES)


def verify_esim(customer: Customer, args: dict[str, Any], *, final: bool) -> dict[str, Any]:
    if customer.status != "active":
        raise PolicyViolation(f"the account is {customer.status}, so no eSIM can be activated")
    if customer.mobile_plan is None:
        raise PolicyViolation("the account has no mobile line to put on an eSIM")
    return {**args, "mobile_plan": customer.mobile_plan}


def job_key(runtime: ToolRuntime[Any, Any], name: str) -> str:
    """The thread, the turn and the number of this call of `name` in the thread.

    Not the model's tool call id: a run retried after its server died between the job's start
    and the turn's checkpoint runs the specialist's model again, which names its call anew,
    while the thread's state (turn, calls so far) is the one the first attempt started from.
    """
    turn = state_field(runtime.state, "turn_id") or "-"
    number = calls_so_far(runtime.state, name, runtime.tool_call_id)
    return f"{thread_id(runtime.config)}:{turn}:{name}:{number}"


def build_job_tools(
    customers: CustomerDirectory,
    jobs: JobQueue | None,
    *,
    diagnostic_seconds: float,
    deadline_seconds: float,
    audit: AuditLog | None = None,
) -> dict[str, BaseTool]:
    audit_log: AuditLog = audit or MemoryAuditLog()

    async def start_job(
        kind: JobKind,
        route: Route,
        runtime: ToolRuntime[Any, Any],
        customer: Customer,
        arguments: dict[str, Any],
        started: str,
    ) -> ToolMessage | Command[Any]:
        name = "run_line_diagnostic" if kind == "line_diagnostic" else "activate_esim"
        call_id = runtime.tool_call_id or ""
        if jobs is None:
            return ToolMessage(
                content="Refused: long-running work cannot be started here. Nothing was done.",
                tool_call_id=call_id,
                name=name,
                status="error",
            )
        job = await jobs.start(
            JobRecord(
                job_id=record_id("JOB", job_key(runtime, name)),
                kind=kind,
                tool=name,
                tool_call_id=call_id,
                route=route,
                thread_id=thread_id(runtime.config) or "",
                run_id=run_id(runtime.config),
                customer_id=customer.customer_id,
                arguments=arguments,
                deadline=time.time() + deadline_seconds,
            )
        )
        await audit_log.append(
            audit_entry(
                runtime.config,
                "job_started",
                job.job_id,
                {"job_id": job.job_id, "tool": name, "arguments": job.arguments},
            )
        )
        message = ToolMessage(
            content=f"{started} (job {job.job_id}). I'll post the result in this conversation "
            "as soon as it is in; you can keep chatting meanwhile.",
            tool_call_id=call_id,
            name=name,
            artifact={"job_id": job.job_id},
        )
        pending = PendingJob(tool=name, tool_call_id=call_id, route=route)
        return Command(
            update={
                "messages": [message],
                "pending_jobs": {job.job_id: pending.model_dump()},
                "status": TurnStatus.WAITING_ON_JOB,
            }
        )

    @tool
    async def run_line_diagnostic(runtime: ToolRuntime[Any, Any]) -> ToolMessage | Command[Any]:
        """Run a diagnostic over the customer's own mobile and fiber line (signal, errors,
        a recommendation). It takes a while: the result follows in the conversation."""
        customer = customers.get(state_field(runtime.state, "customer_id"))
        if customer is None:
            return ToolMessage(
                content="Refused: no customer is signed in, so there is no line to test.",
                tool_call_id=runtime.tool_call_id or "",
                name="run_line_diagnostic",
                status="error",
            )
        seconds = round(diagnostic_seconds)
        return await start_job(
            "line_diagnostic",
            "technical",
            runtime,
            customer,
            {},
            f"I've started a diagnostic of your line; it takes about {seconds} seconds",
        )

    @tool
    async def activate_esim(
        reason: str, runtime: ToolRuntime[Any, Any]
    ) -> ToolMessage | Command[Any]:
        """Activate an eSIM for the customer's mobile line with the network, after an operator
        approves it. Activation takes a while: the result follows in the conversation."""
        call_id = runtime.tool_call_id or ""

        def refused(text: str) -> ToolMessage:
            return ToolMessage(
                content=text, tool_call_id=call_id, name="activate_esim", status="error"
            )

        customer = customers.get(state_field(runtime.state, "customer_id"))
        if customer is None:
            return refused("Refused: no customer is signed in, so no eSIM can be activated.")
        try:
            proposal = verify_esim(customer, {}, final=False)
        except PolicyViolation as exc:
            return refused(f"Refused by policy: {exc}. Nothing was changed.")
        request = ApprovalRequest(
            action="activate_esim",
            arguments=proposal,
            reason=reason[:500],
            customer_id=customer.customer_id,
        )
        final_args = await decide_and_audit(
            request,
            lambda a: verify_esim(customer, a, final=True),
            audit_log,
            runtime.config,
            job_key(runtime, "activate_esim"),
        )
        if isinstance(final_args, str):
            return refused(final_args)
        return await start_job(
            "esim_activation",
            "account",
            runtime,
            customer,
            final_args,
            "Approved: I've asked the network to activate your eSIM",
        )

    found = [run_line_diagnostic, activate_esim]
    return {t.name: with_policy(t, JOB_POLICIES[t.name]) for t in found}
