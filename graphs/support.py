"""The support graph: guardrail → router → faq | specialists | human | triage.

Model nodes, and nodes that read or write Redis, retry transient failures (`TRANSIENT_RETRY`);
with the hosted backend, model nodes record in the state when the offline backend answered.
The router's handoff runs in a `PolicyToolNode` like every other tool call, within the
router's own step (`graphs.wiring`); a handoff its policy refuses goes to triage, since there
is no model in this loop to take the refusal. Branches run on the event loop (`inline`).
"""

from __future__ import annotations

from typing import Any

from langchain_core.messages import ToolMessage
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.prebuilt.tool_node import ToolCallRequest
from langgraph.types import Command

from graphs.deps import SupportDeps
from graphs.retry import TRANSIENT_RETRY
from graphs.specialist import build_specialist_graph
from graphs.triage import build_triage_graph
from graphs.wiring import decide_then_hand_off, handoff_unanswered, inline
from nodes.await_job import AWAIT_JOB, end_or_await_job, make_await_job, or_await_job
from nodes.faq import make_faq, route_after_faq
from nodes.guardrail import make_guardrail, route_after_guardrail
from nodes.human import announce_handoff, make_wait_for_operator
from nodes.router import make_router
from state.schema import ROUTES, SPECIALISTS, InputState, OutputState, SupportState
from tools.handoffs import handoff_destinations, make_handoff_tool, specialist_handoffs
from tools.policy import PolicyToolNode

GRAPH_ID = "support"


def escalate_refused_handoff(request: ToolCallRequest, refusal: ToolMessage) -> Command[Any]:
    """The router's handoff was refused: answer its call with the refusal, then open a ticket."""
    return Command(goto="triage", update={"messages": [refusal], "route": "triage"})


def build_support_graph(
    deps: SupportDeps,
    *,
    checkpointer: BaseCheckpointSaver[Any] | None = None,
) -> CompiledStateGraph[Any, Any, Any, Any]:
    """Compile the graph; the caller brings the checkpointer (none for `langgraph dev`)."""
    models = deps.models
    handoffs = [make_handoff_tool(route, from_subgraph=False) for route in ROUTES]
    hand_off = PolicyToolNode(handoffs, name="route", on_refusal=escalate_refused_handoff)
    graph = StateGraph(SupportState, input_schema=InputState, output_schema=OutputState)
    graph.add_node(
        "guardrail",
        models.record_fallbacks(
            make_guardrail(models.for_role("guardrail"), deps.customers, deps.audit)
        ),
        retry_policy=TRANSIENT_RETRY,
    )
    decide = models.record_fallbacks(
        make_router(models.for_role("router"), handoffs, deps.switches)
    )
    graph.add_node(
        "router",
        decide_then_hand_off(decide, hand_off),
        retry_policy=TRANSIENT_RETRY,
        destinations=handoff_destinations(handoffs),
    )
    graph.add_node("route", hand_off, destinations=handoff_destinations(handoffs))
    graph.add_node(
        "faq",
        models.record_fallbacks(
            make_faq(models.for_role("faq"), deps.help_center, deps.help_center_ko)
        ),
        retry_policy=TRANSIENT_RETRY,
    )
    for route in SPECIALISTS:
        graph.add_node(
            route,
            build_specialist_graph(route, deps),
            # itself too: a proposal waiting for approval re-enters it (nodes.specialist)
            destinations=(*handoff_destinations(specialist_handoffs(route)), route),
        )
    graph.add_node("human", announce_handoff)
    graph.add_node("operator", make_wait_for_operator(deps.audit, deps.switches))
    graph.add_node("triage", build_triage_graph(deps))
    graph.add_node(
        AWAIT_JOB,
        make_await_job(deps.jobs, deps.audit),
        destinations=SPECIALISTS,
        retry_policy=TRANSIENT_RETRY,
    )

    # Wherever a turn ends, a thread with pending jobs waits on them instead (nodes.await_job).
    ends = [END, AWAIT_JOB]
    graph.add_edge(START, "guardrail")
    graph.add_conditional_edges(
        "guardrail", inline(or_await_job(route_after_guardrail)), ["router", "operator", *ends]
    )
    graph.add_conditional_edges("router", inline(handoff_unanswered), ["route", END])
    graph.add_conditional_edges("faq", inline(or_await_job(route_after_faq)), ["triage", *ends])
    graph.add_edge("human", "operator")
    for terminal in (*SPECIALISTS, "operator", "triage"):
        graph.add_conditional_edges(terminal, inline(end_or_await_job), ends)
    return graph.compile(checkpointer=checkpointer, name=GRAPH_ID)
