"""The triage subgraph: classify → look the customer up → create the ticket."""

from __future__ import annotations

from typing import Any

from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph

from graphs.deps import SupportDeps
from graphs.retry import TRANSIENT_RETRY
from nodes.classify_ticket import make_classify_ticket
from nodes.create_ticket import make_create_ticket
from nodes.lookup_customer import make_lookup_customer
from state.schema import SupportState


def build_triage_graph(deps: SupportDeps) -> CompiledStateGraph[Any, Any, Any, Any]:
    graph = StateGraph(SupportState)
    classify = make_classify_ticket(deps.models.for_role("triage"))
    graph.add_node(
        "classify_ticket", deps.models.record_fallbacks(classify), retry_policy=TRANSIENT_RETRY
    )
    graph.add_node("lookup_customer", make_lookup_customer(deps.customers))
    graph.add_node(
        "create_ticket", make_create_ticket(deps.records, deps.audit), retry_policy=TRANSIENT_RETRY
    )
    graph.add_edge(START, "classify_ticket")
    graph.add_edge("classify_ticket", "lookup_customer")
    graph.add_edge("lookup_customer", "create_ticket")
    graph.add_edge("create_ticket", END)
    return graph.compile(name="triage")
