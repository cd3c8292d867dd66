"""PII masking: what a checkpoint or a model may see of a card or national-ID number."""

from __future__ import annotations

import pytest

from nodes.pii import luhn_valid, mask_pii


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
        "call me on +1-206-555-0183",
        "invoice INV-1006-250608 shows $58.10",
        "my account is C-1006 and my PIN changed on 2025-06-08",
    ],
)
def test_phone_numbers_invoice_ids_and_dates_are_not_mistaken_for_pii(text: str) -> None:
    assert mask_pii(text) == text
