"""What the graph's nodes and tools work with: built by `api.bootstrap`, read by the graphs."""

from __future__ import annotations

from dataclasses import dataclass, field

from nodes.llm.provider import ModelProvider
from state.stores.audit import AuditLog, MemoryAuditLog
from state.stores.customers import CustomerDirectory
from state.stores.help_center import HelpCenterEntry, HelpCenterIndex
from state.stores.jobs import JobQueue
from state.stores.records import RecordStore
from state.stores.switches import MemorySwitchBoard, SwitchBoard


@dataclass
class SupportDeps:
    models: ModelProvider
    help_center: HelpCenterIndex
    customers: CustomerDirectory
    records: RecordStore
    audit: AuditLog = field(default_factory=MemoryAuditLog)
    switches: SwitchBoard = field(default_factory=MemorySwitchBoard)
    help_center_ko: dict[str, HelpCenterEntry] = field(default_factory=dict)
    """The same entries in Korean, by id, for customers who write in Korean."""
    jobs: JobQueue | None = None
    """Where long-running tools start their jobs; None refuses them (in-process use)."""
    diagnostic_seconds: float = 30.0
    job_deadline_seconds: float = 300.0
