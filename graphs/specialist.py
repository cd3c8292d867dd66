"""A specialist agent subgraph: call the model, run its tool, repeat until it answers.

The tool node is a `PolicyToolNode`: every call, read, action or handoff, passes its tool's
policy there. Both nodes retry transient failures (model endpoint, Redis).
"""

from __future__ import annotations

from typing import Any

from langgraph.graph import START, StateGraph
from langgraph.graph.state import CompiledStateGraph

from graphs.deps import SupportDeps
from graphs.retry import TRANSIENT_RETRY
from nodes.specialist import make_specialist, route_after_specialist
from state.schema import SPECIALISTS, Route, SupportState
from tools.actions import build_action_tools
from tools.customer_data import build_customer_tools
from tools.handoffs import make_handoff_tool
from tools.policy import PolicyToolNode

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
        deps.customers, deps.records, deps.audit, deps.switches
    )
    own = [available[name] for name in TOOLS_BY_SPECIALIST[route]]
    handoffs = [
        make_handoff_tool(target, from_subgraph=True)
        for target in (*[s for s in SPECIALISTS if s != route], "triage", "router")
    ]
    tools = [*own, *handoffs]
    graph = StateGraph(SupportState)
    agent = make_specialist(route, deps.models.for_role(route), tools)
    graph.add_node(
        "agent",
        deps.models.record_fallbacks(agent),
        retry_policy=TRANSIENT_RETRY,
    )
    graph.add_node("tools", PolicyToolNode(tools), retry_policy=TRANSIENT_RETRY)
    graph.add_edge(START, "agent")
    graph.add_conditional_edges("agent", route_after_specialist, ["tools", "__end__"])
    graph.add_edge("tools", "agent")
    return graph.compile(name=route)
