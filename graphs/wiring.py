"""How the support graph's steps are joined, kept off LangGraph's slow paths.

* `inline`: LangGraph runs a sync branch function in the thread pool on the async path (one
  executor hop per edge taken); `inline` gives it the function as its async form too, so it
  runs on the event loop. The sync form stays: LangGraph calls it when a subgraph leaves
  through a `Command` to its parent. `RunnableCallable` is what LangGraph itself wraps a
  branch function in (`coerce_to_runnable`), untraced as there.
* `decide_then_hand_off`: the router's handoff runs in the router's own step, through the same
  `PolicyToolNode` that the `route` node is. The handoff tool still returns the `Command` and
  its ToolMessage still answers the call; the turn just saves a superstep (and, under per-step
  durability, a checkpoint). The `route` node stays for a handoff call that arrives without
  its answer, as after `update_state(..., as_node="router")`: `handoff_unanswered` sends it
  there.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Any

from langchain_core.messages import AIMessage
from langchain_core.runnables import Runnable, RunnableConfig
from langgraph._internal._runnable import RunnableCallable
from langgraph.graph import END
from langgraph.types import Command

from state.schema import SupportState
from tools.policy import PolicyToolNode

Branch = Callable[[SupportState], str]
Decision = Callable[[SupportState], Awaitable[dict[str, Any]]]


def inline(branch: Branch) -> Runnable[SupportState, str]:
    """`branch`, called on the event loop on the async path instead of in the thread pool."""

    @functools.wraps(branch)
    async def on_loop(state: SupportState) -> str:
        return branch(state)

    return RunnableCallable(branch, on_loop, name=branch.__name__, trace=False)


def handoff_unanswered(state: SupportState) -> str:
    """`route` when the router's handoff call still waits for its tool, else nothing more
    (the handoff's `Command` already chose where the turn goes)."""
    last = state.messages[-1] if state.messages else None
    return "route" if isinstance(last, AIMessage) and last.tool_calls else END


def decide_then_hand_off(
    decide: Decision, route: PolicyToolNode
) -> Callable[..., Awaitable[dict[str, Any] | Command[Any]]]:
    """The router's decision, then its handoff call run by `route`, as one step."""

    async def route_request(
        state: SupportState, config: RunnableConfig
    ) -> dict[str, Any] | Command[Any]:
        decided = await decide(state)
        proposed = [*state.messages, *decided.get("messages", [])]
        if not proposed or not isinstance(proposed[-1], AIMessage) or not proposed[-1].tool_calls:
            return decided
        called = state.model_copy(update={"messages": proposed})
        return merged(decided, await route.ainvoke(called, config))

    return route_request


def merged(decided: dict[str, Any], moved: Any) -> dict[str, Any] | Command[Any]:
    """The decision's update followed by what the tool node returned for its one call: a
    list holding the handoff's `Command`, or `{"messages": [ToolMessage]}` for an error."""
    if isinstance(moved, dict):
        return _joined(decided, moved)
    [command] = moved
    if isinstance(command, dict):
        return _joined(decided, command)
    if not isinstance(command, Command) or command.graph is not None:
        raise TypeError(f"a handoff returned {command!r}, not a Command for this graph")
    update = command.update if isinstance(command.update, dict) else {}
    return Command(goto=command.goto, update=_joined(decided, update))


def _joined(first: dict[str, Any], then: dict[str, Any]) -> dict[str, Any]:
    messages = [*first.get("messages", []), *then.get("messages", [])]
    return {**first, **then, "messages": messages}
