"""Resume values: the decisions an operator can send, in the product's, LangChain HITL's
or Agent Inbox's words, and nothing else."""

from __future__ import annotations

import pytest

from state.outputs import (
    ApprovalRequest,
    Approve,
    Edit,
    HumanHandoffRequest,
    InvalidResume,
    Reject,
    Reply,
    Withdraw,
    interrupt_kind,
    parse_resume,
)


def test_approve_is_accepted() -> None:
    assert parse_resume({"decision": "approve"}) == Approve(decision="approve")


def test_reject_with_a_reason_is_accepted() -> None:
    decision = parse_resume({"decision": "reject", "reason": "charge was correct"})

    assert isinstance(decision, Reject)
    assert decision.reason == "charge was correct"


def test_edit_with_new_arguments_is_accepted() -> None:
    decision = parse_resume({"decision": "edit", "arguments": {"amount": 5}})

    assert isinstance(decision, Edit)
    assert decision.arguments == {"amount": 5}


def test_an_operator_reply_is_accepted() -> None:
    decision = parse_resume({"decision": "reply", "message": "Hi, Sam here."})

    assert isinstance(decision, Reply)
    assert decision.message == "Hi, Sam here."


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ({"decision": "maybe"}, "'maybe'"),
        ({"decision": "reject"}, "reject.reason: Field required"),
        ({"decision": "reject", "reason": ""}, "reject.reason"),
        ({"decision": "edit", "arguments": "amount=5"}, "edit.arguments"),
        ({"decision": "edit"}, "edit.arguments: Field required"),
        ({"decision": "reply", "message": ""}, "reply.message"),
        ({"decision": "approve", "amount": 5}, "approve.amount: Extra inputs are not permitted"),
        ({}, "discriminator 'decision'"),
        ("approve", "valid dictionary"),
        (None, "valid dictionary"),
    ],
)
def test_anything_else_is_refused_with_the_problem_named(raw: object, problem: str) -> None:
    with pytest.raises(InvalidResume) as refused:
        parse_resume(raw)

    message = str(refused.value)
    assert problem in message
    assert '{"decision": "approve"}' in message


def test_an_invalid_resume_is_a_value_error_for_callers_that_catch_those() -> None:
    with pytest.raises(ValueError):
        parse_resume({"decision": "approve", "extra": True})


# LangChain's HITL response and Agent Inbox's HumanResponse mean the same decisions.


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({"decisions": [{"type": "approve"}]}, Approve(decision="approve")),
        (
            {"decisions": [{"type": "reject", "message": "charged correctly"}]},
            Reject(decision="reject", reason="charged correctly"),
        ),
        ({"decisions": [{"type": "reject"}]}, Reject(decision="reject", reason="no reason given")),
        (
            {
                "decisions": [
                    {
                        "type": "edit",
                        "edited_action": {"name": "request_refund", "args": {"amount": "5"}},
                        "editedAction": {"name": "request_refund", "args": {"amount": "5"}},
                    }
                ]
            },
            Edit(decision="edit", arguments={"amount": "5"}, action="request_refund"),
        ),
        (
            {
                "decisions": [
                    {
                        "type": "edit",
                        "edited_action": {"name": "reply_to_customer", "args": {"message": "Hi"}},
                    }
                ]
            },
            Reply(decision="reply", message="Hi"),
        ),
        ([{"type": "accept", "args": None}], Approve(decision="approve")),
        (
            [{"type": "edit", "args": {"action": "change_plan", "args": {"new_plan": "Plus"}}}],
            Edit(decision="edit", arguments={"new_plan": "Plus"}, action="change_plan"),
        ),
        ([{"type": "response", "args": "Sam here"}], Reply(decision="reply", message="Sam here")),
        (
            [{"type": "ignore", "args": None}],
            Withdraw(decision="withdraw", reason="dismissed by the operator"),
        ),
    ],
)
def test_hitl_and_agent_inbox_answers_become_typed_decisions(raw: object, expected: object) -> None:
    assert parse_resume(raw) == expected


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ({"decisions": []}, "one decision for the one pending action"),
        ({"decisions": [{"type": "approve"}, {"type": "approve"}]}, "one decision"),
        ([], "one response for the one pending action"),
        ({"decisions": [{"type": "maybe"}]}, "'maybe'"),
        ({"decisions": [{"type": "edit"}]}, "edit.arguments: Field required"),
        ([{"type": "response", "args": ""}], "reply.message"),
    ],
)
def test_malformed_hitl_answers_are_refused_with_the_problem_named(
    raw: object, problem: str
) -> None:
    with pytest.raises(InvalidResume) as refused:
        parse_resume(raw)
    assert problem in str(refused.value)
    assert '{"decisions": [{"type": "approve" | "edit" | "reject", ...}]}' in str(refused.value)


def test_interrupt_payloads_carry_the_hitl_request_beside_the_products_fields() -> None:
    approval = ApprovalRequest(
        action="request_refund",
        arguments={"amount": 10},
        reason="late fee",
        customer_id="C-1006",
        error="edit refused: too much",
    ).model_dump(mode="json")
    assert approval["kind"] == "approval"
    assert approval["arguments"] == {"amount": 10}
    [request] = approval["action_requests"]
    assert request["name"] == "request_refund"
    assert request["args"] == request["arguments"] == {"amount": 10}
    assert request["description"].startswith("late fee")
    assert "edit refused: too much" in request["description"]
    assert approval["review_configs"] == [
        {"action_name": "request_refund", "allowed_decisions": ["approve", "edit", "reject"]}
    ]

    handoff = HumanHandoffRequest(
        reason="asked for a person", customer_id=None, last_message="a human please"
    ).model_dump(mode="json")
    assert handoff["action_requests"][0]["name"] == "reply_to_customer"
    assert "a human please" in handoff["action_requests"][0]["description"]
    assert handoff["review_configs"][0]["allowed_decisions"] == ["edit"]


def test_a_handoff_is_kind_handoff_and_an_earlier_human_payload_reads_the_same() -> None:
    handoff = HumanHandoffRequest(reason="asked", customer_id=None, last_message="hi")
    assert handoff.model_dump()["kind"] == "handoff"
    assert interrupt_kind(handoff.model_dump()) == "handoff"
    assert interrupt_kind({**handoff.model_dump(), "kind": "human"}) == "handoff"  # stored before
    assert interrupt_kind({"action": "request_refund"}) == "approval"
    assert interrupt_kind("not a payload") is None
