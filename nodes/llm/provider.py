"""One place that hands each node its chat model, for whichever backend is configured."""

from __future__ import annotations

from dataclasses import dataclass, field

from langchain_core.language_models import BaseChatModel

from nodes.llm.brain import load_brain
from nodes.llm.offline import OfflineChatModel
from state.help_center import load_help_center
from state.settings import Settings

Role = str
"""guardrail, router, faq, billing, technical, account or triage."""


@dataclass
class ModelProvider:
    """Builds and caches one chat model per role."""

    settings: Settings
    _models: dict[Role, BaseChatModel] = field(default_factory=dict)

    @property
    def backend(self) -> str:
        return self.settings.resolved_backend

    def for_role(self, role: Role) -> BaseChatModel:
        if role not in self._models:
            self._models[role] = self._build(role)
        return self._models[role]

    def _build(self, role: Role) -> BaseChatModel:
        if self.backend == "openai":
            return self._openai()
        brain = load_brain(self.settings.data_dir, self.settings.cache_dir)
        entries = load_help_center(self.settings.data_dir / "help_center.yaml")
        return OfflineChatModel(
            role=role, brain=brain, help_center_answers={e.id: e.answer for e in entries}
        )

    def _openai(self) -> BaseChatModel:
        from langchain_openai import ChatOpenAI

        return ChatOpenAI(
            model=self.settings.openai_model,
            api_key=self.settings.openai_api_key,
            base_url=self.settings.openai_base_url,
            temperature=0,
            timeout=self.settings.openai_timeout_seconds,
            max_retries=2,
        )
