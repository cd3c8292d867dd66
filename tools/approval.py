"""Human approval: pause on `interrupt()` until an operator sends a valid decision.

An invalid resume value never ends the wait: the node interrupts again with the error in the
payload, so the approval stays pending and the operator sees why their answer was refused.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from langchain_core.runnables import RunnableConfig
from langgraph.types import interrupt

from state.outputs import (
    ApprovalRequest,
    Decision,
    Edit,
    HumanHandoffRequest,
    InvalidResume,
    Reject,
    Reply,
    Withdraw,
    parse_resume,
)
from state.stores.audit import AuditAction, AuditLog
from tools.call_context import audit_entry


class PolicyViolation(ValueError):
    """Arguments that the action's policy does not allow; the message says why."""


Verifier = Callable[[dict[str, Any]], dict[str, Any]]


T = TypeVar("T")


def _interrupt_until(
    request: ApprovalRequest | HumanHandoffRequest, accept: Callable[[Decision], T | str]
) -> T:
    """Interrupt until `accept` returns something other than a refusal (a `str`)."""
    error: str | None = None
    while True:
        raw = interrupt(request.model_copy(update={"error": error}).model_dump(mode="json"))
        outcome: T | str
        try:
            outcome = accept(parse_resume(raw))
        except InvalidResume as exc:
            outcome = str(exc)
        if not isinstance(outcome, str):
            return outcome
        error = outcome


def await_approval(request: ApprovalRequest, verify: Verifier) -> tuple[Decision, dict[str, Any]]:
    """The operator's decision and the arguments to commit (verified again after an edit)."""

    def accept(decision: Decision) -> tuple[Decision, dict[str, Any]] | str:
        if isinstance(decision, Reject | Reply | Withdraw):
            return decision, request.arguments
        if isinstance(decision, Edit) and decision.action not in (None, request.action):
            return f"the edit is for {decision.action!r}, but {request.action!r} is waiting"
        edits = decision.arguments if isinstance(decision, Edit) else {}
        try:
            return decision, verify({**request.arguments, **edits})
        except PolicyViolation as exc:
            return f"{decision.decision} refused: {exc}"

    return _interrupt_until(request, accept)


def await_operator_reply(request: HumanHandoffRequest) -> Reply:
    """Wait until an operator writes to the customer; other decisions are refused."""

    def accept(decision: Decision) -> Reply | str:
        if isinstance(decision, Reply):
            return decision
        return (
            f"'{decision.decision}' does not answer a customer waiting for a person: "
            'send {"decision": "reply", "message": ...} (or edit the reply_to_customer action)'
        )

    return _interrupt_until(request, accept)


async def decide_and_audit(
    request: ApprovalRequest,
    verify: Verifier,
    audit_log: AuditLog,
    config: RunnableConfig | None,
    key: str,
) -> dict[str, Any] | str:
    """Wait for the operator's decision on `request` and audit it under `key`.

    Returns the verified arguments to commit after an approve or edit, or, after a reject,
    an operator reply or a withdrawal, the refusal to hand back to the model (nothing is done).
    """
    decision, final_args = await_approval(request, verify)
    logged = {"tool": request.action, "customer_id": request.customer_id}
    action: AuditAction
    outcome: dict[str, Any] | str
    detail: dict[str, Any]
    if isinstance(decision, Reject):
        action, detail = "reject", {"reason": decision.reason}
        outcome = f"The operator rejected this request: {decision.reason}. Nothing was changed."
    elif isinstance(decision, Reply):
        action, detail = "operator_reply", {"message": decision.message}
        outcome = f"An operator replied instead of approving: {decision.message}"
    elif isinstance(decision, Withdraw):
        action, detail = "withdraw", {"reason": decision.reason}
        outcome = (
            f"The request was withdrawn before anyone approved it ({decision.reason}). "
            "Nothing was changed."
        )
    else:
        action = "edit" if isinstance(decision, Edit) else "approve"
        detail, outcome = {"arguments": final_args}, final_args
    await audit_log.append(audit_entry(config, action, key, {**logged, **detail}))
    return outcome
