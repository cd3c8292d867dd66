"""The offline specialist's reading of tool results: which invoice a refund is for."""

from __future__ import annotations

from nodes.llm.replies import choose_refund

INVOICES = (
    "Invoice INV-1-3 dated 2025-06-08: total $120.00, paid. Charges: Nimbus Plus plan $55.00; "
    "Fiber 1 Gig $65.00.\n"
    "Invoice INV-1-2 dated 2025-05-08: total $118.40, paid. Charges: Nimbus Plus plan $55.00; "
    "Fiber 1 Gig $60.00; Taxes and fees $3.40.\n"
    "Invoice INV-1-1 dated 2025-04-08: total $110.00, paid. Charges: Nimbus Plus plan $55.00; "
    "Fiber 1 Gig $55.00."
)


def test_a_korean_month_names_the_invoice_charged_twice() -> None:
    choice = choose_refund("5월 청구서가 두 번 결제됐어요 환불해 주세요", INVOICES, "ko")

    assert choice.question is None and choice.charge is not None
    assert (choice.charge.invoice_id, choice.charge.amount) == ("INV-1-2", 118.40)


def test_an_english_month_names_the_invoice_charged_twice() -> None:
    choice = choose_refund("my April bill was charged twice, refund it", INVOICES, "en")

    assert choice.charge is not None and choice.charge.invoice_id == "INV-1-1"


def test_a_quoted_invoice_id_wins_over_last_month() -> None:
    choice = choose_refund("지난달 INV-1-1 청구서가 중복 결제됐어요", INVOICES, "ko")

    assert choice.charge is not None and choice.charge.invoice_id == "INV-1-1"


def test_a_month_with_no_invoice_falls_back_to_every_invoice() -> None:
    choice = choose_refund("12월 청구서에 Taxes and fees 환불해 주세요", INVOICES, "ko")

    assert choice.charge is not None and choice.charge.invoice_id == "INV-1-2"
