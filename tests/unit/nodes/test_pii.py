"""PII masking: what a checkpoint or a model may see of cards, national-ID numbers, and
e-mail addresses and phone numbers that are not the writer's own."""

from __future__ import annotations

from typing import Any

import pytest
from langchain_core.messages import HumanMessage
from langgraph.graph.state import CompiledStateGraph

from api.turns import send_message, thread_config
from nodes.pii import contacts_of, luhn_valid, mask_pii
from state.settings import Settings
from state.stores.customers import CustomerDirectory
from state.stores.records import RecordStore

CUSTOMERS = CustomerDirectory.from_file(Settings().data_dir / "customers.json")
SIGNED_IN = "C-1001"  # maria.gonzalez@example.com, +1-206-555-0134


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("my card is 4111111111111111", "my card is [card ending 1111]"),
        ("my card is 4111 1111 1111 1111", "my card is [card ending 1111]"),
        ("charge 5555-5555-5555-4444 please", "charge [card ending 4444] please"),
        ("amex 3782 822463 10005.", "amex [card ending 0005]."),
    ],
)
def test_luhn_valid_card_numbers_are_masked_to_their_last_four_digits(
    text: str, masked: str
) -> None:
    assert mask_pii(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "order 1234 5678 9012 3456 never arrived",
        "reference 1234567890123456",
        "tracking 9400-1000-0000-0000-0000-00",
    ],
)
def test_luhn_invalid_long_numbers_are_left_alone(text: str) -> None:
    assert mask_pii(text) == text


def test_luhn_check_tells_a_card_number_from_a_typo_of_it() -> None:
    assert luhn_valid("4111111111111111")
    assert not luhn_valid("4111111111111112")
    assert mask_pii("card 4111 1111 1111 1112") == "card 4111 1111 1111 1112"


def test_a_card_number_followed_by_its_expiry_date_is_still_masked() -> None:
    masked = mask_pii("card 4111 1111 1111 1111 12/27, please retry the payment")

    assert "4111" not in masked
    assert masked == "card [card ending 1111] 12/27, please retry the payment"


def test_a_card_number_after_other_digits_is_still_masked() -> None:
    masked = mask_pii("line 2 4111 1111 1111 1111 was charged twice")

    assert masked == "line 2 [card ending 1111] was charged twice"


def test_ssn_like_numbers_are_masked() -> None:
    assert mask_pii("my SSN is 123-45-6789.") == "my SSN is [id number]."


def test_card_and_ssn_in_one_message_are_both_masked() -> None:
    masked = mask_pii("card 5555 5555 5555 4444 and ssn 078-05-1120")

    assert masked == "card [card ending 4444] and ssn [id number]"


@pytest.mark.parametrize(
    "text",
    [
        "invoice INV-1006-250608 shows $58.10",
        "my account is C-1006 and my PIN changed on 2025-06-08",
        "[08:14:33] 2025-06-18 07:41:02 WAN down, retry in 30s",
        "traceroute:\n1  192.168.0.1  1 ms\n2  10.20.0.1  4 ms",
        "speed 12.4 Mbps, ping 95 ms; I paid $1,200.00 on 06/18/2025 for 2 lines",
        "ticket TKT-20250618-0042 and order 2025-0618-77",
    ],
)
def test_invoice_ids_dates_addresses_and_amounts_are_not_mistaken_for_pii(text: str) -> None:
    assert mask_pii(text) == text
    assert mask_pii(text, contacts_of(CUSTOMERS, SIGNED_IN)) == text


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("my SSN is 078051120", "my SSN is [id number]"),
        ("주민등록번호 900101-1234567 입니다", "주민등록번호 [id number] 입니다"),
        ("passport number X1234567, expired", "passport number [id number], expired"),
        ("NI number AB 12 34 56 C", "NI number [id number]"),
        ("CPF 123.456.789-09", "CPF [id number]"),
    ],
)
def test_other_national_id_formats_are_masked(text: str, masked: str) -> None:
    assert mask_pii(text) == masked


def test_a_signed_in_customers_own_contact_details_stay_in_any_format() -> None:
    text = "reach me at Maria.Gonzalez@example.com or (206) 555-0134"

    assert mask_pii(text, contacts_of(CUSTOMERS, SIGNED_IN)) == text


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        (
            "what plan is jwhitaker@example.net on?",
            "what plan is [e-mail address] on?",
        ),
        ("who owns +1 312 555 0117?", "who owns [phone number]?"),
        (
            "my new number is 503-555-0199, old one 206-555-0134",
            "my new number is [phone number], old one 206-555-0134",
        ),
        ("my cousin in Seoul: +82 10-1234-5678", "my cousin in Seoul: [phone number]"),
    ],
)
def test_a_signed_in_customer_sees_only_their_own_contact_details(text: str, masked: str) -> None:
    assert mask_pii(text, contacts_of(CUSTOMERS, SIGNED_IN)) == masked


@pytest.mark.parametrize(
    "text",
    [
        "call me on +1-206-555-0183",
        "My internet is down, my account e-mail is priya.raman@example.com",
        "You can reach me at 312-555-0178 after five",
        "제 이메일은 jiho.park@example.com이에요",
    ],
)
def test_an_anonymous_writer_keeps_the_contact_details_they_give_as_their_own(text: str) -> None:
    assert mask_pii(text) == text


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("who owns 480-555-0186?", "who owns [phone number]?"),
        (
            "my girlfriend's number is 206-555-0134, who does she call?",
            "my girlfriend's number is [phone number], who does she call?",
        ),
        ("send it to grace.liu@example.org", "send it to [e-mail address]"),
        ("my girlfriends number is 206 555 0134", "my girlfriends number is [phone number]"),
    ],
)
def test_an_anonymous_writer_cannot_pass_on_other_peoples_contact_details(
    text: str, masked: str
) -> None:
    assert mask_pii(text) == masked


