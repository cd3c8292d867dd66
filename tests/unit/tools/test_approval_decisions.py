"""`decide_and_audit`: what each operator decision returns and what it writes to the audit log.

The sensitive actions and the eSIM activation both go through it, so one table covers both.
"""

from __future__ import annotations

from typing import Any

import pytest

import tools.approval
from state.outputs import ApprovalRequest
from state.stores.audit import MemoryAuditLog
from tools.approval import PolicyViolation, decide_and_audit

CONFIG: Any = {"configurable": {"thread_id": "T-1"}, "metadata": {"run_id": "R-1"}}
REQUEST = ApprovalRequest(
    action="activate_esim", arguments={"mobile_plan": "Basic"}, reason="r", customer_id="C-1"
)


def verify(args: dict[str, Any]) -> dict[str, Any]:
    if args.get("mobile_plan") == "none":
        raise PolicyViolation("no such plan")
    return {**args, "verified": True}


def answering(monkeypatch: pytest.MonkeyPatch, *answers: object) -> list[dict[str, Any]]:
    """Make `interrupt()` return `answers` in turn; the payloads it was given are recorded."""
    asked: list[dict[str, Any]] = []
    queue = list(answers)

    def fake_interrupt(payload: dict[str, Any]) -> object:
        asked.append(payload)
        return queue.pop(0)

    monkeypatch.setattr(tools.approval, "interrupt", fake_interrupt)
    return asked


@pytest.mark.parametrize(
    ("answer", "action", "detail", "refusal"),
    [
        (
            {"decision": "reject", "reason": "fraud"},
            "reject",
            {"reason": "fraud"},
            "The operator rejected this request: fraud. Nothing was changed.",
        ),
        (
            {"decision": "reply", "message": "call us"},
            "operator_reply",
            {"message": "call us"},
            "An operator replied instead of approving: call us",
        ),
        (
            {"decision": "withdraw", "reason": "customer moved on"},
            "withdraw",
            {"reason": "customer moved on"},
            "The request was withdrawn before anyone approved it (customer moved on). "
            "Nothing was changed.",
        ),
    ],
)
async def test_a_refusing_decision_is_audited_and_returns_why_nothing_is_done(
    monkeypatch: pytest.MonkeyPatch,
    answer: dict[str, Any],
    action: str,
    detail: dict[str, Any],
    refusal: str,
) -> None:
    answering(monkeypatch, answer)
    audit = MemoryAuditLog()
    assert await decide_and_audit(REQUEST, verify, audit, CONFIG, "K") == refusal
    [entry] = audit.entries
    assert (entry.entry_id, entry.action, entry.thread_id, entry.run_id) == (
        f"K:{action}",
        action,
        "T-1",
        "R-1",
    )
    assert entry.arguments == {"tool": "activate_esim", "customer_id": "C-1", **detail}


@pytest.mark.parametrize(
    ("answer", "action", "committed"),
    [
        ({"decision": "approve"}, "approve", {"mobile_plan": "Basic", "verified": True}),
        (
            {"decision": "edit", "arguments": {"mobile_plan": "Max"}},
            "edit",
            {"mobile_plan": "Max", "verified": True},
        ),
    ],
)
async def test_approve_and_edit_return_the_verified_arguments_and_audit_them(
    monkeypatch: pytest.MonkeyPatch, answer: dict[str, Any], action: str, committed: Any
) -> None:
    answering(monkeypatch, answer)
    audit = MemoryAuditLog()
    assert await decide_and_audit(REQUEST, verify, audit, CONFIG, "K") == committed
    [entry] = audit.entries
    assert entry.action == action
    assert entry.arguments == {
        "tool": "activate_esim",
        "customer_id": "C-1",
        "arguments": committed,
    }


async def test_an_edit_the_policy_refuses_asks_again_and_audits_only_the_final_decision(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked = answering(
        monkeypatch,
        {"decision": "edit", "arguments": {"mobile_plan": "none"}},
        {"decision": "reject", "reason": "fine, no"},
    )
    audit = MemoryAuditLog()
    outcome = await decide_and_audit(REQUEST, verify, audit, CONFIG, "K")
    assert isinstance(outcome, str) and outcome.startswith("The operator rejected")
    assert [p["error"] for p in asked] == [None, "edit refused: no such plan"]
    assert [e.action for e in audit.entries] == ["reject"]
