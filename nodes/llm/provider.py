"""One place that hands each node its chat model, for whichever backend is configured.

On top of either backend:

* A structured output (guardrail verdict, FAQ answer, ticket classification) that does not
  validate against its schema is rejected: the node receives `None` and takes its own safe
  fallback, instead of acting on a malformed decision or failing the turn.
* With the `openai` backend, a call that still fails transiently after the client's own bounded
  retries (connection refused, timeout, rate limit, 5xx) is answered by the offline backend,
  and the endpoint is skipped for `FALLBACK_COOLDOWN_SECONDS`. The node that fell back records
  it in the turn's state (`fallback_backend`, `model_fallbacks`) through `record_fallbacks`.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from langchain_core.language_models import BaseChatModel
from langgraph.constants import TAG_NOSTREAM
from langgraph.types import Command

from nodes.llm.brain import load_brain
from nodes.llm.fallbacks import EndpointHealth, Role, fallbacks_noted
from nodes.llm.offline import OfflineChatModel
from nodes.llm.verified import RejectsInvalidOutput
from state.schema import SupportState
from state.settings import Settings
from state.stores.help_center import load_help_center

logger = logging.getLogger(__name__)

OPENAI_MAX_RETRIES = 2
"""Retries of the OpenAI client itself (exponential backoff with jitter) before falling back."""
DECISION_ROLES = frozenset({"guardrail", "faq", "triage"})
"""Roles whose model output is an internal decision (a verdict, a chosen entry, a ticket
classification), not words for the customer: tagged so `messages` streams leave it out."""

R = TypeVar("R")


class OfflineModel(RejectsInvalidOutput, OfflineChatModel):
    """The offline backend, with verified structured outputs like the hosted one."""


@dataclass
class ModelProvider:
    """Builds and caches one chat model per role."""

    settings: Settings
    _models: dict[Role, BaseChatModel] = field(default_factory=dict)
    _offline: dict[Role, BaseChatModel] = field(default_factory=dict)
    health: EndpointHealth = field(default_factory=EndpointHealth)

    @property
    def backend(self) -> str:
        return self.settings.resolved_backend

    def for_role(self, role: Role) -> BaseChatModel:
        if role not in self._models:
            model = self._build(role)
            if role in DECISION_ROLES:
                model = model.model_copy(update={"tags": [*(model.tags or []), TAG_NOSTREAM]})
            self._models[role] = model
        return self._models[role]

    async def offline_for(self, role: Role) -> BaseChatModel:
        """The offline model for `role`, built on first use off the event loop (it may train)."""
        if role not in self._offline:
            self._offline[role] = await asyncio.to_thread(self._build_offline, role)
        return self._offline[role]

    def record_fallbacks(self, node: Callable[..., Awaitable[R]]) -> Callable[..., Awaitable[R]]:
        """`node`, adding to its state update which of its model calls fell back."""
        if self.backend == "offline":
            return node

        async def recorded(state: SupportState) -> R:
            roles: list[Role] = []
            token = fallbacks_noted.set(roles)
            try:
                result = await node(state)
            finally:
                fallbacks_noted.reset(token)
            return _with_fallbacks(result, state, roles) if roles else result

        return recorded

    def _build(self, role: Role) -> BaseChatModel:
        if self.backend == "openai":
            return self._openai(role)
        return self._build_offline(role)

    def _build_offline(self, role: Role) -> BaseChatModel:
        brain = load_brain(self.settings.data_dir, self.settings.cache_dir)
        entries = load_help_center(self.settings.data_dir / "help_center.yaml")
        korean = self.settings.data_dir / "help_center.ko.yaml"
        translated = load_help_center(korean) if korean.exists() else []
        return OfflineModel(
            role=role,
            brain=brain,
            help_center_answers={e.id: e.answer for e in entries},
            help_center_categories={e.id: e.category for e in entries},
            help_center_answers_ko={e.id: e.answer for e in translated},
        )

    def _openai(self, role: Role) -> BaseChatModel:
        from nodes.llm.hosted import HostedChatModel  # langchain_openai takes ~1 s to import

        model = HostedChatModel(
            model=self.settings.openai_model,
            api_key=self.settings.openai_api_key,
            base_url=self.settings.openai_base_url,
            temperature=0,
            timeout=self.settings.openai_timeout_seconds,
            max_retries=OPENAI_MAX_RETRIES,
        )
        return model.with_fallback(role, lambda: self.offline_for(role), self.health)


def _with_fallbacks(result: R, state: SupportState, roles: list[Role]) -> R:
    def recorded(update: dict[str, Any]) -> dict[str, Any]:
        # A node that starts the turn resets the field in its own update: build on that.
        earlier = update.get("model_fallbacks", state.model_fallbacks)
        known = list(earlier or [])
        return {
            **update,
            "fallback_backend": "offline",
            "model_fallbacks": known + [r for r in roles if r not in known],
        }

    if isinstance(result, Command) and isinstance(result.update, dict | None):
        return cast(R, dataclasses.replace(result, update=recorded(result.update or {})))
    if isinstance(result, dict):
        return cast(R, recorded(result))
    return result