def test_masking_twice_changes_nothing_more() -> None:
    text = "card 4111 1111 1111 1111, ssn 078-05-1120, ask jwhitaker@example.net or 312-555-0117"
    once = mask_pii(text, contacts_of(CUSTOMERS, SIGNED_IN))

    assert mask_pii(once, contacts_of(CUSTOMERS, SIGNED_IN)) == once
    assert mask_pii(once) == once


def test_nobody_signed_in_means_no_own_contacts() -> None:
    assert contacts_of(CUSTOMERS, None) is None
    assert contacts_of(CUSTOMERS, "C-9999") is None
    assert contacts_of(CUSTOMERS, SIGNED_IN) == {"maria.gonzalez@example.com", "+1-206-555-0134"}


async def test_triage_attaches_an_anonymous_writers_e_mail_match_unverified(
    support_graph: CompiledStateGraph[Any, Any, Any, Any],
    records: RecordStore,
    thread_id: str,
) -> None:
    text = (
        "My fiber box keeps rebooting every hour and restarting it has not helped. "
        "My e-mail is lucas.martin@example.com"
    )

    result = await send_message(support_graph, thread_id, text, None)

    assert result.status == "ticket_created"
    [ticket] = [t for t in await records.list_tickets() if t.thread_id == thread_id]
    assert ticket.customer_id is None  # typing an e-mail never signs a thread in
    assert ticket.contact_customer_id == "C-1006"
    state = await support_graph.aget_state(thread_config(thread_id))
    assert state.values["customer_id"] is None


async def test_the_guardrail_masks_a_third_partys_e_mail_but_keeps_the_customers_own(
    support_graph: CompiledStateGraph[Any, Any, Any, Any], thread_id: str
) -> None:
    # Straight into the graph, past the API's own masking: the guardrail masks by itself.
    await support_graph.ainvoke(
        {
            "messages": [
                HumanMessage(
                    "My fiber box keeps rebooting every hour and restarting it has not helped. "
                    "Copy kid.gonzalez@example.org and me at maria.gonzalez@example.com"
                )
            ],
            "customer_id": SIGNED_IN,
        },
        thread_config(thread_id),
    )

    state = await support_graph.aget_state(thread_config(thread_id))
    [customer_message] = [m for m in state.values["messages"] if isinstance(m, HumanMessage)]
    assert customer_message.text.endswith(
        "Copy [e-mail address] and me at maria.gonzalez@example.com"
    )
    assert all("kid.gonzalez" not in str(m.content) for m in state.values["messages"])


@pytest.mark.parametrize(
    "text",
    [
        "card 4111.1111.1111.1111",
        "card 4111\u00a01111\u20091111\u202f1111",
        "card 4111\u200b1111\u200b1111\u200b1111",
        "card 4111\u200d-1111\u2060-1111\ufeff-1111",
        "card 4111/1111/1111/1111",
        "card 4111 . 1111 . 1111 . 1111",
    ],
)
def test_a_card_is_masked_whatever_sits_between_its_digits(text: str) -> None:
    assert mask_pii(text) == "card [card ending 1111]"


@pytest.mark.parametrize("ssn", ["078-05-1120", "078 05 1120", "078.05.1120"])
def test_ssn_variants_are_masked(ssn: str) -> None:
    assert mask_pii(f"my ssn {ssn} thanks") == "my ssn [id number] thanks"


@pytest.mark.parametrize("iban", ["DE89 3704 0044 0532 0130 00", "GB82WEST12345698765432"])
def test_ibans_are_masked(iban: str) -> None:
    assert mask_pii(f"pay from {iban} please") == "pay from [bank account] please"


def test_numbers_that_are_not_cards_ibans_or_ssns_stay() -> None:
    for text in ("order 12345678 qty 3", "due 2024.05.06, card exp 12/27", "DE00 1234 5678 9012"):
        assert mask_pii(text) == text


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("제 번호는 01012345678이에요", "제 번호는 [phone number]이에요"),
        ("010 1234 5678로 전화주세요", "[phone number]로 전화주세요"),
        ("+82 10-1234-5678 입니다", "[phone number] 입니다"),
        ("주민번호 9001011234567", "주민번호 [id number]"),
        ("주민등록번호: 900101 - 1234567", "주민등록번호: [id number]"),
        ("대구광역시 수성구 달구벌대로 2450", "[address]"),
        ("제주특별자치도 제주시 첨단로 242", "[address]"),
        ("경기도 성남시 분당구 판교역로 235 에이치스퀘어", "[address] 에이치스퀘어"),
    ],
)
def test_korean_pii_variants_are_masked(text: str, masked: str) -> None:
    assert mask_pii(text, own_contacts=frozenset()) == masked


@pytest.mark.parametrize(
    "text",
    ["청구서 INV-1001-250522 금액 118.4달러", "2025-05-22에 결제됐어요", "5월 22일에 3만원 청구"],
)
def test_korean_invoice_ids_dates_and_won_amounts_stay(text: str) -> None:
    assert mask_pii(text, own_contacts=frozenset()) == text
