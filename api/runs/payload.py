"""What the graph receives for a stored run: its input, or the Command it resumes with."""

from __future__ import annotations

from typing import Any

from langchain_core.messages import convert_to_messages
from langgraph.types import Command, Send, StateSnapshot

from api.turns import all_interrupts


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


class JobNotAwaited(Exception):
    """A job's resume run found its thread not waiting on that job: the turn that reached the
    wait after the job ended took the outcome from the job store, so there is nothing to do."""


def input_seen(stored: dict[str, Any] | None, snapshot: StateSnapshot) -> bool:
    """Whether the run's own input messages (ids derived from the run) are in the state."""
    wanted = {m.get("id") for m in (stored or {}).get("messages", []) if isinstance(m, dict)}
    have = {getattr(m, "id", None) for m in (snapshot.values or {}).get("messages", [])}
    return bool(wanted & have) or not wanted


def job_resume(snapshot: StateSnapshot, job_id: str, command: dict[str, Any]) -> Command[Any]:
    """Resume exactly the interrupt that waits on `job_id`, whatever else is pending."""
    for pending in all_interrupts(snapshot):
        value = pending.value
        if isinstance(value, dict) and value.get("kind") == "job" and value.get("job_id") == job_id:
            return Command(resume={pending.id: command["resume"]})
    raise JobNotAwaited(job_id)
