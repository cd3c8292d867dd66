"""Entities the offline backend reads from a message before it proposes an action."""

from __future__ import annotations

import pytest

from nodes.language import english_gloss
from nodes.llm.extract import (
    asks_in_korean,
    asks_to_cancel,
    asks_whether,
    invoice_month,
    invoice_reference,
    money_amount,
    plan_target,
    reports_dispute,
    sim_type,
)


@pytest.mark.parametrize(
    ("text", "plan"),
    [
        ("데이터가 부족해서 Unlimited로 올리고 싶어요", "Nimbus Unlimited"),
        ("요금이 부담돼서 Lite로 낮춰 주세요", "Nimbus Lite"),
        ("Fiber 300으로 내려 주세요", "Fiber 300"),
        ("인터넷 2기가로 올려 주세요", "Fiber 2 Gig"),
        ("Unlimited에서 Lite로 바꿔 주세요", "Nimbus Lite"),
        ("move me from Plus to Lite", "Nimbus Lite"),
        ("upgrade my fiber to 1 gig", "Fiber 1 Gig"),
        ("플러스 요금제로는 데이터가 부족해요 무제한으로 바꿔 주세요", "Nimbus Unlimited"),
        ("라이트로는 모자라서 플러스로 올려줘", "Nimbus Plus"),
    ],
)
def test_a_plan_is_found_before_a_korean_particle_and_after_to(text: str, plan: str) -> None:
    assert plan_target(text) == plan


@pytest.mark.parametrize(
    ("text", "plan"),
    [
        ("Can you put me on Lite instead of Unlimited?", "Nimbus Lite"),
        ("I'd like Unlimited rather than Plus, please", "Nimbus Unlimited"),
        ("swap my Plus for Lite", "Nimbus Lite"),
        ("make it Unlimited, not Lite", "Nimbus Unlimited"),
        ("I want 2 gig instead of the 300 plan", "Fiber 2 Gig"),
        ("언리미티드 요금제로 해 주세요, 플러스는 말고요", "Nimbus Unlimited"),
        ("무제한 해주세요 라이트 대신에", "Nimbus Unlimited"),
        ("플러스에서 라이트로 낮춰 주세요", "Nimbus Lite"),
    ],
)
def test_the_plan_wanted_is_not_the_one_left(text: str, plan: str) -> None:
    assert plan_target(text) == plan


@pytest.mark.parametrize("text", ["move me off Plus", "플러스 말고 다른 걸로 바꿔 주세요"])
def test_no_plan_is_read_when_only_the_one_left_is_named(text: str) -> None:
    assert plan_target(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "we're moving across town, do we have to cancel the fiber and sign up again?",
        "Will I need to cancel my line if I go abroad for a year?",
        "what happens if I switch to Lite halfway through the month",
        "should I downgrade or is there something cheaper",
        "이사 가면 인터넷 해지해야 되나요?",
        "요금제 바꾸면 위약금 있나요",
        "번호 옮기려면 해지를 먼저 해야 하는 건가요",
    ],
)
def test_a_what_if_about_an_action_is_not_a_request(text: str) -> None:
    assert asks_whether(text)


@pytest.mark.parametrize(
    "text",
    [
        "I'd like to cancel my internet; do I need to return the router?",
        "please cancel my line",
        "I need to cancel my fiber",
        "can I change my plan to Lite?",
        "인터넷 해지하고 싶어요 공유기는 반납해야 하나요?",
        "무제한으로 바꿔 주세요",
    ],
)
def test_a_request_is_a_request_with_or_without_a_what_if_beside_it(text: str) -> None:
    assert not asks_whether(text)


@pytest.mark.parametrize(
    "text",
    [
        "can I take the service to my new flat without cancelling it?",
        "I don't want to cancel, I just want a cheaper plan",
        "인터넷 해지하지 않고 이사 갈 수 있나요",
        "해지 없이 명의만 바꿀 수 있어요?",
    ],
)
def test_a_cancellation_said_not_to_be_wanted_is_not_asked_for(text: str) -> None:
    assert not asks_to_cancel(text)


@pytest.mark.parametrize("text", ["please cancel my internet", "인터넷 해지해 주세요"])
def test_a_cancellation_asked_for_is_read(text: str) -> None:
    assert asks_to_cancel(text)


@pytest.mark.parametrize(
    "text", ["요금제 바꾸고 싶은데요", "pluses", "I have a question about my plan"]
)
def test_no_plan_is_read_where_none_is_named(text: str) -> None:
    assert plan_target(text) is None


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("please refund $1,200.50", 1200.5),
        ("50달러 돌려주세요", 50.0),
        ("환불 118.4달러 부탁해요", 118.4),
        ("1,000달러가 빠져나갔어요", 1000.0),
        ("30불 환불", 30.0),
    ],
)
def test_dollar_amounts_are_read_with_thousands_separators_and_korean_units(
    text: str, amount: float
) -> None:
    assert money_amount(text) == amount


