"""The specialists, one definition each: name, scope, tools, handoff text, training labels.

The graphs build each specialist's subgraph from it, the handoff tools describe it from it,
the specialist prompt states its scope from it and the offline model maps its learned labels
to tools and routes through it. Adding a specialist means adding one entry here (and its
name to `Route`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from state.schema import SPECIALISTS, Route


@dataclass(frozen=True)
class Specialist:
    name: Route
    scope: str
    """What the specialist's own prompt says it handles."""
    handoff: str
    """How the `transfer_to_<name>` tool describes the specialist to the model choosing it."""
    read_tools: tuple[str, ...]
    """Read-only tools; their names are also the offline model's labels for them."""
    actions: Mapping[str, str]
    """Sensitive actions: the offline model's training label → the tool that performs it."""
    job_tools: tuple[str, ...] = ()
    """Long-running tools that start a job on the task queue (labels = names, like reads)."""

    @property
    def tools(self) -> tuple[str, ...]:
        return (*self.read_tools, *self.job_tools, *self.actions.values())

    @property
    def labels(self) -> tuple[str, ...]:
        return (*self.read_tools, *self.job_tools, *self.actions)


REGISTRY: tuple[Specialist, ...] = (
    Specialist(
        name="billing",
        scope="balance, invoices and their line items, payments, autopay, and refunds",
        handoff="the customer's own balance, invoices, payments, autopay, refunds",
        read_tools=("get_balance", "get_invoices", "get_autopay_status"),
        actions={"refund": "request_refund"},
    ),
    Specialist(
        name="technical",
        scope="the live network status in the customer's region, and line diagnostics",
        handoff="network status in the customer's region, a diagnostic of the customer's line",
        read_tools=("get_network_status",),
        actions={},
        job_tools=("run_line_diagnostic",),
    ),
    Specialist(
        name="account",
        scope="profile, customer tier, account status, the mobile plan and internet tier on "
        "file, open tickets, plan changes, cancellations, SIM swaps and eSIM activation",
        handoff="the customer's own plan, tier, profile, open tickets, plan changes, "
        "cancellations, SIM swaps, eSIM activation",
        read_tools=("get_profile", "get_plan", "get_open_tickets"),
        actions={
            "change_plan": "change_plan",
            "cancel_service": "cancel_service",
            "swap_sim": "swap_sim",
            "activate_esim": "activate_esim",
        },
    ),
)
if tuple(s.name for s in REGISTRY) != SPECIALISTS:  # pragma: no cover - a wiring mistake
    raise RuntimeError("state.specialists.REGISTRY must define exactly state.schema.SPECIALISTS")

_BY_NAME: dict[str, Specialist] = {s.name: s for s in REGISTRY}
_BY_LABEL = {label: s for s in REGISTRY for label in s.labels}
READ_TOOL_LABELS = frozenset(label for s in REGISTRY for label in (*s.read_tools, *s.job_tools))
"""Labels that name the tool itself: read tools and long-running (job) tools."""
ACTION_LABELS = frozenset(label for s in REGISTRY for label in s.actions)


def specialist(name: str) -> Specialist:
    return _BY_NAME[name]


def is_specialist(name: str) -> bool:
    return name in _BY_NAME


def specialist_for_label(label: str) -> Specialist | None:
    """The specialist that owns an offline label (a read tool or an action), if any."""
    return _BY_LABEL.get(label)


def tool_for_label(label: str) -> str:
    """The tool an offline label stands for: an action's tool, or the read tool itself."""
    owner = _BY_LABEL.get(label)
    return owner.actions.get(label, label) if owner else label
