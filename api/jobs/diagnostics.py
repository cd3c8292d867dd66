"""The simulated line diagnostic and eSIM activation, derived from the demo tenant's data.

Deterministic per customer: the same line always reports the same signal and errors, and a
region with a network incident shows it, so answers can be checked against data/customers.json.
"""

from __future__ import annotations

import hashlib
from typing import Any

from state.stores.customers import Customer, RegionStatus


def line_report(customer: Customer, region: RegionStatus | None) -> dict[str, Any]:
    """Signal, errors and a recommendation for the customer's line."""
    seed = int(hashlib.sha256(customer.customer_id.encode()).hexdigest(), 16)
    degraded = region is not None and region.status != "ok"
    report: dict[str, Any] = {
        "region": customer.region,
        "network": region.status if region else None,
    }
    if customer.mobile_plan:
        signal = -67 - seed % 24 - (22 if degraded else 0)
        report["mobile_signal_dbm"] = signal
        report["mobile_signal"] = (
            "excellent" if signal > -75 else "good" if signal > -85 else "fair" if signal > -95
            else "weak"
        )  # fmt: skip
    if customer.internet_tier:
        report["fiber_optical_power_dbm"] = round(-14.0 - (seed >> 8) % 90 / 10, 1)
    report["errors_24h"] = (seed >> 16) % 4 + (37 if degraded else 0)
    report["recommendation"] = _recommendation(customer, region, report)
    return report


def _recommendation(customer: Customer, region: RegionStatus | None, report: dict[str, Any]) -> str:
    if customer.status != "active":
        return f"the account is {customer.status}, which limits service; settle it to restore it"
    if region is not None and region.status != "ok":
        eta = f" (expected fix {region.eta})" if region.eta else ""
        return f"a known network incident in {customer.region} explains it{eta}: {region.note}"
    if report.get("mobile_signal") == "weak":
        return "the signal where you are is weak: turn on Wi-Fi calling, or try near a window"
    if report["errors_24h"] > 1:
        return "a few errors were seen: restart your phone and router, and tell us if it persists"
    return "your line looks healthy; no action needed"


def describe(report: dict[str, Any]) -> str:
    """The report as the specialist tells it to the customer."""
    parts = []
    if "mobile_signal_dbm" in report:
        parts.append(f"mobile signal {report['mobile_signal_dbm']} dBm ({report['mobile_signal']})")
    if "fiber_optical_power_dbm" in report:
        parts.append(f"fiber optical power {report['fiber_optical_power_dbm']} dBm")
    parts.append(f"{report['errors_24h']} errors in the last 24 hours")
    return (
        f"Your line diagnostic is finished: {', '.join(parts)}. "
        f"Recommendation: {report['recommendation']}."
    )
