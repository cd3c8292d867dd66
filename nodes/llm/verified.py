"""Structured outputs verified against their schema (one that does not fit becomes `None`),
and every bound call made directly (nodes/llm/direct.py), on both backends."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from langchain_core.language_models import BaseChatModel, LanguageModelInput
from langchain_core.messages import AIMessage
from langchain_core.output_parsers.openai_tools import PydanticToolsParser
from langchain_core.runnables import Runnable, RunnableBinding, RunnableSequence
from langchain_core.tools import BaseTool
from langchain_core.utils.function_calling import convert_to_openai_tool
from pydantic import BaseModel

from nodes.llm.direct import DirectCall, structured


class RejectsInvalidOutput(BaseChatModel):
    """A chat model whose Pydantic structured outputs are verified: invalid ones become `None`.

    `bind_tools` and `with_structured_output` let the backend format tools and choose the
    tool as it always does, once, and hand back a `DirectCall` with those options instead of
    LangChain's runnable layers. A failed model call still raises, for the node's retry
    policy and the backend fallback to see.

    The schema that LangChain hands tracing with every call (`ls_structured_output_format`) is
    converted to JSON schema once here instead of on every call (a Pydantic schema generation,
    about 0.3 ms a call); tracing receives the same schema.
    """

    def check_output(self, message: AIMessage) -> None:
        """Raise for a structured answer the backend counts as a failure (none here)."""

    def bind_tools(
        self,
        tools: Sequence[dict[str, Any] | type | Callable[..., Any] | BaseTool],
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, AIMessage]:
        bound = super().bind_tools(tools, **kwargs)
        if isinstance(bound, RunnableBinding) and bound.bound is self and not bound.config:
            return DirectCall(self, dict(bound.kwargs))
        return bound

    def with_structured_output(
        self, schema: Any = None, *, include_raw: bool = False, **kwargs: Any
    ) -> Runnable[LanguageModelInput, Any]:
        layered = super().with_structured_output(schema, include_raw=include_raw, **kwargs)
        # Offline: call | parser. ChatOpenAI puts a refusal check in between: call | check |
        # parser. Either way the call is the first step and the parser the last.
        if (
            include_raw
            or not (isinstance(schema, type) and issubclass(schema, BaseModel))
            or not isinstance(layered, RunnableSequence)
            or not isinstance(layered.last, PydanticToolsParser)
        ):
            return layered
        call = layered.first
        model: Runnable[Any, Any]
        if isinstance(call, DirectCall):
            model, options = call.model, call.options
        elif isinstance(call, RunnableBinding):
            model, options = call.bound, dict(call.kwargs)
        else:
            return layered
        if model is not self:
            return layered
        parse = structured(schema, convert_to_openai_tool(schema)["function"]["name"])
        return DirectCall(self, _schema_converted(options), parse=parse, check=self.check_output)


def _schema_converted(options: dict[str, Any]) -> dict[str, Any]:
    """The options with their traced schema as an OpenAI tool dict, converted once."""
    traced = options.get("ls_structured_output_format")
    if not isinstance(traced, dict) or isinstance(traced.get("schema"), dict):
        return dict(options)
    schema = convert_to_openai_tool(traced["schema"])
    return {**options, "ls_structured_output_format": {**traced, "schema": schema}}
