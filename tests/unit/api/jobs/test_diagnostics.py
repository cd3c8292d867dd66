"""The simulated diagnostic reads the demo data: a degraded region shows, a healthy line is ok."""

from __future__ import annotations

from api.jobs.diagnostics import describe, line_report
from state.stores.customers import CustomerDirectory


def test_a_line_in_a_degraded_region_reports_the_incident(customers: CustomerDirectory) -> None:
    customer = customers.get("C-1003")  # Sunridge: degraded in the demo data
    assert customer is not None
    report = line_report(customer, customers.region_status(customer.region))
    assert report["network"] == "degraded" and report["errors_24h"] >= 37
    assert "network incident in Sunridge" in report["recommendation"]
    assert describe(report).startswith("Your line diagnostic is finished: mobile signal")


def test_the_same_line_always_reports_the_same(customers: CustomerDirectory) -> None:
    customer = customers.get("C-1001")
    assert customer is not None
    region = customers.region_status(customer.region)
    assert line_report(customer, region) == line_report(customer, region)
    assert "fiber_optical_power_dbm" in line_report(customer, region)


def test_a_suspended_account_is_the_recommendation(customers: CustomerDirectory) -> None:
    customer = customers.get("C-1005")  # suspended
    assert customer is not None
    report = line_report(customer, customers.region_status(customer.region))
    assert "suspended" in report["recommendation"]
