"""What the thread view shows: who said what, and what happened in each turn.

The conversation comes from the thread's messages; the timeline joins what the checkpoints
say about each turn (the guardrail's verdict, the route, the tools called and their results)
with the audit log's decisions (approvals, rejections, edits, takeovers and who made them).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage

from state.stores.audit import AuditEntry

Speaker = Literal["customer", "assistant", "operator"]


@dataclass(frozen=True)
class Said:
    speaker: Speaker
    text: str


@dataclass(frozen=True)
class Line:
    kind: str
    text: str
    at: str = ""


def conversation(messages: Sequence[BaseMessage]) -> list[Said]:
    said: list[Said] = []
    for message in messages:
        if isinstance(message, HumanMessage):
            said.append(Said("customer", message.text))
        elif isinstance(message, AIMessage) and message.text.strip():
            speaker: Speaker = "operator" if message.name == "operator" else "assistant"
            said.append(Said(speaker, message.text))
    return said


def _short(value: Any, limit: int = 160) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def turn_lines(messages: Sequence[BaseMessage], outcomes: dict[str, dict[str, Any]]) -> list[Line]:
    """Per customer message: the guardrail's verdict, then routes and tool calls with their
    results, then how the turn ended (from the checkpoints' values for that turn)."""
    lines: list[Line] = []
    turn: str | None = None

    def close(turn_id: str | None) -> None:
        outcome = outcomes.get(turn_id or "")
        if outcome and outcome.get("status"):
            lines.append(Line("status", f"turn ended: {outcome['status']}"))

    for message in messages:
        if isinstance(message, HumanMessage):
            close(turn)
            turn = message.id
            outcome = outcomes.get(turn or "", {})
            if outcome.get("status") == "blocked":
                reason = outcome.get("block_reason") or "unknown"
                lines.append(Line("guardrail", f"blocked ({reason}): {_short(message.text, 60)}"))
            else:
                lines.append(Line("guardrail", f"passed: {_short(message.text, 60)}"))
        elif isinstance(message, AIMessage):
            for call in message.tool_calls:
                name = call["name"]
                if name.startswith("transfer_"):
                    target = name.removeprefix("transfer_to_").removeprefix("transfer_")
                    lines.append(Line("route", f"{target}: {call['args'].get('reason', '')}"))
                else:
                    lines.append(Line("tool", f"{name}({_short(call['args'])})"))
        elif isinstance(message, ToolMessage) and not (message.name or "").startswith("transfer_"):
            state = "refused" if message.status == "error" else "result"
            lines.append(Line("tool", f"{message.name} {state}: {_short(message.content)}"))
    close(turn)
    return lines


_DECISIONS = {
    "approve": "approved",
    "reject": "rejected",
    "edit": "edited and approved",
    "operator_reply": "replied",
    "action_committed": "committed",
    "ticket_created": "ticket opened",
    "block": "blocked",
    "take_over": "took the thread over",
    "hand_back": "handed the thread back",
    "job_started": "started the job",
    "job_attempt": "ran an attempt of the job",
    "job_finished": "ended the job",
    "thread_resumed": "resumed the thread with the job's outcome",
}


def audit_lines(entries: Sequence[AuditEntry]) -> list[Line]:
    lines = []
    for entry in entries:
        args = entry.arguments
        detail = (
            args.get("reason")
            or args.get("message")
            or args.get("ticket_id")
            or args.get("action_id")
            or ""
        )
        what = args.get("tool") or ""
        text = f"{entry.actor} ({entry.role}) {_DECISIONS.get(entry.action, entry.action)}"
        text += f" {what}" if what else ""
        text += f": {_short(detail)}" if detail else ""
        if entry.action == "edit" and isinstance(args.get("arguments"), dict):
            text += f" → {_short(args['arguments'])}"
        lines.append(Line("decision", text, entry.at[:19].replace("T", " ")))
    return lines
