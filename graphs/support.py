"""The support graph: guardrail → router → faq | specialists | human | triage."""

from __future__ import annotations

from typing import Any

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.prebuilt import ToolNode
from langgraph.types import RetryPolicy

from graphs.deps import SupportDeps
from graphs.specialist import build_specialist_graph
from graphs.triage import build_triage_graph
from nodes.faq import make_faq, route_after_faq
from nodes.guardrail import make_guardrail, route_after_guardrail
from nodes.human import wait_for_operator
from nodes.router import make_router
from state.schema import ROUTES, SPECIALISTS, InputState, OutputState, SupportState
from tools.handoffs import make_handoff_tool

GRAPH_ID = "support"
MODEL_RETRY = RetryPolicy(max_attempts=3, initial_interval=0.2, backoff_factor=2.0, jitter=True)


def build_support_graph(
    deps: SupportDeps,
    *,
    checkpointer: BaseCheckpointSaver[Any] | None = None,
) -> CompiledStateGraph[Any, Any, Any, Any]:
    """Compile the graph; the caller brings the checkpointer (none for `langgraph dev`)."""
    models = deps.models
    handoffs = [make_handoff_tool(route, from_subgraph=False) for route in ROUTES]
    graph = StateGraph(SupportState, input_schema=InputState, output_schema=OutputState)
    graph.add_node(
        "guardrail",
        make_guardrail(models.for_role("guardrail"), deps.customers),
        retry_policy=MODEL_RETRY,
    )
    graph.add_node(
        "router", make_router(models.for_role("router"), handoffs), retry_policy=MODEL_RETRY
    )
    graph.add_node("route", ToolNode(handoffs), destinations=ROUTES)
    graph.add_node(
        "faq", make_faq(models.for_role("faq"), deps.help_center), retry_policy=MODEL_RETRY
    )
    for route in SPECIALISTS:
        graph.add_node(
            route,
            build_specialist_graph(route, deps),
            destinations=(*SPECIALISTS, "router", "triage"),
        )
    graph.add_node("human", wait_for_operator)
    graph.add_node("triage", build_triage_graph(deps))

    graph.add_edge(START, "guardrail")
    graph.add_conditional_edges("guardrail", route_after_guardrail, ["router", END])
    graph.add_edge("router", "route")
    graph.add_conditional_edges("faq", route_after_faq, ["triage", END])
    for terminal in (*SPECIALISTS, "human", "triage"):
        graph.add_edge(terminal, END)
    return graph.compile(checkpointer=checkpointer, name=GRAPH_ID)
