"""Direct model calls keep what clients see: tokens in `messages` streams (none from a model
tagged not to stream), the node's metadata on them, and the parsed structured output."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from typing import Any, TypedDict

from langchain_core.callbacks import AsyncCallbackManagerForLLMRun, CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel, LanguageModelInput
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, HumanMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from langchain_core.runnables import Runnable
from langchain_core.tools import BaseTool
from langchain_core.utils.function_calling import convert_to_openai_tool
from langgraph.constants import TAG_NOSTREAM
from langgraph.graph import START, StateGraph
from pydantic import Field

from nodes.llm.direct import DirectCall
from nodes.llm.verified import RejectsInvalidOutput
from state.outputs import FaqAnswer

WORDS = ["Stores ", "open ", "at ", "nine."]


class WordChat(BaseChatModel):
    """Answers in words, one chunk per word when streamed; a FaqAnswer when offered one."""

    calls: list[dict[str, Any]] = Field(default_factory=list)

    @property
    def _llm_type(self) -> str:
        return "words"

    def bind_tools(
        self,
        tools: Sequence[dict[str, Any] | type | Callable[..., Any] | BaseTool],
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, AIMessage]:
        kwargs.pop("ls_structured_output_format", None)
        return self.bind(tools=[convert_to_openai_tool(t) for t in tools], **kwargs)

    def _answer(self, **kwargs: Any) -> AIMessage:
        self.calls.append(kwargs)
        if any(t["function"]["name"] == "FaqAnswer" for t in kwargs.get("tools") or []):
            args = {"faq_id": "faq-001", "answer": "".join(WORDS)}
            return AIMessage("", tool_calls=[{"name": "FaqAnswer", "args": args, "id": "c1"}])
        return AIMessage("".join(WORDS))

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=self._answer(**kwargs))])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        raise NotImplementedError

    async def _astream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> AsyncIterator[ChatGenerationChunk]:
        self.calls.append(kwargs)
        for word in WORDS:
            yield ChatGenerationChunk(message=AIMessageChunk(content=word))


class WordModel(RejectsInvalidOutput, WordChat):
    """As the backends are built: the product's calls on top of the chat model."""


class State(TypedDict, total=False):
    question: str
    answer: Any


def graph_calling(call: Runnable[Any, Any]) -> Any:
    async def answer(state: State) -> State:
        answer = await call.ainvoke([HumanMessage(state["question"])])
        # a message in the node's update would be streamed as the node's output: keep words
        return {"answer": answer.content if isinstance(answer, AIMessage) else answer}

    builder = StateGraph(State)
    builder.add_node("answer", answer)
    builder.add_edge(START, "answer")
    return builder.compile()


async def streamed(graph: Any) -> list[tuple[Any, dict[str, Any]]]:
    return [part async for part in graph.astream({"question": "when?"}, stream_mode="messages")]


async def test_a_bound_call_streams_its_tokens_with_the_nodes_metadata() -> None:
    model = WordModel()
    call = model.bind_tools([FaqAnswer], parallel_tool_calls=False)
    assert isinstance(call, DirectCall)

    parts = await streamed(graph_calling(call))

    assert [chunk.content for chunk, _ in parts if chunk.content] == WORDS
    assert {meta["langgraph_node"] for _, meta in parts} == {"answer"}
    assert model.calls[-1]["parallel_tool_calls"] is False


async def test_a_model_tagged_not_to_stream_sends_no_tokens() -> None:
    quiet = WordModel(tags=[TAG_NOSTREAM])

    parts = await streamed(graph_calling(quiet.bind_tools([])))

    assert parts == []


async def test_a_structured_output_is_parsed_from_the_call() -> None:
    model = WordModel()
    structured = model.with_structured_output(FaqAnswer)
    assert isinstance(structured, DirectCall)

    result = await graph_calling(structured).ainvoke({"question": "when?"})

    assert result["answer"] == FaqAnswer(faq_id="faq-001", answer="".join(WORDS))
    assert model.calls[-1]["tool_choice"] == "any"
