"""The offline backend's labelled training examples (data/training/examples.jsonl)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, field_validator

from state.schema import BlockReason, Priority, TicketCategory
from state.specialists import ACTION_LABELS, READ_TOOL_LABELS


class TrainingExample(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str
    route: Literal["faq", "billing", "technical", "account", "human", "triage", "blocked"]
    signed_in: bool = False
    faq_id: str | None = None
    tool: str | None = None
    """A specialist's read tool (see `state.specialists`)."""
    action: str | None = None
    """A specialist's action label (see `state.specialists`)."""
    category: TicketCategory | None = None
    priority: Priority | None = None
    block_reason: BlockReason | None = None
    family: str | None = None
    """Paraphrases of one request share a family, so a held-out split can leave whole
    families out of training instead of near-copies of what it tests."""

    @field_validator("tool")
    @classmethod
    def _known_tool(cls, value: str | None) -> str | None:
        if value is not None and value not in READ_TOOL_LABELS:
            raise ValueError(f"unknown read tool {value!r}; known: {sorted(READ_TOOL_LABELS)}")
        return value

    @field_validator("action")
    @classmethod
    def _known_action(cls, value: str | None) -> str | None:
        if value is not None and value not in ACTION_LABELS:
            raise ValueError(f"unknown action {value!r}; known: {sorted(ACTION_LABELS)}")
        return value


def load_examples(path: Path) -> list[TrainingExample]:
    examples = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            examples.append(TrainingExample.model_validate_json(line))
        except ValueError as exc:
            raise ValueError(f"{path}:{number}: {exc}") from exc
    return examples
