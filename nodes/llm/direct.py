"""Model calls without LangChain's runnable layers: one `agenerate`, its output read directly.

`bind_tools` returns a `RunnableBinding`, and `with_structured_output` a `RunnableSequence` of
that binding, (for `ChatOpenAI`) a refusal check and a tool-call parser. Each layer configures
its own callbacks, opens and closes a run of its own and merges configs on every call: about
four times the CPU of the model call itself on the offline backend, and more for each
callback handler a streamed run attaches. `DirectCall` keeps what the layers computed once
(the formatted tools, the tool choice, the traced schema) and, per call, sends the messages
with them through the chat model's public `agenerate`, as `BaseChatModel.ainvoke` does: the
same `on_chat_model_start` / `on_llm_new_token` / `on_llm_end` callbacks with the node's tags
and metadata, so `messages` streams still receive tokens and the `events` mode still sees
the model. A structured output is then read from the message's first tool call and
validated against its schema; one that does not fit is `None` (the node takes its safe
fallback), as `VerifiedToolsParser` decided it.

The one difference a client can see: chains inside a node no longer exist, so a model
event's parent is the node's run instead of an intermediate sequence nobody was told about.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any, cast

from langchain_core.language_models import BaseChatModel, LanguageModelInput
from langchain_core.messages import AIMessage, BaseMessage, convert_to_messages
from langchain_core.outputs import ChatGeneration, LLMResult
from langchain_core.prompt_values import PromptValue
from langchain_core.runnables import Runnable, RunnableConfig, ensure_config
from pydantic import BaseModel, ValidationError

logger = logging.getLogger(__name__)

Check = Callable[[AIMessage], None]
"""Raises for an answer the backend treats as a failure (a refusal), else returns."""

Parse = Callable[[AIMessage], Any]
"""What the caller receives for the model's message."""


class DirectCall(Runnable[LanguageModelInput, Any]):
    """A chat model with options bound once, called in one step (module docstring)."""

    def __init__(
        self,
        model: BaseChatModel,
        options: dict[str, Any],
        parse: Parse | None = None,
        check: Check | None = None,
    ) -> None:
        self.model = model
        self.options = options
        """Per-call keyword arguments of the model (tools, tool choice, traced schema)."""
        self.parse = parse
        self.check = check

    async def ainvoke(
        self, input: LanguageModelInput, config: RunnableConfig | None = None, **kwargs: Any
    ) -> Any:
        result = await self.model.agenerate([_messages(input)], **self._call(config, kwargs))
        return self._read(result)

    def invoke(
        self, input: LanguageModelInput, config: RunnableConfig | None = None, **kwargs: Any
    ) -> Any:
        result = self.model.generate([_messages(input)], **self._call(config, kwargs))
        return self._read(result)

    def _call(self, config: RunnableConfig | None, kwargs: dict[str, Any]) -> dict[str, Any]:
        """What one generate call takes: the node's config (from the running graph's context
        when none is given) and the options the backend formatted once."""
        config = ensure_config(config)
        return {
            "callbacks": config.get("callbacks"),
            "tags": config.get("tags"),
            "metadata": config.get("metadata"),
            "run_name": config.get("run_name"),
            "run_id": config.pop("run_id", None),
            **self.options,
            **kwargs,
        }

    def _read(self, result: LLMResult) -> Any:
        message = cast(ChatGeneration, result.generations[0][0]).message
        if not isinstance(message, AIMessage):  # a chat model answers with an AIMessage
            message = AIMessage(content=message.content, id=message.id)
        return self._read_message(message)

    def _read_message(self, message: AIMessage) -> Any:
        """What the caller receives for the model's message: checked, then parsed."""
        if self.check is not None:
            self.check(message)
        return self.parse(message) if self.parse is not None else message


def _messages(input: LanguageModelInput) -> list[BaseMessage]:
    if isinstance(input, PromptValue):
        return input.to_messages()
    if isinstance(input, str):
        return convert_to_messages([input])
    messages = list(cast(Sequence[Any], input))
    if all(isinstance(m, BaseMessage) for m in messages):
        return messages
    return convert_to_messages(messages)


def structured(schema: type[BaseModel], tool_name: str) -> Parse:
    """The schema instance in the message's first tool call; `None` when there is none, or it
    names another tool, or its arguments do not fit the schema."""

    def parse(message: AIMessage) -> BaseModel | None:
        if not message.tool_calls:
            if message.invalid_tool_calls:
                logger.warning("rejected a structured output whose arguments are not JSON")
            return None
        call = message.tool_calls[0]
        if call["name"] != tool_name:
            logger.warning("rejected a structured output from another tool: %s", call["name"])
            return None
        try:
            return schema.model_validate(call["args"])
        except ValidationError as exc:
            logger.warning("rejected a structured output that does not fit its schema: %s", exc)
            return None

    return parse
