"""The graph's state: messages plus the fields that say where a turn went and how it ended."""

from __future__ import annotations

from enum import StrEnum
from itertools import repeat
from typing import Annotated, Any, Literal

from langchain_core.messages import AnyMessage, BaseMessage
from langgraph.graph.message import add_messages
from pydantic import BaseModel, ConfigDict, Field, ValidatorFunctionWrapHandler, WrapValidator


class TurnStatus(StrEnum):
    """How a turn ended; exactly one per turn."""

    FAQ_ANSWERED = "faq_answered"
    RESOLVED = "resolved"
    TICKET_CREATED = "ticket_created"
    AWAITING_APPROVAL = "awaiting_approval"
    BLOCKED = "blocked"
    HANDED_TO_HUMAN = "handed_to_human"
    WAITING_ON_JOB = "waiting_on_job"


Route = Literal["faq", "billing", "technical", "account", "human", "triage"]
SPECIALISTS: tuple[Route, ...] = ("billing", "technical", "account")
ROUTES: tuple[Route, ...] = ("faq", "billing", "technical", "account", "human", "triage")
TicketCategory = Literal["billing", "technical", "account", "general"]
Priority = Literal["low", "medium", "high"]
BlockReason = Literal["injection", "other_customer", "abuse", "off_topic"]
CUSTOMER_ID = r"C-\d{4}"
"""What a customer id looks like (C-1001); every check of one builds on this pattern."""


def messages_as_given(value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    """A list of message objects passes as it is (copied); anything else, such as the dicts
    a caller sends, is validated into messages.

    LangGraph builds each node's input from the channels, whose messages are already objects;
    validating them again walked the whole history (a discriminator call per message) for
    every node, every step: O(messages) per step for nothing.
    """
    if type(value) is list and all(map(isinstance, value, repeat(BaseMessage))):
        return list(value)
    return handler(value)


Messages = Annotated[list[AnyMessage], WrapValidator(messages_as_given), add_messages]
"""The conversation; the reducer is last, where LangGraph looks for it."""


class InputState(BaseModel):
    """What a caller sends: the new message(s) and who is signed in."""

    model_config = ConfigDict(use_enum_values=True)

    messages: Messages
    customer_id: str | None = Field(default=None, pattern=f"^{CUSTOMER_ID}$")


class TurnOutcome(BaseModel):
    """Where the current turn went and how it ended; cleared when a new turn starts."""

    model_config = ConfigDict(use_enum_values=True)

    status: TurnStatus | None = None
    route: Route | None = None
    category: TicketCategory | None = None
    priority: Priority | None = None
    faq_id: str | None = None
    ticket_id: str | None = None
    block_reason: BlockReason | None = None
    fallback_backend: Literal["offline"] | None = None
    """Set when the configured model backend was unreachable and this backend answered."""
    model_fallbacks: list[str] | None = None
    """The model roles (guardrail, router, ...) that fell back this turn."""


def keep_highest(left: dict[str, int], right: dict[str, int] | None) -> dict[str, int]:
    """Merge call counts by taking the higher count per tool.

    Counts only grow, so a subgraph handing its whole state back, or a write applied twice,
    leaves them unchanged, where summing would count the same calls again.
    """
    if not right:
        return left
    merged = dict(left)
    for name, count in right.items():
        merged[name] = max(merged.get(name, 0), count)
    return merged


class PendingJob(BaseModel):
    """A long-running job the thread waits on (see `state.stores.jobs`)."""

    tool: str
    tool_call_id: str
    route: Route
    """The specialist that answers from the job's result."""


JobEntry = dict[str, str]
"""A `PendingJob` as the state keeps it: plain JSON, so every checkpoint serializer reads it."""


def merge_jobs(
    left: dict[str, JobEntry], right: dict[str, JobEntry | None] | None
) -> dict[str, JobEntry]:
    """Add started jobs; a `None` value removes a job whose outcome the thread consumed."""
    if not right:
        return left
    merged = dict(left)
    for job_id, job in right.items():
        if job is None:
            merged.pop(job_id, None)
        else:
            merged[job_id] = job
    return merged


class SupportState(InputState, TurnOutcome):
    """The whole conversation state that the checkpointer keeps."""

    ticket_summary: str | None = None
    contact_customer_id: str | None = None
    """The account whose e-mail or phone an anonymous customer typed: unverified, so it only
    goes on the ticket for a person to check; it never signs the thread in."""
    turn_id: str | None = None
    """Id of the human message that opened the turn; the idempotency key of its side effects."""
    handoffs: int = 0
    """Handoffs taken in this turn; bounded so agents cannot pass the customer around forever."""
    tool_calls: Annotated[dict[str, int], keep_highest] = Field(default_factory=dict)
    """Calls of each tool in this thread, across turns; `tools.policy` caps them per tool."""
    pending_jobs: Annotated[dict[str, JobEntry], merge_jobs] = Field(default_factory=dict)
    """Long-running jobs started and not yet answered; a turn that ends with some waits on
    the first (see `nodes.await_job`), also after a customer message in between."""


class OutputState(InputState, TurnOutcome):
    """What a turn returns to its caller."""


def turn_reset(state: SupportState) -> dict[str, Any]:
    """The per-turn fields to clear when a new customer message arrives.

    Only those not clear already: every field written is a channel the checkpoint stores (and
    Redis indexes) again, and most turns start clear.
    """
    cleared = {**dict.fromkeys(TurnOutcome.model_fields), "ticket_summary": None, "handoffs": 0}
    return {key: value for key, value in cleared.items() if getattr(state, key) != value}
