"""The offline model decides without a thread hop, and the checkpoint serializer's shortcut
returns exactly what the library's normalisation returns."""

from __future__ import annotations

import base64
import dataclasses
import threading
from typing import Any

import orjson
import pytest
from langchain_core.callbacks import AsyncCallbackHandler
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from langgraph.checkpoint.redis.jsonplus_redis import JsonPlusRedisSerializer
from langgraph.types import Interrupt, Send

from nodes.llm.brain import OfflineBrain
from nodes.llm.offline import OfflineChatModel
from state.checkpoint.serde import SupportRedisSerializer
from state.outputs import GuardrailVerdict
from state.schema import TurnStatus

PROMPT = [SystemMessage("screen this"), HumanMessage("hello there")]
REPLY = AIMessage(
    content="", tool_calls=[{"name": "GuardrailVerdict", "args": {"blocked": True}, "id": "c1"}]
)


class Scripted(OfflineChatModel):
    """An offline model that always replies with `REPLY`, noting the thread it decided on."""

    threads: list[int]

    def _respond(self, messages: list[BaseMessage], tools: list[str]) -> AIMessage:
        self.threads.append(threading.get_ident())
        return REPLY


def _scripted() -> Scripted:
    brain: Any = object.__new__(OfflineBrain)  # never consulted: `_respond` is scripted
    return Scripted(role="guardrail", brain=brain, help_center_answers={}, threads=[])


async def test_the_offline_model_decides_on_the_event_loop() -> None:
    model = _scripted()
    structured = model.with_structured_output(GuardrailVerdict, method="function_calling")
    assert await structured.ainvoke(PROMPT) == GuardrailVerdict(blocked=True)
    assert await model.ainvoke(PROMPT) == REPLY
    assert model.threads == [threading.get_ident()] * 2
    assert model.invoke(PROMPT) == REPLY


class Recorder(AsyncCallbackHandler):
    def __init__(self) -> None:
        self.events: list[str] = []

    async def on_chat_model_start(self, serialized: Any, messages: Any, **kwargs: Any) -> None:
        self.events.append("chat_model_start")

    async def on_llm_end(self, response: Any, **kwargs: Any) -> None:
        self.events.append(f"llm_end:{response.generations[0][0].message.tool_calls[0]['name']}")


async def test_the_offline_models_calls_still_reach_callbacks() -> None:
    recorder = Recorder()
    await _scripted().ainvoke(PROMPT, {"callbacks": [recorder]})
    assert recorder.events == ["chat_model_start", "llm_end:GuardrailVerdict"]


@dataclasses.dataclass
class Note:
    text: str
    tags: list[str]


SAMPLES: list[Any] = [
    None,
    True,
    3,
    2.5,
    float("nan"),
    "plain",
    TurnStatus.RESOLVED,
    b"\x00raw",
    bytearray(b"raw"),
    {"a": [1, {"b": (2, 3)}], "c": {"d", "e"}, 4: "int key"},
    [HumanMessage("hi", id="h1"), AIMessage("hello", id="a1")],
    {"pending": Send("node", {"x": [1, 2]}), "note": Note("n", ["t"])},
    (Interrupt(value={"kind": "approval", "args": [1]}, id="i1"),),
    {"messages": [AIMessage(content="", tool_calls=[{"name": "t", "args": {}, "id": "c"}])]},
]


@pytest.mark.parametrize("sample", SAMPLES, ids=[type(s).__name__ for s in SAMPLES])
@pytest.mark.parametrize("with_bytes", [False, True])
def test_serializer_normalises_as_the_library(sample: Any, with_bytes: bool) -> None:
    def encode(raw: bytes) -> str:
        return base64.b64encode(raw).decode()

    ours, library = SupportRedisSerializer(), JsonPlusRedisSerializer()
    kwargs: dict[str, Any] = {"encode_bytes": encode} if with_bytes else {}
    got = ours._preprocess_redis_json(sample, **kwargs)
    expected = library._preprocess_redis_json(sample, **kwargs)
    assert type(got) is type(expected)

    def dump(value: Any) -> bytes:
        return orjson.dumps(value, default=library._default_handler, option=orjson.OPT_NON_STR_KEYS)

    try:
        expected_json = dump(expected)
    except TypeError:  # raw bytes without an encoder: the library falls back to msgpack
        with pytest.raises(TypeError):
            dump(got)
        return
    assert dump(got) == expected_json
    assert ours.dumps_typed(sample) == library.dumps_typed(sample)
