"""The `events` mode's model and tool events, named as `astream_events` v2 names them."""

from __future__ import annotations

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage
from langchain_core.runnables import RunnableConfig
from langchain_core.tools import tool

from api.runs.stream_modes import StreamEvents


@tool
def look_up_invoice(invoice_id: str) -> str:
    """Find an invoice."""
    return f"{invoice_id}: $10.00 late fee"


async def test_model_and_tool_events_are_recorded_in_order_with_their_metadata() -> None:
    shaping = StreamEvents(["events"])
    config: RunnableConfig = {"metadata": {"langgraph_node": "billing"}}
    model = GenericFakeChatModel(messages=iter([AIMessage(content="Looking it up now")]))

    chunks = [c async for c in model.astream("Refund my fee", shaping.with_callbacks(config))]
    result = await look_up_invoice.ainvoke({"invoice_id": "INV-1"}, shaping.with_callbacks(config))

    events = [data for name, data in shaping.inner_events() if name == "events"]
    kinds = [e["event"] for e in events]
    assert kinds[0] == "on_chat_model_start"
    assert kinds.count("on_chat_model_stream") == len(chunks) > 1
    assert kinds[-3:] == ["on_chat_model_end", "on_tool_start", "on_tool_end"]
    assert events[-3]["data"]["output"]["content"] == "Looking it up now"
    assert events[-2]["name"] == "look_up_invoice"
    assert events[-2]["data"]["input"] == {"invoice_id": "INV-1"}
    assert events[-1]["data"]["output"] == result
    assert all(e["metadata"]["langgraph_node"] == "billing" for e in events)
    assert shaping.inner_events() == []  # drained


def test_other_modes_add_no_callbacks() -> None:
    shaping = StreamEvents(["values", "tasks"])
    config: RunnableConfig = {"metadata": {}}
    assert shaping.with_callbacks(config) is config
    assert shaping.inner_events() == []
