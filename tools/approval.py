"""Human approval: pause on `interrupt()` until an operator sends a valid decision.

An invalid resume value never ends the wait: the node interrupts again with the error in the
payload, so the approval stays pending and the operator sees why their answer was refused.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from langgraph.types import interrupt

from state.outputs import (
    ApprovalRequest,
    Approve,
    Edit,
    HumanHandoffRequest,
    InvalidResume,
    Reject,
    Reply,
    parse_resume,
)


class PolicyViolation(ValueError):
    """Arguments that the action's policy does not allow; the message says why."""


Verifier = Callable[[dict[str, Any]], dict[str, Any]]


def await_approval(
    request: ApprovalRequest, verify: Verifier
) -> tuple[Approve | Edit | Reject | Reply, dict[str, Any]]:
    """The operator's decision and the arguments to commit (verified again after an edit)."""
    error: str | None = None
    while True:
        raw = interrupt(request.model_copy(update={"error": error}).model_dump(mode="json"))
        try:
            decision = parse_resume(raw)
        except InvalidResume as exc:
            error = str(exc)
            continue
        if isinstance(decision, Reject | Reply):
            return decision, request.arguments
        arguments = {
            **request.arguments,
            **(decision.arguments if isinstance(decision, Edit) else {}),
        }
        try:
            return decision, verify(arguments)
        except PolicyViolation as exc:
            error = f"{decision.decision} refused: {exc}"


def await_operator_reply(request: HumanHandoffRequest) -> Reply:
    """Wait until an operator writes to the customer; other decisions are refused."""
    error: str | None = None
    while True:
        raw = interrupt(request.model_copy(update={"error": error}).model_dump(mode="json"))
        try:
            decision = parse_resume(raw)
        except InvalidResume as exc:
            error = str(exc)
            continue
        if isinstance(decision, Reply):
            return decision
        error = (
            f"'{decision.decision}' does not answer a customer waiting for a person: "
            'send {"decision": "reply", "message": ...}'
        )
