"""What a node shows a model: the last few turns, cut where the history stays valid."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from langchain_core.messages import AIMessage, AnyMessage, BaseMessage, HumanMessage

PersonSide = Literal["handoff", "operator"]
"""Who of the people's side spoke last: the handoff notice (a person is coming, none has
replied yet) or an operator."""


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


def person_in_conversation(messages: Sequence[BaseMessage]) -> PersonSide | None:
    """Whether the customer wrote the newest messages to a person rather than the assistant:
    the answer just before them was the handoff notice (`handoff`: a person is still awaited)
    or an operator's message (`operator`)."""
    i = max((k for k, m in enumerate(messages) if isinstance(m, HumanMessage)), default=-1)
    while i >= 0 and isinstance(messages[i], HumanMessage):
        i -= 1
    before = messages[i] if i >= 0 else None
    if isinstance(before, AIMessage) and before.name in ("handoff", "operator"):
        return "handoff" if before.name == "handoff" else "operator"
    return None
