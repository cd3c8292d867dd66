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
from graphs.wiring import inline
from nodes.specialist import make_specialist, route_after_specialist, route_at_entry
from state.schema import Route, SupportState
from state.specialists import specialist
from tools.actions import build_action_tools
from tools.customer_data import build_customer_tools
from tools.handoffs import specialist_handoffs
from tools.jobs import build_job_tools
from tools.policy import PolicyToolNode


def build_specialist_graph(
    route: Route, deps: SupportDeps
) -> CompiledStateGraph[Any, Any, Any, Any]:
    available = (
        build_customer_tools(deps.customers)
        | build_action_tools(deps.customers, deps.records, deps.audit, deps.switches)
        | build_job_tools(
            deps.customers,
            deps.jobs,
            diagnostic_seconds=deps.diagnostic_seconds,
            deadline_seconds=deps.job_deadline_seconds,
            audit=deps.audit,
        )
    )
    own = [available[name] for name in specialist(route).tools]
    tools = [*own, *specialist_handoffs(route)]
    graph = StateGraph(SupportState)
    agent = make_specialist(route, deps.models.for_role(route), tools)
    graph.add_node(
        "agent",
        deps.models.record_fallbacks(agent),
        retry_policy=TRANSIENT_RETRY,
    )
    graph.add_node("tools", PolicyToolNode(tools), retry_policy=TRANSIENT_RETRY)
    graph.add_conditional_edges(START, inline(route_at_entry), ["agent", "tools"])
    graph.add_conditional_edges("agent", inline(route_after_specialist), ["tools", "__end__"])
    graph.add_edge("tools", "agent")
    return graph.compile(name=route)
