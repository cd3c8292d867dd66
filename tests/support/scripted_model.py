"""A chat model whose replies a test scripts, and a provider that hands it to chosen roles.

The model goes through the product's structured-output verifier (`RejectsInvalidOutput`), so
a test can make it propose anything, valid or not, and watch the graph verify it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel, LanguageModelInput
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.runnables import Runnable
from langchain_core.tools import BaseTool
from langchain_core.utils.function_calling import convert_to_openai_tool
from pydantic import Field

from graphs.deps import SupportDeps
from nodes.llm.provider import ModelProvider
from nodes.llm.verified import RejectsInvalidOutput

Reply = Callable[[list[BaseMessage], list[str]], AIMessage]
"""What the model says, given the prompt and the names of the tools bound to it."""


def call(name: str, **args: Any) -> AIMessage:
    return AIMessage("", tool_calls=[{"name": name, "args": args, "id": f"call_{uuid.uuid4()}"}])


class ScriptedModel(RejectsInvalidOutput):
    reply: Reply
    prompts: list[list[BaseMessage]] = Field(default_factory=list)
    """Every prompt the model received, in order."""

    @property
    def _llm_type(self) -> str:
        return "scripted"

    def bind_tools(
        self,
        tools: Sequence[dict[str, Any] | type | Callable[..., Any] | BaseTool],
        *,
        tool_choice: str | None = None,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, AIMessage]:
        formatted = [convert_to_openai_tool(t) for t in tools]
        return self.bind(tools=formatted)

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        self.prompts.append(list(messages))
        tools = [t["function"]["name"] for t in kwargs.get("tools") or []]
        return ChatResult(generations=[ChatGeneration(message=self.reply(messages, tools))])


def scripted(reply: Reply) -> ScriptedModel:
    return ScriptedModel(reply=reply)


@dataclass
class ScriptedModels(ModelProvider):
    """The offline models, except for the roles a test scripts."""

    scripts: dict[str, BaseChatModel] = field(default_factory=dict)

    def _build(self, role: str) -> BaseChatModel:
        return self.scripts.get(role) or super()._build(role)


def with_models(deps: SupportDeps, **scripts: BaseChatModel) -> SupportDeps:
    """`deps` whose model provider answers with `scripts` for those roles."""
    models = ScriptedModels(deps.models.settings, scripts=scripts)
    return SupportDeps(
        models=models, help_center=deps.help_center, customers=deps.customers, records=deps.records
    )
