"""Running a turn and reading how it ended, shared by the CLI, the evaluator and the API."""

from __future__ import annotations

from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage
from langchain_core.runnables import RunnableConfig
from langgraph.graph.state import CompiledStateGraph
from langgraph.types import Command, Interrupt, StateSnapshot
from pydantic import BaseModel

from nodes.pii import mask_pii
from state.outputs import CUSTOMER_MOVED_ON, parse_resume


class TurnResult(BaseModel):
    thread_id: str
    status: str | None
    route: str | None
    faq_id: str | None
    category: str | None
    ticket_id: str | None
    interrupted: bool
    blocked: bool
    answer: str | None
    interrupts: list[dict[str, Any]]


WITHDRAW: Command[Any] = Command(resume={"decision": "withdraw", "reason": CUSTOMER_MOVED_ON})
"""How a waiting approval ends when the customer writes again: withdrawn, said in the history
(the tool answers its call), never dropped with its call left open."""


def thread_config(thread_id: str) -> RunnableConfig:
    return {"configurable": {"thread_id": thread_id}}


def customer_input(text: str, customer_id: str | None) -> dict[str, Any]:
    """The graph input for one message, masked before the checkpoint stores it."""
    return {"messages": [HumanMessage(content=mask_pii(text))], "customer_id": customer_id}


async def send_message(
    graph: CompiledStateGraph[Any, Any, Any, Any],
    thread_id: str,
    text: str,
    customer_id: str | None,
) -> TurnResult:
    config = thread_config(thread_id)
    if approvals_waiting(await graph.aget_state(config)):
        await graph.ainvoke(WITHDRAW, config)
    await graph.ainvoke(customer_input(text, customer_id), config)
    return await read_turn(graph, thread_id)


def approvals_waiting(snapshot: StateSnapshot) -> list[Interrupt]:
    """The approvals the thread waits on (a human handoff keeps waiting for its operator)."""
    return [
        i
        for i in all_interrupts(snapshot)
        if isinstance(i.value, dict) and i.value.get("kind") == "approval"
    ]


def answered_calls_dropped(
    messages: list[BaseMessage], history: list[BaseMessage]
) -> list[BaseMessage]:
    """New messages without tool results for calls the history already answers: clients such
    as agent-chat-ui send a placeholder result for every call they see open."""
    answered = {m.tool_call_id for m in history if isinstance(m, ToolMessage)}
    return [m for m in messages if not (isinstance(m, ToolMessage) and m.tool_call_id in answered)]


class NothingPending(LookupError):
    """A resume for a thread that waits on no interrupt."""


async def resume_turn(
    graph: CompiledStateGraph[Any, Any, Any, Any], thread_id: str, decision: object
) -> TurnResult:
    """Resume a paused thread; the decision is validated before anything runs."""
    valid = parse_resume(decision)
    if not (await read_turn(graph, thread_id)).interrupted:
        raise NothingPending(f"thread {thread_id} is not waiting for an operator")
    await graph.ainvoke(Command(resume=valid.model_dump(mode="json")), thread_config(thread_id))
    return await read_turn(graph, thread_id)


async def read_turn(graph: CompiledStateGraph[Any, Any, Any, Any], thread_id: str) -> TurnResult:
    snapshot = await graph.aget_state(thread_config(thread_id), subgraphs=True)
    values = {**snapshot.values, **_paused_subgraph_fields(snapshot)}
    interrupts = [{"id": i.id, "value": i.value} for i in all_interrupts(snapshot)]
    status = values.get("status")
    answer = next(
        (
            m.text
            for m in reversed(values.get("messages", []))
            if isinstance(m, AIMessage) and m.text
        ),
        None,
    )
    return TurnResult(
        thread_id=thread_id,
        status=str(status) if status else None,
        route=values.get("route"),
        faq_id=values.get("faq_id"),
        category=values.get("category"),
        ticket_id=values.get("ticket_id"),
        interrupted=bool(interrupts),
        blocked=str(status) == "blocked",
        answer=answer,
        interrupts=interrupts,
    )


def _paused_subgraph_fields(snapshot: Any) -> dict[str, Any]:
    """A subgraph paused mid-turn holds the newest status and route until it returns."""
    for task in snapshot.tasks:
        sub = getattr(task.state, "values", None)
        if task.interrupts and sub:
            return {k: sub[k] for k in ("status", "route") if sub.get(k) is not None}
    return {}


def all_interrupts(snapshot: StateSnapshot) -> list[Interrupt]:
    """The interrupts a thread waits on, also those its paused subgraph task holds."""
    found = list(snapshot.interrupts)
    if not found:
        for task in snapshot.tasks:
            found += list(task.interrupts)
    return found
