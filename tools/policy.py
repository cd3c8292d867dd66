"""Tool policy: what each tool may do, declared on the tool and enforced in one place.

Every tool carries a `ToolPolicy` in its metadata. `PolicyToolNode` runs the graph's tool calls
and enforces it: only declared tools run, each at most `max_calls_per_thread` times per thread
(counted in the thread's state, so counts survive interrupts, resumes and later turns), each
within `timeout_seconds`. A refusal is an error ToolMessage that says why, so the model can
act on it; it is never an exception and never reads as a completed call.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Literal, TypeVar

from langchain_core.messages import AIMessage, ToolMessage
from langchain_core.tools import BaseTool
from langgraph.prebuilt import ToolNode
from langgraph.prebuilt.tool_node import ToolCallRequest
from langgraph.types import Command
from pydantic import BaseModel, ConfigDict, Field, model_validator

from tools.call_context import state_field

logger = logging.getLogger(__name__)

RiskLevel = Literal["low", "medium", "high"]
ToolT = TypeVar("ToolT", bound=BaseTool)
ToolResult = ToolMessage | Command[Any]
Execute = Callable[[ToolCallRequest], Awaitable[ToolResult]]
Refusal = Callable[[ToolCallRequest, ToolMessage], ToolResult]
"""Turns a refusal into the node's result; by default the error ToolMessage itself."""


class ToolPolicy(BaseModel):
    """How far a tool can be trusted to run on a model's say-so."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    risk_level: RiskLevel
    requires_confirmation: bool
    """The tool waits for an operator's decision (`interrupt()`) before it changes anything."""
    max_calls_per_thread: int = Field(ge=1)
    timeout_seconds: float = Field(gt=0)
    """Time the tool itself may run; time spent waiting for an operator does not count."""

    @model_validator(mode="after")
    def _high_risk_needs_confirmation(self) -> ToolPolicy:
        if self.risk_level == "high" and not self.requires_confirmation:
            raise ValueError("a high-risk tool must require an operator's confirmation")
        return self


POLICY_FIELDS = tuple(ToolPolicy.model_fields)


def with_policy(tool: ToolT, policy: ToolPolicy) -> ToolT:
    """Declare `policy` on `tool`, as plain metadata that traces and Studio show."""
    tool.metadata = {**(tool.metadata or {}), **policy.model_dump()}
    return tool


def policy_of(tool: BaseTool) -> ToolPolicy:
    """The policy a tool declares; a tool without one cannot be run by `PolicyToolNode`."""
    metadata = tool.metadata or {}
    missing = [name for name in POLICY_FIELDS if name not in metadata]
    if missing:
        raise ValueError(f"tool {tool.name!r} declares no {', '.join(missing)}")
    return ToolPolicy.model_validate({name: metadata[name] for name in POLICY_FIELDS})


def calls_so_far(state: Any, name: str, call_id: str | None) -> int:
    """Completed calls of `name` in this thread, plus earlier calls of it in the same message."""
    done = int((state_field(state, "tool_calls") or {}).get(name, 0))
    for message in reversed(state_field(state, "messages") or []):
        if isinstance(message, AIMessage) and message.tool_calls:
            ids = [c.get("id") for c in message.tool_calls if c["name"] == name]
            return done + (ids.index(call_id) if call_id in ids else 0)
    return done


def counted(result: ToolResult, name: str, count: int) -> ToolResult:
    """`result` with the tool's new call count added to the state update it makes."""
    if isinstance(result, ToolMessage):
        return Command(update={"messages": [result], "tool_calls": {name: count}})
    update = result.update if result.update is not None else {}
    if not isinstance(update, dict):
        raise TypeError(f"tool {name!r} returned a Command whose update is not a dict")
    counts = {**(update.get("tool_calls") or {}), name: count}
    return dataclasses.replace(result, update={**update, "tool_calls": counts})


class PolicyToolNode(ToolNode):
    """A `ToolNode` that runs a call only when the tool's policy allows it."""

    def __init__(
        self,
        tools: Sequence[BaseTool],
        *,
        name: str = "tools",
        on_refusal: Refusal | None = None,
    ) -> None:
        self.policies = {tool.name: policy_of(tool) for tool in tools}
        self._on_refusal = on_refusal
        super().__init__(
            tools, name=name, awrap_tool_call=self._enforce, wrap_tool_call=self._refuse_sync
        )

    def _refuse(self, request: ToolCallRequest, reason: str) -> ToolResult:
        call = request.tool_call
        logger.warning("tool call %s refused: %s", call["name"], reason)
        message = ToolMessage(
            content=reason,
            name=call["name"],
            tool_call_id=call["id"] or "",
            status="error",
        )
        return self._on_refusal(request, message) if self._on_refusal else message

    async def _enforce(self, request: ToolCallRequest, execute: Execute) -> ToolResult:
        call = request.tool_call
        name = call["name"]
        policy = self.policies.get(name)
        if policy is None:
            return self._refuse(
                request,
                f"Refused: {name} is not one of your tools (you can call "
                f"{', '.join(self.policies)}). Nothing was done.",
            )
        used = calls_so_far(request.state, name, call["id"])
        if used >= policy.max_calls_per_thread:
            return self._refuse(
                request,
                f"Refused: {name} may run at most {policy.max_calls_per_thread} times in a "
                "conversation and already has. Nothing was done; answer from what you know, "
                "or hand the customer over.",
            )
        try:
            # interrupt() raises GraphInterrupt at once and ends this attempt, so the time an
            # operator takes to decide is never inside this window.
            async with asyncio.timeout(policy.timeout_seconds) as window:
                result = await execute(request)
        except TimeoutError:
            if not window.expired():
                raise
            refusal = self._refuse(
                request,
                f"Error: {name} did not finish within {policy.timeout_seconds:g} s and was "
                "stopped. Its outcome is unknown: do not tell the customer it worked.",
            )
            return counted(refusal, name, used + 1)
        return counted(result, name, used + 1)

    def _refuse_sync(
        self, request: ToolCallRequest, execute: Callable[[ToolCallRequest], ToolResult]
    ) -> ToolResult:
        """The graph runs on the async path; a sync run could not enforce time limits."""
        return self._refuse(
            request, "Refused: tools run only in an async graph run. Nothing was done."
        )
