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
from langchain_core.messages import (
    AIMessage,
    BaseMessage,
    HumanMessage,
    SystemMessage,
    ToolMessage,
)
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.runnables import Runnable
from langchain_core.tools import BaseTool
from langchain_core.utils.function_calling import convert_to_openai_tool
from pydantic import ConfigDict, Field

from nodes.language import Language, detect_language
from nodes.llm import extract, replies
from nodes.llm.brain import ACTION_MIN_CONFIDENCE, OfflineBrain
from state.outputs import NO_ANSWER
from state.specialists import ACTION_LABELS, specialist_for_label, tool_for_label

FAQ_CANDIDATE = re.compile(r"^\[(faq-\d{3})\]", re.M)
TROUBLESHOOTING_CATEGORIES = frozenset({"internet", "technical", "mobile"})
"""Help-center categories whose entries a network-status reply may add as steps to try."""
READ_INSTEAD_OF_ACTION = {
    "refund": "get_invoices",
    "change_plan": "get_plan",
    "cancel_service": "get_plan",
    "swap_sim": "get_plan",
    "activate_esim": "get_plan",
}
"""What a specialist reads for a question about whether an action is needed or what it would
do ("will I need to cancel?"): the records it is about, never the action itself."""
QUESTION_LINE = re.compile(r"^Question:\s*(.+)$", re.M)
SIGNED_IN_LINE = re.compile(r"^Signed-in customer:\s*(.+)$", re.M)
ENTRY_ANSWER = re.compile(r"^\[(faq-\d{3})\] Q: .*\nA: (.+)$", re.M)


class OfflineChatModel(BaseChatModel):
    """One role's deterministic stand-in for a hosted chat model."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    role: str
    brain: OfflineBrain
    help_center_answers: dict[str, str]
    help_center_categories: dict[str, str] = Field(default_factory=dict)
    help_center_answers_ko: dict[str, str] = Field(default_factory=dict)
    """Korean answers by the same ids, for customers who write in Korean."""

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
            route = self.brain.route(text, targets, signed_in=_signed_in(messages))
            return _call(f"transfer_to_{route}", {"reason": f"the customer needs {route}"})
        return self._act_as_specialist(messages, text, tools)

    def _answer_faq(self, prompt: str) -> AIMessage:
        question_match = QUESTION_LINE.search(prompt)
        question = question_match.group(1) if question_match else prompt
        candidates = FAQ_CANDIDATE.findall(prompt)
        choice = self.brain.choose_faq(question, candidates)
        if choice.faq_id is None:
            return _call("FaqAnswer", {"faq_id": None, "answer": NO_ANSWER})
        given = dict(ENTRY_ANSWER.findall(prompt))  # the entry as shown, in the question's language
        answer = given.get(choice.faq_id) or self.help_center_answers[choice.faq_id]
        return _call("FaqAnswer", {"faq_id": choice.faq_id, "answer": answer})

    def _act_as_specialist(
        self, messages: list[BaseMessage], text: str, tools: list[str]
    ) -> AIMessage:
        language = detect_language(text)
        label, confidence = self.brain.specialist_choice(text)
        result = _own_tool_result(messages, tools)
        if result is not None:
            return self._reply_to_tool(result, text, label, tools, language)
        tool_name = tool_for_label(label)
        if tool_name in tools:
            if label in ACTION_LABELS:
                read = READ_INSTEAD_OF_ACTION.get(label)
                if extract.asks_whether(text) and read in tools:
                    return _call(str(read), {})
                question = self._doubt(label, confidence, text, language)
                if question is not None:
                    return AIMessage(content=question)
                no_amount = extract.money_amount(text) is None
                if label == "refund" and no_amount and "get_invoices" in tools:
                    return _call("get_invoices", {})
            return _call(tool_name, _arguments(label, text))
        owner = specialist_for_label(label)
        target = owner.name if owner else None
        if target and f"transfer_to_{target}" in tools:
            return _call(f"transfer_to_{target}", {"reason": f"this is a {target} request"})
        if "transfer_back_to_router" in tools:
            return _call("transfer_back_to_router", {"reason": "outside my scope"})
        return AIMessage(content="I'm sorry, I can't help with that here.")

    @staticmethod
    def _doubt(label: str, confidence: float, text: str, language: Language) -> str | None:
        """The question to ask instead of proposing `label`, when the reading is unsure.

        A wrong cancellation is worse than a question back: a sensitive action is proposed
        only on a confident reading, a cancellation only on words that ask for one, a SIM
        swap only on a SIM or phone named, a Korean message only when it asks for something
        (not when it reports what was done), never on a what-if ("will I need to cancel?"),
        and a plan change only once the customer has named the plan."""
        if confidence < ACTION_MIN_CONFIDENCE:
            return replies.CLARIFY_ACTION[language]
        if language == "ko" and not extract.asks_in_korean(text):
            return replies.CLARIFY_ACTION[language]  # a report of what happened, not a request
        if label == "swap_sim" and not extract.names_sim_or_phone(text):
            return replies.CLARIFY_ACTION[language]
        if extract.asks_whether(text):
            return replies.CLARIFY_ACTION[language]  # a what-if, not a request
        if label == "cancel_service" and not extract.asks_to_cancel(text):
            return replies.CLARIFY_ACTION[language]
        if label == "change_plan" and extract.plan_target(text) is None:
            return replies.WHICH_PLAN[language]
        return None

    def _reply_to_tool(
        self, result: ToolMessage, text: str, label: str, tools: list[str], language: Language
    ) -> AIMessage:
        content = str(result.content)
        if result.status == "error":
            detail = replies.in_korean(content) if language == "ko" else content
            return AIMessage(content=replies.CANNOT_DO[language].format(detail=detail))
        if result.name == "get_invoices" and label == "refund" and "request_refund" in tools:
            choice = replies.choose_refund(text, content, language)
            if choice.question is not None:
                return AIMessage(content=choice.question)
            if choice.charge is None:
                return _call("request_refund", _arguments("refund", text))
            charge = choice.charge
            return _call(
                "request_refund",
                {
                    "description": charge.description,
                    "amount": charge.amount,
                    "invoice_id": charge.invoice_id,
                    "reason": text,
                },
            )
        said = replies.in_korean(content) if language == "ko" else content
        if result.name == "get_network_status":
            steps = self._troubleshooting(text, language)
            return AIMessage(content=replies.network_reply(said, steps, language))
        return AIMessage(content=said)

    def _troubleshooting(self, text: str, language: Language) -> str | None:
        """The help-center entry with steps for what the customer describes, if one fits."""
        candidates = [
            faq_id
            for faq_id, category in self.help_center_categories.items()
            if category in TROUBLESHOOTING_CATEGORIES
        ]
        if not candidates:
            return None
        ranked = [label for label, _ in self.brain.faq_ranked(text) if label in candidates]
        if not ranked:
            return None
        answers = self.help_center_answers_ko if language == "ko" else {}
        return answers.get(ranked[0]) or self.help_center_answers.get(ranked[0])


def _call(name: str, args: dict[str, Any]) -> AIMessage:
    call_id = f"call_{uuid.uuid4().hex[:24]}"
    return AIMessage(content="", tool_calls=[{"name": name, "args": args, "id": call_id}])


def _signed_in(messages: Sequence[BaseMessage]) -> bool:
    """Whether the router's prompt names a signed-in customer."""
    for message in messages:
        if isinstance(message, SystemMessage):
            found = SIGNED_IN_LINE.search(message.text)
            if found:
                return not found.group(1).startswith("nobody")
    return True


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
