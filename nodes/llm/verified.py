"""Structured outputs verified against their schema: one that does not fit becomes `None`."""

from __future__ import annotations

import logging
from typing import Any

from langchain_core.exceptions import OutputParserException
from langchain_core.language_models import BaseChatModel, LanguageModelInput
from langchain_core.output_parsers.openai_tools import PydanticToolsParser
from langchain_core.outputs import Generation
from langchain_core.runnables import Runnable, RunnableBinding, RunnableSequence
from langchain_core.utils.function_calling import convert_to_openai_tool

logger = logging.getLogger(__name__)


class VerifiedToolsParser(PydanticToolsParser):
    """Parses the structured output's tool call; one that does not fit the schema is `None`."""

    def parse_result(self, result: list[Generation], *, partial: bool = False) -> Any:
        try:
            return super().parse_result(result, partial=partial)
        except (OutputParserException, ValueError) as exc:  # ValidationError is a ValueError
            if partial:
                raise
            logger.warning("rejected a structured output that does not fit its schema: %s", exc)
            return None

    async def aparse_result(self, result: list[Generation], *, partial: bool = False) -> Any:
        """Parsing is cheap: done inline, not on the default executor's threads."""
        return self.parse_result(result, partial=partial)


class RejectsInvalidOutput(BaseChatModel):
    """A chat model whose Pydantic structured outputs are verified: invalid ones become `None`.

    The model's own parser is swapped for `VerifiedToolsParser`, so verifying costs nothing
    extra per call, and a failed model call still raises, for the node's retry policy and the
    backend fallback to see.

    The schema that LangChain hands tracing with every call (`ls_structured_output_format`) is
    converted to JSON schema once here instead of on every call (a Pydantic schema generation,
    about 0.3 ms a call); tracing receives the same schema.
    """

    def with_structured_output(
        self, schema: Any = None, *, include_raw: bool = False, **kwargs: Any
    ) -> Runnable[LanguageModelInput, Any]:
        structured = super().with_structured_output(schema, include_raw=include_raw, **kwargs)
        # Offline: model | parser. ChatOpenAI puts a refusal check in between: model | check |
        # parser. Either way the parser is the last step.
        if (
            include_raw
            or not isinstance(structured, RunnableSequence)
            or not isinstance(structured.last, PydanticToolsParser)
        ):
            return structured
        parser = structured.last
        verified = VerifiedToolsParser(tools=parser.tools, first_tool_only=parser.first_tool_only)
        return RunnableSequence(
            _schema_converted(structured.first), *structured.steps[1:-1], verified
        )


def _schema_converted(step: Runnable[Any, Any]) -> Runnable[Any, Any]:
    """The model binding with its traced schema as an OpenAI tool dict, converted once."""
    traced = (
        step.kwargs.get("ls_structured_output_format")
        if isinstance(step, RunnableBinding)
        else None
    )
    if not isinstance(traced, dict) or isinstance(traced.get("schema"), dict):
        return step
    assert isinstance(step, RunnableBinding)
    schema = convert_to_openai_tool(traced["schema"])
    return step.bind(ls_structured_output_format={**traced, "schema": schema})
