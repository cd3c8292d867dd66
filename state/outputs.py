"""Typed boundaries: structured model outputs, interrupt payloads, and resume decisions."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from state.schema import BlockReason, Priority, TicketCategory

NO_ANSWER = "no_answer"


class GuardrailVerdict(BaseModel):
    """Whether a customer message must be refused, and why."""

    blocked: bool = Field(description="True when the message must be refused.")
    reason: BlockReason | None = Field(
        default=None,
        description="injection, other_customer, abuse or off_topic when blocked, else null.",
    )


class FaqAnswer(BaseModel):
    """An answer taken from one help-center entry, or the literal no_answer."""

    faq_id: str | None = Field(
        default=None, description="The id of the entry the answer comes from, or null."
    )
    answer: str = Field(description=f"The answer, or exactly '{NO_ANSWER}'.")


class TicketClassification(BaseModel):
    """The triage decision for a problem that needs a ticket."""

    category: TicketCategory = Field(description="billing, technical, account or general.")
    priority: Priority = Field(description="low, medium or high.")
    summary: str = Field(description="One line that says what the problem is.", max_length=200)


class ApprovalRequest(BaseModel):
    """Interrupt payload of a sensitive action waiting for an operator."""

    kind: Literal["approval"] = "approval"
    action: str
    arguments: dict[str, Any]
    reason: str
    customer_id: str | None
    error: str | None = None
    """Why the previous resume value was refused, when it was."""


class HumanHandoffRequest(BaseModel):
    """Interrupt payload of a conversation waiting for a human operator's reply."""

    kind: Literal["human"] = "human"
    reason: str
    customer_id: str | None
    last_message: str
    error: str | None = None


JobOutcomeStatus = Literal["succeeded", "failed", "timed_out", "cancelled"]


class JobWaitRequest(BaseModel):
    """Interrupt payload of a thread waiting on a long-running job; the task queue's worker
    resumes it with the job's `JobOutcome`."""

    kind: Literal["job"] = "job"
    job_id: str
    tool: str
    customer_id: str | None
    message: str
    """What the customer was told while the job runs."""
    deadline: float
    """Epoch seconds by which the job resumes the thread, with a timeout result at the latest."""
    error: str | None = None


class JobOutcome(BaseModel):
    """How a long-running job ended: the resume value of a `JobWaitRequest`."""

    model_config = ConfigDict(extra="forbid")

    job_id: str
    tool: str
    status: JobOutcomeStatus
    message: str
    """The result as the specialist tells it to the customer."""
    result: dict[str, Any] = Field(default_factory=dict)


class Approve(BaseModel):
    model_config = ConfigDict(extra="forbid")
    decision: Literal["approve"]


class Reject(BaseModel):
    model_config = ConfigDict(extra="forbid")
    decision: Literal["reject"]
    reason: str = Field(min_length=1, max_length=2000)


class Edit(BaseModel):
    model_config = ConfigDict(extra="forbid")
    decision: Literal["edit"]
    arguments: dict[str, Any]


class Reply(BaseModel):
    model_config = ConfigDict(extra="forbid")
    decision: Literal["reply"]
    message: str = Field(min_length=1, max_length=4000)


ResumeDecision = Annotated[Approve | Reject | Edit | Reply, Field(discriminator="decision")]
RESUME_DECISION: TypeAdapter[Approve | Reject | Edit | Reply] = TypeAdapter(ResumeDecision)


class InvalidResume(ValueError):
    """A resume value that is not one of the four decisions."""


def parse_resume(raw: object) -> Approve | Reject | Edit | Reply:
    """Validate a resume value; the message names what was wrong."""
    try:
        return RESUME_DECISION.validate_python(raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'value'}: {err['msg']}"
            for err in exc.errors()
        )
        raise InvalidResume(
            'resume must be {"decision": "approve"}, {"decision": "reject", "reason": ...}, '
            '{"decision": "edit", "arguments": {...}} or {"decision": "reply", "message": ...}'
            f" ({problems})"
        ) from exc
