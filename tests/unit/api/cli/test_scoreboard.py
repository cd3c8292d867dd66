"""The eval scoreboard: per kind, per language, and where each kind's turns ended."""

from __future__ import annotations

from typing import Any

from api.cli.evaluate import Expectation, Scoreboard, outcome_kind
from api.turns import TurnResult


def turn(**fields: Any) -> TurnResult:
    base: dict[str, Any] = {
        "thread_id": "t", "status": None, "route": None, "faq_id": None, "category": None,
        "ticket_id": None, "interrupted": False, "blocked": False, "answer": None,
        "interrupts": [],
    }  # fmt: skip
    return TurnResult(**(base | fields))


def test_outcomes_read_as_the_labels_kinds() -> None:
    assert outcome_kind(turn(status="faq_answered")) == "faq"
    assert outcome_kind(turn(status="resolved")) == "agent"
    assert outcome_kind(turn(status="ticket_created")) == "ticket"
    assert outcome_kind(turn(status="awaiting_approval", interrupted=True)) == "approval"
    assert outcome_kind(turn(status="blocked", blocked=True)) == "blocked"


def test_the_scoreboard_prints_a_confusion_matrix_and_per_language_accuracy() -> None:
    board = Scoreboard()
    board.add(Expectation(kind="agent", route="account"), turn(status="resolved", route="account"),
              "제 요금제가 뭐예요?")  # fmt: skip
    board.add(Expectation(kind="approval"), turn(status="ticket_created"), "cancel my line")
    board.add(Expectation(kind="approval"), turn(status="handed_to_human", interrupted=True), "hi")

    lines = board.lines()

    assert "language ko:   1/  1 100.0%" in lines
    assert "language en:   1/  2  50.0%" in lines
    header = next(line for line in lines if line.startswith("expected"))
    approval = next(line for line in reversed(lines) if line.startswith("approval "))
    columns = header.split()[3:]
    counts = dict(zip(columns, map(int, approval.split()[1:]), strict=True))
    assert counts["approval"] == 1 and counts["ticket"] == 1 and counts["faq"] == 0
