"""The verifiers of sensitive actions: deterministic checks against the customer's records."""

from __future__ import annotations

import pytest

from state.stores.customers import Customer, CustomerDirectory
from tools.action_checks import (
    verify_cancellation,
    verify_plan_change,
    verify_refund,
    verify_sim_swap,
)
from tools.approval import PolicyViolation


@pytest.fixture
def lucas(customers: CustomerDirectory) -> Customer:
    """C-1006: Fiber 300 only (no mobile line); a $10 late fee on INV-1006-250608."""
    return _customer(customers, "C-1006")


@pytest.fixture
def maria(customers: CustomerDirectory) -> Customer:
    """C-1001: Nimbus Plus and Fiber 1 Gig."""
    return _customer(customers, "C-1001")


def _customer(customers: CustomerDirectory, customer_id: str) -> Customer:
    customer = customers.get(customer_id)
    assert customer is not None
    return customer


# Refunds


def test_a_refund_is_matched_to_the_line_item_it_describes(lucas: Customer) -> None:
    proposal = verify_refund(lucas, {"description": "the late fee"}, final=False)

    assert proposal["invoice_id"] == "INV-1006-250608"
    assert proposal["amount"] == 10.0
    assert proposal["line_item"].startswith("Late fee")


def test_a_refund_up_to_the_charge_is_allowed(lucas: Customer) -> None:
    proposal = verify_refund(lucas, {"description": "late fee", "amount": 4.5}, final=True)

    assert proposal["amount"] == 4.5
    assert proposal["invoice_id"] == "INV-1006-250608"


def test_a_refund_above_the_charge_is_refused(lucas: Customer) -> None:
    with pytest.raises(PolicyViolation, match=r"\$15\.00 is more than the \$10\.00 charged"):
        verify_refund(lucas, {"description": "late fee", "amount": 15}, final=False)


def test_a_refund_above_the_invoice_total_is_refused(lucas: Customer) -> None:
    args = {"invoice_id": "INV-1006-250508", "amount": 100}

    with pytest.raises(PolicyViolation, match=r"at most \$48\.10"):
        verify_refund(lucas, args, final=True)


@pytest.mark.parametrize("amount", [0, -10])
def test_a_refund_of_nothing_or_less_is_refused(lucas: Customer, amount: float) -> None:
    with pytest.raises(PolicyViolation, match=r"more than \$0"):
        verify_refund(lucas, {"invoice_id": "INV-1006-250608", "amount": amount}, final=True)


def test_a_refund_on_another_customers_invoice_is_refused(lucas: Customer) -> None:
    args = {"invoice_id": "INV-1001-250522", "amount": 5}

    with pytest.raises(PolicyViolation, match="not on this customer's account"):
        verify_refund(lucas, args, final=False)


def test_a_final_refund_without_an_amount_is_refused(maria: Customer) -> None:
    args = {"description": "something I did not order"}

    assert verify_refund(maria, args, final=False)["amount"] is None
    with pytest.raises(PolicyViolation, match="amount is unknown"):
        verify_refund(maria, args, final=True)


@pytest.mark.parametrize("amount", ["ten", "", [5], {"value": 5}])
def test_a_refund_amount_that_is_not_a_number_is_refused(lucas: Customer, amount: object) -> None:
    with pytest.raises(PolicyViolation, match="amount"):
        verify_refund(lucas, {"description": "late fee", "amount": amount}, final=True)


def test_a_numeric_string_amount_is_read_as_a_number(lucas: Customer) -> None:
    proposal = verify_refund(lucas, {"description": "late fee", "amount": "5"}, final=True)

    assert proposal["amount"] == 5.0


# Plan changes


def test_a_plan_change_to_another_known_plan_is_allowed(maria: Customer) -> None:
    proposal = verify_plan_change(maria, {"new_plan": "Nimbus Unlimited"}, final=True)

    assert proposal["current_plan"] == "Nimbus Plus"
    assert proposal["new_plan"] == "Nimbus Unlimited"


def test_an_internet_tier_change_is_checked_against_the_internet_tier(maria: Customer) -> None:
    proposal = verify_plan_change(maria, {"new_plan": "Fiber 2 Gig"}, final=True)

    assert proposal["current_plan"] == "Fiber 1 Gig"


@pytest.mark.parametrize("plan", ["Nimbus Plus", "Fiber 1 Gig"])
def test_a_change_to_the_same_plan_is_refused(maria: Customer, plan: str) -> None:
    with pytest.raises(PolicyViolation, match=f"already on {plan}"):
        verify_plan_change(maria, {"new_plan": plan}, final=False)


@pytest.mark.parametrize("plan", ["Nimbus Gold", "nimbus plus", None])
def test_a_change_to_an_unknown_plan_is_refused(maria: Customer, plan: str | None) -> None:
    with pytest.raises(PolicyViolation, match="new_plan must be one of"):
        verify_plan_change(maria, {"new_plan": plan}, final=False)


def test_an_internet_change_without_home_internet_is_refused(
    customers: CustomerDirectory,
) -> None:
    mobile_only = _customer(customers, "C-1003")
    assert mobile_only.internet_tier is None

    with pytest.raises(PolicyViolation, match="no home internet"):
        verify_plan_change(mobile_only, {"new_plan": "Fiber 1 Gig"}, final=False)


def test_a_mobile_plan_change_without_a_mobile_line_is_refused(lucas: Customer) -> None:
    with pytest.raises(PolicyViolation, match="no mobile plan"):
        verify_plan_change(lucas, {"new_plan": "Nimbus Lite"}, final=False)


# Cancellations


@pytest.mark.parametrize("service", ["mobile", "internet", "account"])
def test_cancelling_a_service_the_customer_has_is_allowed(maria: Customer, service: str) -> None:
    assert verify_cancellation(maria, {"service": service}, final=True) == {"service": service}


def test_cancelling_an_unknown_service_is_refused(maria: Customer) -> None:
    with pytest.raises(PolicyViolation, match="service must be"):
        verify_cancellation(maria, {"service": "tv"}, final=False)


def test_cancelling_a_closed_account_is_refused(customers: CustomerDirectory) -> None:
    closed = _customer(customers, "C-1008")
    assert closed.status == "closed"

    with pytest.raises(PolicyViolation, match="already closed"):
        verify_cancellation(closed, {"service": "account"}, final=False)


def test_cancelling_mobile_without_a_mobile_line_is_refused(lucas: Customer) -> None:
    with pytest.raises(PolicyViolation, match="no mobile service"):
        verify_cancellation(lucas, {"service": "mobile"}, final=False)


def test_cancelling_internet_without_home_internet_is_refused(
    customers: CustomerDirectory,
) -> None:
    with pytest.raises(PolicyViolation, match="no home internet"):
        verify_cancellation(_customer(customers, "C-1003"), {"service": "internet"}, final=False)


# SIM swaps


@pytest.mark.parametrize("sim_type", ["esim", "physical"])
def test_a_sim_swap_on_a_mobile_line_is_allowed(maria: Customer, sim_type: str) -> None:
    assert verify_sim_swap(maria, {"sim_type": sim_type}, final=True) == {"sim_type": sim_type}


def test_a_sim_swap_of_an_unknown_kind_is_refused(maria: Customer) -> None:
    with pytest.raises(PolicyViolation, match="sim_type must be"):
        verify_sim_swap(maria, {"sim_type": "nano"}, final=False)


def test_a_sim_swap_without_a_mobile_line_is_refused(lucas: Customer) -> None:
    with pytest.raises(PolicyViolation, match="no mobile line"):
        verify_sim_swap(lucas, {"sim_type": "esim"}, final=False)
