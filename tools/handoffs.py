"""Handoff tools: the model chooses where the conversation goes by calling one of these.

Each returns a `Command` that moves the graph, with the ToolMessage answering the call so the
history stays valid for any chat model. From inside a specialist subgraph the Command targets
the parent graph and carries the subgraph's messages along, which would otherwise stay behind.
The target is checked against an allow-list and a per-turn budget: past the budget the
conversation goes to triage, where a person picks it up through a ticket.
"""

from __future__ import annotations

from typing import Any

from langchain_core.messages import ToolMessage
from langchain_core.tools import BaseTool, tool
from langgraph.prebuilt import ToolRuntime
from langgraph.types import Command

from state.schema import ROUTES, SPECIALISTS, TurnStatus
from state.specialists import REGISTRY
from tools.call_context import state_field
from tools.policy import ToolPolicy, with_policy

MAX_HANDOFFS_PER_TURN = 4
HANDOFF_POLICY = ToolPolicy(
    risk_level="low", requires_confirmation=False, max_calls_per_thread=200, timeout_seconds=2.0
)
"""A handoff only moves the conversation. The router takes one per turn, so the per-thread cap
only stops a thread that has been passed around hundreds of times; past it, triage."""
HANDOFF_PREFIX = "transfer_to_"
BACK_TO_ROUTER = "transfer_back_to_router"
DESCRIPTIONS: dict[str, str] = {
    **{s.name: s.handoff for s in REGISTRY},
    "faq": "general questions the help center answers (policies, prices, how-tos)",
    "human": "an explicit request to talk to a person",
    "triage": "a real problem no help-center entry answers and no lookup fixes: open a ticket",
    "router": "a request outside your scope: send it back to be routed again",
}


DESTINATION_KEY = "handoff_destination"
"""Metadata key under which each handoff tool names where it sends the conversation."""


def handoff_destinations(tools: list[BaseTool]) -> tuple[str, ...]:
    """Where these handoff tools can send the graph: what `add_node(destinations=...)` takes,
    read from the tools themselves so no list of routes is written twice."""
    found = [str((t.metadata or {})[DESTINATION_KEY]) for t in tools if _is_handoff(t)]
    # Past the per-turn budget any handoff goes to triage instead of its own target.
    return tuple(dict.fromkeys([*found, "triage"] if found else found))


def _is_handoff(tool: BaseTool) -> bool:
    return DESTINATION_KEY in (tool.metadata or {})


def specialist_handoffs(route: str) -> list[BaseTool]:
    """The handoffs a specialist holds: to each other specialist, to triage, back to the router."""
    return [
        make_handoff_tool(target, from_subgraph=True)
        for target in (*[s for s in SPECIALISTS if s != route], "triage", "router")
    ]


CARRIED_FIELDS = ("tool_calls", "pending_jobs", "fallback_backend", "model_fallbacks")


def carried_from_subgraph(state: Any) -> dict[str, Any]:
    """What a Command to the parent graph must carry: a subgraph that leaves through one does
    not hand its own state back, so messages, tool counts and fallback records would be lost."""
    carried: dict[str, Any] = {"messages": list(state_field(state, "messages") or [])}
    for name in CARRIED_FIELDS:
        value = state_field(state, name)
        if value:
            carried[name] = value
    return carried


def handoff_name(target: str) -> str:
    return BACK_TO_ROUTER if target == "router" else f"{HANDOFF_PREFIX}{target}"


def make_handoff_tool(target: str, *, from_subgraph: bool) -> BaseTool:
    """A tool that moves the conversation to `target` (a route, or back to the router)."""
    if target not in (*ROUTES, "router"):
        raise ValueError(f"unknown handoff target {target!r}")
    name = handoff_name(target)

    @tool(name, description=f"Hand the conversation to {target}: {DESCRIPTIONS[target]}.")
    async def handoff(reason: str, runtime: ToolRuntime[Any, Any]) -> Command[Any]:
        handoffs = int(state_field(runtime.state, "handoffs") or 0) + 1
        destination = target if handoffs <= MAX_HANDOFFS_PER_TURN else "triage"
        note = f"Transferred to {destination}."
        if destination != target:
            note = f"Too many transfers this turn; escalated to triage instead of {target}."
        message = ToolMessage(content=note, name=name, tool_call_id=runtime.tool_call_id or "")
        update: dict[str, Any] = {"handoffs": handoffs}
        if destination != "router":
            update["route"] = destination
        if destination == "human":
            update["status"] = TurnStatus.HANDED_TO_HUMAN
        if from_subgraph:
            carried = carried_from_subgraph(runtime.state)
            update |= {**carried, "messages": [*carried["messages"], message]}
            return Command(graph=Command.PARENT, goto=destination, update=update)
        update["messages"] = [message]
        return Command(goto=destination, update=update)

    handoff.metadata = {**(handoff.metadata or {}), DESTINATION_KEY: target}
    return with_policy(handoff, HANDOFF_POLICY)
