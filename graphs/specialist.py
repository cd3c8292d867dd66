"""A specialist agent subgraph: call the model, run its tool, repeat until it answers."""

from __future__ import annotations

from typing import Any

from langgraph.graph import START, StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.prebuilt import ToolNode

from graphs.deps import SupportDeps
from nodes.specialist import make_specialist, route_after_specialist
from state.schema import SPECIALISTS, Route, SupportState
from tools.actions import build_action_tools
from tools.customer_data import build_customer_tools
from tools.handoffs import make_handoff_tool

TOOLS_BY_SPECIALIST: dict[str, tuple[str, ...]] = {
    "billing": ("get_balance", "get_invoices", "get_autopay_status", "request_refund"),
    "technical": ("get_network_status",),
    "account": (
        "get_profile",
        "get_plan",
        "get_open_tickets",
        "change_plan",
        "cancel_service",
        "swap_sim",
    ),
}


def build_specialist_graph(
    route: Route, deps: SupportDeps
) -> CompiledStateGraph[Any, Any, Any, Any]:
    available = build_customer_tools(deps.customers) | build_action_tools(
        deps.customers, deps.records
    )
    own = [available[name] for name in TOOLS_BY_SPECIALIST[route]]
    handoffs = [
        make_handoff_tool(target, from_subgraph=True)
        for target in (*[s for s in SPECIALISTS if s != route], "triage", "router")
    ]
    tools = [*own, *handoffs]
    graph = StateGraph(SupportState)
    graph.add_node("agent", make_specialist(route, deps.models.for_role(route), tools))
    graph.add_node("tools", ToolNode(tools))
    graph.add_edge(START, "agent")
    graph.add_conditional_edges("agent", route_after_specialist, ["tools", "__end__"])
    graph.add_edge("tools", "agent")
    return graph.compile(name=route)
