"""The offline chat model: deterministic and local, speaking LangChain's chat-model protocol.

It reads the same prompts and binds the same tools as a hosted model, and answers with the same
tool calls (handoffs, lookups, sensitive actions, structured outputs), so the graph cannot tell
the backends apart. Its judgement comes from `OfflineBrain`'s classifiers.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from langchain_core.callbacks import AsyncCallbackManagerForLLMRun, CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel, LanguageModelInput
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.runnables import Runnable
from langchain_core.tools import BaseTool
from langchain_core.utils.function_calling import convert_to_openai_tool
from pydantic import ConfigDict

from nodes.llm import extract
from nodes.llm.brain import OfflineBrain
from state.outputs import NO_ANSWER
from state.specialists import specialist_for_label, tool_for_label

FAQ_CANDIDATE = re.compile(r"^\[(faq-\d{3})\]", re.M)
QUESTION_LINE = re.compile(r"^Question:\s*(.+)$", re.M)


class OfflineChatModel(BaseChatModel):
    """One role's deterministic stand-in for a hosted chat model."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    role: str
    brain: OfflineBrain
    help_center_answers: dict[str, str]

    @property
    def _llm_type(self) -> str:
        return "supportgraph-offline"

    def bind_tools(
        self,
        tools: Sequence[dict[str, Any] | type | Callable[..., Any] | BaseTool],
        *,
        tool_choice: str | None = None,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, AIMessage]:
        kwargs.pop("parallel_tool_calls", None)
        kwargs.pop("ls_structured_output_format", None)
        formatted = [convert_to_openai_tool(t) for t in tools]
        return self.bind(tools=formatted, tool_choice=tool_choice, **kwargs)

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        tools = [t["function"]["name"] for t in kwargs.get("tools") or []]
        message = self._respond(messages, tools)
        return ChatResult(generations=[ChatGeneration(message=message)])

    async def _agenerate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        """Decide in the event loop: a decision costs less than the default's thread hop."""
        return self._generate(messages, stop, None, **kwargs)

    def _respond(self, messages: list[BaseMessage], tools: list[str]) -> AIMessage:
        text = _last_human_text(messages)
        if "GuardrailVerdict" in tools:
            reason = self.brain.block_reason(text)
            return _call("GuardrailVerdict", {"blocked": reason is not None, "reason": reason})
        if "TicketClassification" in tools:
            category, priority = self.brain.ticket(text)
            summary = " ".join(text.split())[:160]
            return _call(
                "TicketClassification",
                {"category": category, "priority": priority, "summary": summary},
            )
        if "FaqAnswer" in tools:
            return self._answer_faq(text)
        if self.role == "router":
            targets = [
                t.removeprefix("transfer_to_") for t in tools if t.startswith("transfer_to_")
            ]
            route = self.brain.route(text, targets)
            return _call(f"transfer_to_{route}", {"reason": f"the customer needs {route}"})
        return self._act_as_specialist(messages, text, tools)

    def _answer_faq(self, prompt: str) -> AIMessage:
        question_match = QUESTION_LINE.search(prompt)
        question = question_match.group(1) if question_match else prompt
        candidates = FAQ_CANDIDATE.findall(prompt)
        choice = self.brain.choose_faq(question, candidates)
        if choice.faq_id is None:
            return _call("FaqAnswer", {"faq_id": None, "answer": NO_ANSWER})
        answer = self.help_center_answers[choice.faq_id]
        return _call("FaqAnswer", {"faq_id": choice.faq_id, "answer": answer})

    def _act_as_specialist(
        self, messages: list[BaseMessage], text: str, tools: list[str]
    ) -> AIMessage:
        result = _own_tool_result(messages, tools)
        if result is not None:
            return AIMessage(content=_reply_from_tool(result))
        label = self.brain.specialist_label(text)
        tool_name = tool_for_label(label)
        if tool_name in tools:
            return _call(tool_name, _arguments(label, text))
        owner = specialist_for_label(label)
        target = owner.name if owner else None
        if target and f"transfer_to_{target}" in tools:
            return _call(f"transfer_to_{target}", {"reason": f"this is a {target} request"})
        if "transfer_back_to_router" in tools:
            return _call("transfer_back_to_router", {"reason": "outside my scope"})
        return AIMessage(content="I'm sorry, I can't help with that here.")


def _call(name: str, args: dict[str, Any]) -> AIMessage:
    call_id = f"call_{uuid.uuid4().hex[:24]}"
    return AIMessage(content="", tool_calls=[{"name": name, "args": args, "id": call_id}])


def _last_human_text(messages: Sequence[BaseMessage]) -> str:
    for message in reversed(messages):
        if isinstance(message, HumanMessage):
            return message.text if hasattr(message, "text") else str(message.content)
    return ""


def _own_tool_result(messages: Sequence[BaseMessage], tools: list[str]) -> ToolMessage | None:
    """The result of a non-handoff tool this agent called after the customer's last message."""
    for message in reversed(messages):
        if isinstance(message, HumanMessage):
            return None
        if (
            isinstance(message, ToolMessage)
            and message.name in tools
            and not (message.name or "").startswith("transfer_")
        ):
            return message
    return None


def _reply_from_tool(result: ToolMessage) -> str:
    content = str(result.content)
    if result.status == "error":
        return f"I'm sorry, that could not be done. {content}"
    return content


def _arguments(label: str, text: str) -> dict[str, Any]:
    if label == "refund":
        return {"description": text, "amount": extract.money_amount(text), "reason": text}
    if label == "change_plan":
        return {"new_plan": extract.plan_target(text), "reason": text}
    if label == "cancel_service":
        return {"service": extract.cancel_target(text), "reason": text}
    if label == "swap_sim":
        return {"sim_type": extract.sim_type(text), "reason": text}
    if label == "activate_esim":
        return {"reason": text}
    return {}
