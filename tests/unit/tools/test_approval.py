"""Resume values: the four decisions an operator can send, and nothing else."""

from __future__ import annotations

import pytest

from state.outputs import Approve, Edit, InvalidResume, Reject, Reply, parse_resume


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
