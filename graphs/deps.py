"""What the graph's nodes and tools work with: built by `api.bootstrap`, read by the graphs."""

from __future__ import annotations

from dataclasses import dataclass

from nodes.llm.provider import ModelProvider
from state.stores.customers import CustomerDirectory
from state.stores.help_center import HelpCenterIndex
from state.stores.jobs import JobQueue
from state.stores.records import RecordStore


@dataclass
class SupportDeps:
    models: ModelProvider
    help_center: HelpCenterIndex
    customers: CustomerDirectory
    records: RecordStore
    jobs: JobQueue | None = None
    """Where long-running tools start their jobs; None refuses them (in-process use)."""
    diagnostic_seconds: float = 30.0
    job_deadline_seconds: float = 300.0
