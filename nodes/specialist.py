"""Specialists (billing, technical, account): answer from the customer's own records.

One node function serves the three; each gets its own prompt and tools. A sensitive tool call
marks the turn `awaiting_approval` here, before the tool pauses for the operator, so the
checkpoint that waits already says so. The model proposes one call at a time, whatever its
name: the tool node is the verifier, and refuses an unknown tool back to the model with the
reason. A turn that takes more model steps than `MAX_MODEL_STEPS_PER_TURN` goes to triage,
where a ticket puts a person on it, instead of running into LangGraph's recursion limit.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any
from uuid import uuid4

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import (
    AIMessage,
    BaseMessage,
    HumanMessage,
    SystemMessage,
    ToolCall,
    ToolMessage,
)
from langchain_core.tools import BaseTool
from langgraph.config import get_config
from langgraph.types import Command

from nodes.context import recent_turns
from state.schema import Route, SupportState, TurnStatus
from state.specialists import specialist
from tools.handoffs import carried_from_subgraph
from tools.policy import policy_of

logger = logging.getLogger(__name__)

MAX_MODEL_STEPS_PER_TURN = 10
"""Model replies in one turn, the router's included; a normal turn takes two to four."""

PROMPT = """You are Nimbus Telecom's {route} specialist. Your scope: {scope}.
Use your tools to read the signed-in customer's records (customer {customer}) and answer from
what they return; never invent account facts. Sensitive actions go through their tools, which
ask an operator first: never say an action is done unless the tool confirmed it, and if a tool
refuses, tell the customer why. Outside your scope, transfer to the right colleague or back to
the router. Call at most one tool at a time. Reply in the language the customer writes in
(Korean customers get Korean), keeping figures, ids and plan names exactly as the tools give
them. Never propose a refund, plan change, cancellation or SIM swap on a guess: if you are not
sure which action or which plan or charge is meant, ask one short question instead. A
question about whether an action is needed or what it would do ("will I need to cancel?",
"can I move it without cancelling?", "해지해야 하나요?") is not a request: answer it from the
records and propose nothing. The plan wanted is the one named last in "X instead of / rather
than Y", "from Y to X", "swap Y for X", "Y 말고 X로", "Y에서 X로" (X, never Y). For a
refund, read the invoices first and take the amount from the line the customer describes.
For slow or broken service, give the region's status, the help center's steps to try, and
offer a ticket."""


def model_steps_this_turn(messages: Sequence[BaseMessage]) -> int:
    """Model replies since the customer's last message."""
    steps = 0
    for message in reversed(messages):
        if isinstance(message, HumanMessage):
            break
        steps += isinstance(message, AIMessage)
    return steps


def escalate_to_triage(state: SupportState, route: Route) -> Command[Any]:
    """Leave the subgraph for triage, carrying its messages and tool counts to the parent."""
    logger.warning("%s used its step budget this turn; escalating to triage", route)
    return Command(
        graph=Command.PARENT,
        goto="triage",
        update={**carried_from_subgraph(state), "route": "triage"},
    )


def job_just_started(state: SupportState) -> bool:
    """The last tool call started a long-running job that the thread now waits on."""
    last = state.messages[-1] if state.messages else None
    started = {job.get("tool_call_id") for job in state.pending_jobs.values()}
    return isinstance(last, ToolMessage) and last.tool_call_id in started


SpecialistNode = Callable[..., Awaitable[dict[str, Any] | Command[Any]]]


def make_specialist(route: Route, model: BaseChatModel, tools: list[BaseTool]) -> SpecialistNode:
    sensitive = {t.name for t in tools if policy_of(t).requires_confirmation}
    bound = model.bind_tools(tools, parallel_tool_calls=False)

    async def call_specialist(state: SupportState) -> dict[str, Any] | Command[Any]:
        if model_steps_this_turn(state.messages) >= MAX_MODEL_STEPS_PER_TURN:
            return escalate_to_triage(state, route)
        prompt = PROMPT.format(
            route=route,
            scope=specialist(route).scope,
            customer=state.customer_id or "none: anonymous",
        )
        response = await bound.ainvoke([SystemMessage(prompt), *recent_turns(state.messages)])
        message = response if isinstance(response, AIMessage) else AIMessage(str(response))
        calls = message.tool_calls[:1] or [
            # Arguments that are not even JSON still reach the tool node, whose schema check
            # refuses them back to the model instead of the turn ending on an empty reply.
            ToolCall(name=bad.get("name") or "", args={}, id=bad.get("id") or f"invalid_{uuid4()}")
            for bad in message.invalid_tool_calls[:1]
        ]
        message = message.model_copy(update={"tool_calls": calls, "invalid_tool_calls": []})
        if not calls:
            if job_just_started(state):
                ended = TurnStatus.WAITING_ON_JOB
            else:
                ended = TurnStatus.TICKET_CREATED if state.ticket_id else TurnStatus.RESOLVED
            return {"messages": [message], "route": route, "status": ended}
        update: dict[str, Any] = {"messages": [message], "route": route}
        if calls[0]["name"] in sensitive:
            if in_parent_graph():
                return propose_to_operator(state, route, message)
            update["status"] = TurnStatus.AWAITING_APPROVAL
        return update

    return call_specialist


def propose_to_operator(state: SupportState, route: Route, message: AIMessage) -> Command[Any]:
    """A sensitive call waits for an operator: the parent graph hears of it first.

    An interrupt inside the subgraph would pause it before the parent's state says anything
    of the turn (Studio would show `status: null`). So the proposal goes up to the parent with
    `awaiting_approval`, and the same specialist starts again at its pending call
    (`route_at_entry`), whose tool interrupts there."""
    carried = carried_from_subgraph(state)
    return Command(
        graph=Command.PARENT,
        goto=route,
        update={
            **carried,
            "messages": [*carried["messages"], message],
            "route": route,
            "status": TurnStatus.AWAITING_APPROVAL,
        },
    )


def in_parent_graph() -> bool:
    """Whether this specialist runs as a subgraph (of the support graph), not on its own: a
    node's checkpoint namespace is `parent_task|node_task` there, `node_task` alone here."""
    return "|" in str(get_config().get("configurable", {}).get("checkpoint_ns", ""))


def route_at_entry(state: SupportState) -> str:
    """Straight to the tools when the last message is a call not answered yet (a proposal
    the specialist handed up to the parent before its approval); else the model."""
    return "tools" if route_after_specialist(state) == "tools" else "agent"


def route_after_specialist(state: SupportState) -> str:
    last = state.messages[-1] if state.messages else None
    return "tools" if isinstance(last, AIMessage) and last.tool_calls else "__end__"
