"""FAQ: agentic RAG over the help center. Answer from one retrieved entry, or `no_answer`.

The model proposes an entry and an answer; `is_grounded` decides. Anything not grounded goes
to triage, never to a guess.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

from nodes.base import AsyncNode
from nodes.context import last_customer_text
from nodes.grounding import is_grounded
from nodes.language import detect_language, english_gloss
from state.outputs import NO_ANSWER, FaqAnswer
from state.schema import SupportState, TurnStatus
from state.stores.help_center import HelpCenterEntry, HelpCenterIndex

PROMPT = f"""You answer Nimbus Telecom customers ONLY from the help-center entries given.
Pick the one entry that answers the question and answer with its facts, in its words, setting
faq_id to that entry's id. If no entry answers it, or the customer reports a problem the entry
does not fix, set faq_id to null and answer exactly "{NO_ANSWER}". Never add facts.
Answer in the language of the question; entries are given in that language when we have it."""

TOP_K = 4


def format_entries(question: str, entries: list[HelpCenterEntry]) -> str:
    blocks = [f"[{e.id}] Q: {e.question}\nA: {e.answer}" for e in entries]
    return f"Question: {question}\n\nEntries:\n" + "\n\n".join(blocks)


def make_faq(
    model: BaseChatModel,
    index: HelpCenterIndex,
    translations: Mapping[str, HelpCenterEntry] | None = None,
) -> AsyncNode:
    """`translations`: the entries in Korean by id; a Korean question is answered, and
    verified, against them."""
    answerer = model.with_structured_output(FaqAnswer, method="function_calling")
    korean = translations or {}

    async def answer_from_help_center(state: SupportState) -> dict[str, Any]:
        question = last_customer_text(state.messages)
        found = await index.search(english_gloss(question), k=TOP_K)
        entries = [r.entry for r in found]
        if detect_language(question) == "ko":
            entries = [korean.get(e.id, e) for e in entries]
        result = await answerer.ainvoke(
            [SystemMessage(PROMPT), HumanMessage(format_entries(question, entries))]
        )
        proposal = result if isinstance(result, FaqAnswer) else None
        candidates = {e.id: e for e in entries}
        entry = candidates.get(proposal.faq_id or "") if proposal else None
        if proposal is None or entry is None or not is_grounded(proposal.answer, entry):
            return {"route": "faq", "faq_id": None}
        return {
            "messages": [AIMessage(content=proposal.answer, name="faq")],
            "route": "faq",
            "faq_id": entry.id,
            "status": TurnStatus.FAQ_ANSWERED,
        }

    return answer_from_help_center


def route_after_faq(state: SupportState) -> str:
    return "__end__" if state.status == TurnStatus.FAQ_ANSWERED else "triage"
