"""Typed boundaries: structured model outputs, interrupt payloads, and resume decisions."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, computed_field

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


REPLY_ACTION = "reply_to_customer"
"""The action a human handoff asks an operator to take, as LangChain's HITL names actions."""


class ApprovalRequest(BaseModel):
    """Interrupt payload of a sensitive action waiting for an operator.

    Beside the product's own fields it carries LangChain's `HITLRequest` (`action_requests`,
    `review_configs`), so agent-chat-ui and Agent Inbox draw Approve / Edit / Reject for it."""

    kind: Literal["approval"] = "approval"
    action: str
    arguments: dict[str, Any]
    reason: str
    customer_id: str | None
    error: str | None = None
    """Why the previous resume value was refused, when it was."""

    @computed_field  # type: ignore[prop-decorator]
    @property
    def action_requests(self) -> list[dict[str, Any]]:
        return [_action_request(self.action, self.arguments, self.reason, self.error)]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def review_configs(self) -> list[dict[str, Any]]:
        return [{"action_name": self.action, "allowed_decisions": ["approve", "edit", "reject"]}]


LEGACY_KINDS = {"human": "handoff"}
"""Kinds stored by earlier versions: a handoff's interrupt said `human`; read as `handoff`."""


def interrupt_kind(value: object) -> str | None:
    """The kind of a pending interrupt's payload (an old `human` handoff reads `handoff`)."""
    if not isinstance(value, dict):
        return None
    kind = str(value.get("kind") or "approval")
    return LEGACY_KINDS.get(kind, kind)


class HumanHandoffRequest(BaseModel):
    """Interrupt payload of a conversation waiting for a human operator's reply; as a
    `HITLRequest` it is one `reply_to_customer` action that the operator edits to answer.
    Its kind, `handoff`, is what the inbox and the console call it."""

    kind: Literal["handoff"] = "handoff"
    reason: str
    customer_id: str | None
    last_message: str
    error: str | None = None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def action_requests(self) -> list[dict[str, Any]]:
        about = f"{self.reason}. The customer wrote: {self.last_message}"
        return [_action_request(REPLY_ACTION, {"message": ""}, about, self.error)]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def review_configs(self) -> list[dict[str, Any]]:
        return [{"action_name": REPLY_ACTION, "allowed_decisions": ["edit"]}]


def _action_request(
    name: str, args: dict[str, Any], description: str, error: str | None
) -> dict[str, Any]:
    """One HITL action request; `arguments` repeats `args` for Agent Inbox, which reads it."""
    if error:
        description = f"{description}\n\nYour previous answer was refused: {error}"
    return {"name": name, "args": args, "arguments": args, "description": description}


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
    action: str | None = None
    """The action the edit is for, when the client names it (HITL's `edited_action.name`)."""


class Reply(BaseModel):
    model_config = ConfigDict(extra="forbid")
    decision: Literal["reply"]
    message: str = Field(min_length=1, max_length=4000)


class Withdraw(BaseModel):
    """The request is dropped without a decision: the customer moved on, or it was dismissed."""

    model_config = ConfigDict(extra="forbid")
    decision: Literal["withdraw"]
    reason: str = Field(min_length=1, max_length=2000)


Decision = Approve | Reject | Edit | Reply | Withdraw
ResumeDecision = Annotated[Decision, Field(discriminator="decision")]
RESUME_DECISION: TypeAdapter[Decision] = TypeAdapter(ResumeDecision)

CUSTOMER_MOVED_ON = "the customer sent a new message before an operator decided"
"""Why an approval is withdrawn when the customer writes while it waits."""


class InvalidResume(ValueError):
    """A resume value that is not one of the decisions."""


_FORMS = (
    'resume must be {"decision": "approve"}, {"decision": "reject", "reason": ...}, '
    '{"decision": "edit", "arguments": {...}}, {"decision": "reply", "message": ...}, '
    '{"decisions": [{"type": "approve" | "edit" | "reject", ...}]} (LangChain HITL) '
    'or [{"type": "accept" | "edit" | "response" | "ignore", "args": ...}] (Agent Inbox)'
)


def parse_resume(raw: object) -> Decision:
    """Validate a resume value in any form a client sends; the message names what was wrong.

    The product's typed decisions, LangChain's HITL response (`{"decisions": [...]}`, one
    decision per pending action) and Agent Inbox's list of `HumanResponse` all end up as one
    typed decision."""
    try:
        return RESUME_DECISION.validate_python(_typed(raw))
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'value'}: {err['msg']}"
            for err in exc.errors()
        )
        raise InvalidResume(f"{_FORMS} ({problems})") from exc


def _typed(raw: object) -> object:
    """A HITL or Agent Inbox answer rewritten as the typed decision it means; else `raw`."""
    if isinstance(raw, dict) and "decisions" in raw and "decision" not in raw:
        decisions = raw["decisions"]
        if not isinstance(decisions, list) or len(decisions) != 1:
            raise InvalidResume(f"{_FORMS} (decisions: one decision for the one pending action)")
        raw = decisions[0]
    elif isinstance(raw, list):
        if len(raw) != 1:
            raise InvalidResume(f"{_FORMS} (one response for the one pending action)")
        raw = raw[0]
    if not isinstance(raw, dict) or "type" not in raw or "decision" in raw:
        return raw
    kind, args = raw["type"], raw.get("args")
    if kind in ("approve", "accept"):
        return {"decision": "approve"}
    if kind == "reject":
        return {"decision": "reject", "reason": raw.get("message") or "no reason given"}
    if kind == "response":
        return {"decision": "reply", "message": args}
    if kind == "ignore":
        return {"decision": "withdraw", "reason": "dismissed by the operator"}
    if kind == "edit":
        action = raw.get("edited_action", raw.get("editedAction"))
        if action is None and isinstance(args, dict):  # Agent Inbox: {"action", "args"}
            action = {"name": args.get("action"), "args": args.get("args")}
        if not isinstance(action, dict):
            return {"decision": "edit"}
        name, new_args = action.get("name"), action.get("args")
        if name == REPLY_ACTION and isinstance(new_args, dict):
            return {"decision": "reply", "message": new_args.get("message")}
        return {"decision": "edit", "arguments": new_args, "action": name}
    return {"decision": kind}
