"""The offline backend's labelled training examples (data/training/examples.jsonl)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from state.schema import BlockReason, Priority, TicketCategory

ReadTool = Literal[
    "get_balance",
    "get_invoices",
    "get_autopay_status",
    "get_network_status",
    "get_profile",
    "get_plan",
    "get_open_tickets",
]
Action = Literal["refund", "change_plan", "cancel_service", "swap_sim"]


class TrainingExample(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str
    route: Literal["faq", "billing", "technical", "account", "human", "triage", "blocked"]
    signed_in: bool = False
    faq_id: str | None = None
    tool: ReadTool | None = None
    action: Action | None = None
    category: TicketCategory | None = None
    priority: Priority | None = None
    block_reason: BlockReason | None = None
    family: str | None = None
    """Paraphrases of one request share a family, so a held-out split can leave whole
    families out of training instead of near-copies of what it tests."""


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
