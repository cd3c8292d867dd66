"""What the graph receives for a stored run: its input, or the Command it resumes with."""

from __future__ import annotations

from typing import Any

from langchain_core.messages import convert_to_messages
from langgraph.types import Command, Send


def graph_input(stored: dict[str, Any] | None, command: dict[str, Any] | None) -> Any:
    """What `astream` receives for a stored run."""
    if command is not None:
        return Command(
            resume=command.get("resume"),
            goto=_goto(command.get("goto")),
            update=command.get("update"),
        )
    if stored is None:
        return None
    data = dict(stored)
    if "messages" in data:
        data["messages"] = convert_to_messages(data["messages"])
    return data


def _goto(raw: Any) -> Any:
    if raw is None:
        return ()
    items = raw if isinstance(raw, list) else [raw]
    targets: list[str | Send] = []
    for item in items:
        if isinstance(item, dict):
            targets.append(Send(item["node"], item.get("input")))
        else:
            targets.append(item)
    return targets
