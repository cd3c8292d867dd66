"""A Korean customer reads tool results in Korean: the record's labels, invoice lines and the
reasons an action was refused, with figures, ids and names kept as the tool wrote them."""

from __future__ import annotations

import re

import pytest

from nodes.llm.tool_text_ko import in_korean

ENGLISH_WORD = re.compile(r"\b[a-z]{3,}\b")
"""A lower-case English word: names, ids and plan names are capitalised."""
E_MAIL = re.compile(r"\S+@\S+")


@pytest.mark.parametrize(
    ("tool_text", "korean"),
    [
        (
            "Account C-1001 (Maria Gonzalez): standard tier, status active, region Harbor Bay; "
            "contact maria@example.com, +1-206-555-0134.",
            "일반 등급, 상태 정상",
        ),
        (
            "Invoice INV-1001-250522 dated 2025-05-22: total $118.40, paid. Charges: Nimbus Plus "
            "plan $50.00; Fiber 1 Gig $65.00; Autopay discount $-5.00; Taxes and fees $8.40.",
            "Nimbus Plus 요금제 $50.00; Fiber 1 Gig $65.00; 자동이체 할인 $-5.00; "
            "세금 및 수수료 $8.40",
        ),
        (
            "Ticket TKT-1 (technical, opened 2025-06-01): Slow fiber — in_progress.",
            "티켓 TKT-1 (기술, 2025-06-01 접수)",
        ),
        (
            "Network in Harbor Bay: outage since 2025-06-18T07:40:00Z. Fiber is down. "
            "Expected fix: 2025-06-19T02:00:00Z.",
            "장애 상태입니다. 복구 예정: 2025-06-19T02:00:00Z.",
        ),
        (
            "Refused by policy: the account is already on Fiber 1 Gig. Nothing was changed.",
            "정책상 처리할 수 없습니다: 이미 Fiber 1 Gig을(를) 이용 중이십니다. "
            "변경된 내용은 없습니다.",
        ),
        (
            "Cancellation of your internet service was approved (reference R-1).",
            "인터넷 서비스 해지가 승인되었습니다 (참조 번호 R-1).",
        ),
        (
            "Moving your number to a new esim SIM was approved (reference R-2).",
            "새 eSIM(으)로 번호 이동이 승인되었습니다 (참조 번호 R-2).",
        ),
    ],
)
def test_tool_results_are_said_in_korean(tool_text: str, korean: str) -> None:
    said = in_korean(tool_text)

    assert korean in said


@pytest.mark.parametrize(
    "tool_text",
    [
        "Account C-1001 (Maria Gonzalez): premium tier, status suspended, region Harbor Bay; "
        "contact maria@example.com, +1-206-555-0134.",
        "Refused by policy: the account has no home internet. Nothing was changed.",
        "Refused by policy: the refund amount is unknown: edit the request with an 'amount'. "
        "Nothing was changed.",
        "The operator rejected this request: 중복 아님. Nothing was changed.",
        "Sensitive actions are paused by our team right now, so I could not make this refund "
        "myself. I've opened ticket TKT-9 and a person will follow up. Nothing was changed yet.",
    ],
)
def test_no_english_sentence_is_left_in_a_korean_tool_result(tool_text: str) -> None:
    assert not ENGLISH_WORD.search(E_MAIL.sub("", in_korean(tool_text)))


def test_a_line_with_no_korean_form_is_kept_as_written() -> None:
    assert in_korean("Something new happened.") == "Something new happened."