@pytest.mark.parametrize("text", ["3만원이 더 나왔어요", "30,000원 환불해 주세요", "5 불편해요"])
def test_won_amounts_and_words_starting_with_bul_are_not_dollars(text: str) -> None:
    assert money_amount(text) is None


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("아이폰 새로 샀는데 eSIM으로 전환하고 싶어요", "esim"),
        ("이심으로 번호 옮겨 주세요", "esim"),
        ("move my number to an e-sim", "esim"),
        ("유심이 고장나서 새 유심으로 바꿔 주세요", "physical"),
        ("I need a new SIM card", "physical"),
    ],
)
def test_an_esim_is_read_before_a_korean_particle_and_in_hangul(text: str, kind: str) -> None:
    assert sim_type(text) == kind


@pytest.mark.parametrize(
    ("text", "month"),
    [
        ("3월 청구서가 이상해요", 3),
        ("지난 12월분 요금", 12),
        ("the March bill was wrong", 3),
        ("my May invoice charged twice", 5),
        ("may I get a refund", None),
        ("decent service but a wrong charge", None),
        ("2025-05-22에 결제됐어요", None),
    ],
)
def test_the_month_of_the_invoice_the_customer_names(text: str, month: int | None) -> None:
    assert invoice_month(text) == month


def test_a_quoted_invoice_id_is_read() -> None:
    assert invoice_reference("inv-1001-250522 환불해 주세요") == "INV-1001-250522"
    assert invoice_reference("지난달 청구서 환불해 주세요") is None


@pytest.mark.parametrize(
    ("text", "gloss"),
    [
        ("무제한으로바꿔주세요", "please do it"),
        ("환불되나요", "can i"),
        ("자동결제하면할인돼요?", "autopay"),
        ("비번재설정해도로그인안돼요", "password"),
    ],
)
def test_korean_written_without_spaces_keeps_its_gloss(text: str, gloss: str) -> None:
    assert gloss in english_gloss(text)


def test_asking_to_be_told_is_not_asking_for_an_action() -> None:
    assert "please do it" not in english_gloss("제 요금제 알려주세요")
    assert "please do it" not in english_gloss("제 요금제 알려주세여")


@pytest.mark.parametrize(
    "text",
    [
        "라이트로 변경해주세여",
        "회선 정리해줘여",
        "무제한으로 올려주삼",
        "인터넷 끊어주셈",
        "요금제 변경 부탁해여",
        "플러스로 바꿔줘",
        "해지 ㄱㄱ",
        "언리미티드로 해주세용",
    ],
)
def test_a_casual_korean_request_ending_reads_as_a_request(text: str) -> None:
    """Texting endings ask as 주세요 does: the gloss marks them and the backend reads a request."""
    assert "please do it" in english_gloss(text)
    assert asks_in_korean(text)


@pytest.mark.parametrize(
    "text", ["요금제를 좀 변경해 주실 수 있나요", "제 광랜 속도 몇 기가로 되어 있어요?"]
)
def test_a_polite_korean_request_or_records_question_is_not_read_as_can_i(text: str) -> None:
    assert "can i" not in english_gloss(text)


def test_korean_my_written_without_a_space_is_read_as_my() -> None:
    assert english_gloss("내이메일주소뭐로돼있어").endswith("my)")


@pytest.mark.parametrize("text", ["요금제 가격 비교 좀 해주세요", "청구서 항목 설명해 주세요"])
def test_asking_to_compare_or_explain_is_not_a_request_to_act(text: str) -> None:
    assert "please do it" not in english_gloss(text)


@pytest.mark.parametrize(
    "text",
    [
        "my discount should be $7.50 a month, but the invoice only takes off $4. something's off",
        "the installer put the jack in the wrong room and left, what are you going to do about it?",
        "they said the upgrade was free and charged me anyway, this doesn't add up",
        "설치 기사가 선을 엉뚱하게 빼놓고 그냥 가버렸어요 어떻게 해주실 건가요?",
        "할인 10달러여야 하는데 3달러만 빠졌어요",
        "공유기 망가뜨려 놓고 그냥 갔어요 책임지세요",
        "약속받은 요금이랑 실제 청구액이 너무 차이 나요",
    ],
)
def test_a_dispute_over_something_that_happened_is_read_as_one(text: str) -> None:
    assert reports_dispute(text)


@pytest.mark.parametrize(
    "text",
    [
        "How does device trade-in work?",
        "Something is wrong with my wifi, what should I try?",
        "what do you do about spam texts",
        "how much should my first bill be?",
        "설치 예약은 어떻게 하나요?",
        "이사하면 인터넷은 어떻게 해야 하는데요?",
        "플러스랑 무제한 요금제 차이 나요?",
    ],
)
def test_a_how_it_works_question_is_not_read_as_a_dispute(text: str) -> None:
    assert not reports_dispute(text)
