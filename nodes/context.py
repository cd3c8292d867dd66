"""What a node shows a model: the last few turns, cut where the history stays valid."""

from __future__ import annotations

from collections.abc import Sequence

from langchain_core.messages import AnyMessage, BaseMessage, HumanMessage


def recent_turns(messages: Sequence[AnyMessage], turns: int = 3) -> list[AnyMessage]:
    """The messages of the last `turns` customer turns, starting at a customer message."""
    starts = [i for i, m in enumerate(messages) if isinstance(m, HumanMessage)]
    if not starts:
        return list(messages)
    return list(messages[starts[-turns:][0] :])


def last_customer_text(messages: Sequence[BaseMessage]) -> str:
    for message in reversed(messages):
        if isinstance(message, HumanMessage):
            return message.text
    return ""


def new_customer_messages(messages: Sequence[BaseMessage]) -> list[HumanMessage]:
    """The customer messages at the end of the history: what arrived since the last answer
    (one message usually; every one of them when an input sends several)."""
    arrived: list[HumanMessage] = []
    for message in reversed(messages):
        if not isinstance(message, HumanMessage):
            break
        arrived.append(message)
    return arrived[::-1]


def last_customer_message(messages: Sequence[BaseMessage]) -> HumanMessage | None:
    for message in reversed(messages):
        if isinstance(message, HumanMessage):
            return message
    return None
