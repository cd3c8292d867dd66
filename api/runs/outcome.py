"""How a run ended, as the executor records it and the API answers it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from langgraph.types import Interrupt, StateSnapshot

from api.encoding import interrupt_json, jsonable, waiting_status
from api.runs.records import RunStatus
from api.turns import all_interrupts

STORAGE_UNAVAILABLE = "StorageUnavailable"
"""The error of a run that failed because Redis went away while it ran."""


@dataclass
class RunOutcome:
    status: RunStatus
    values: dict[str, Any] = field(default_factory=dict)
    error: dict[str, str] | None = None

    def wait_body(self) -> dict[str, Any]:
        """The `runs/wait` and `join` body: final values, or the error the SDK raises."""
        if self.error is not None:
            return {"__error__": self.error}
        return self.values

    @property
    def storage_failed(self) -> bool:
        return self.error is not None and self.error.get("error") == STORAGE_UNAVAILABLE


@dataclass
class SeenStream:
    """What a run's root stream showed: its last values and the interrupts it stopped at."""

    values: dict[str, Any] | None = None
    interrupts: list[Interrupt] = field(default_factory=list)

    def observe(self, mode: str, data: Any) -> None:
        if not isinstance(data, dict):
            return
        if "__interrupt__" in data:
            if mode == "updates":
                self.interrupts += list(data["__interrupt__"])
        elif mode == "values":
            self.values = data


class RunRejected(Exception):
    """A run that cannot start on the thread as it is now (e.g. a resume with nothing pending)."""


def status_of_thread(snapshot: StateSnapshot) -> str:
    return "interrupted" if snapshot.next else "idle"


def result_values(snapshot: StateSnapshot) -> dict[str, Any]:
    values = jsonable(snapshot.values) if isinstance(snapshot.values, dict) else {}
    interrupts = all_interrupts(snapshot)
    if interrupts:
        values = waiting_status(values, interrupts)
        values["__interrupt__"] = [interrupt_json(i) for i in interrupts]
    return dict(values)
