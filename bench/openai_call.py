"""CPU per model call on the OpenAI backend, against a local instant stub in another process.

Times the three calls of an FAQ turn (guardrail verdict and FAQ answer as structured outputs,
the router's forced handoff as a tool call) along two paths, call by call alternately so that
load from elsewhere on the machine falls on both alike:

* hosted: the project's model (`nodes.llm.hosted.HostedChatModel`, as the provider builds it);
* chatopenai: `langchain_openai.ChatOpenAI` with the same settings, LangChain's own path;

and, for scale, the bare HTTP exchange: `httpx.AsyncClient.post` of the same request body.
CPU is this process's (`time.process_time`); the stub runs in a process of its own.

    python -m bench.openai_call [--calls 300]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import statistics
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage
from langchain_openai import ChatOpenAI
from pydantic import BaseModel

from bench.turn_growth import serve_stub
from nodes.llm.hosted import HostedChatModel
from nodes.llm.provider import OPENAI_MAX_RETRIES
from tests.support.openai_stub import Rule, Text, ToolCall


class GuardrailVerdict(BaseModel):
    """Whether the message is blocked."""

    blocked: bool


class FaqAnswer(BaseModel):
    """The help-center entry that answers the question."""

    faq_id: str
    answer: str


def transfer_to_faq(reason: str) -> str:
    """Hand the conversation to the FAQ agent."""
    return reason


RULES = (
    Rule(offers="GuardrailVerdict", reply=ToolCall("GuardrailVerdict", {"blocked": False})),
    Rule(offers="transfer_to_faq", reply=ToolCall("transfer_to_faq", {"reason": "faq"})),
    Rule(offers="FaqAnswer", reply=ToolCall("FaqAnswer", {"faq_id": "x", "answer": "9 to 5"})),
    Rule(reply=Text("ok")),
)
MESSAGES = [SystemMessage("You are a support agent. " * 20), HumanMessage("when do you open?")]

Call = Callable[[], Awaitable[Any]]


def calls_of(model: BaseChatModel) -> dict[str, Call]:
    verdict = model.with_structured_output(GuardrailVerdict, method="function_calling")
    router = model.bind_tools([transfer_to_faq], tool_choice="any", parallel_tool_calls=False)
    faq = model.with_structured_output(FaqAnswer, method="function_calling")
    return {
        "guardrail": lambda: verdict.ainvoke(MESSAGES),
        "router": lambda: router.ainvoke(MESSAGES),
        "faq": lambda: faq.ainvoke(MESSAGES),
    }


async def run(calls: int) -> None:
    parent, child = multiprocessing.get_context("spawn").Pipe()
    process = multiprocessing.get_context("spawn").Process(
        target=serve_stub, args=(RULES, child), daemon=True
    )
    process.start()
    base_url = parent.recv()
    settings: dict[str, Any] = {
        "model": "gpt-4o-mini",
        "api_key": "bench",
        "base_url": base_url,
        "temperature": 0,
        "timeout": 30,
        "max_retries": OPENAI_MAX_RETRIES,
    }
    paths = {
        "hosted": calls_of(HostedChatModel(**settings)),
        "chatopenai": calls_of(ChatOpenAI(**settings)),
    }
    body = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}]}
    async with httpx.AsyncClient(base_url=base_url) as client:
        paths["httpx"] = {"bare": lambda: client.post("/chat/completions", json=body)}
        cpu: dict[tuple[str, str], list[float]] = {}
        for round_ in range(calls + 20):
            for path, named in paths.items():
                for name, call in named.items():
                    started = time.process_time()
                    await call()
                    if round_ >= 20:  # warm-up
                        cpu.setdefault((path, name), []).append(time.process_time() - started)
    parent.send("stop")
    process.join(10)
    print(f"CPU ms per call, median of {calls} (this process only; stub in another process)")
    for (path, name), values in cpu.items():
        print(f"  {path:<11}{name:<10}{statistics.median(values) * 1000:8.2f}")
    for path in ("hosted", "chatopenai"):
        turn = sum(statistics.median(v) for (p, _), v in cpu.items() if p == path) * 1000
        print(f"  {path:<11}{'3 calls':<10}{turn:8.2f}   (one FAQ turn's model calls)")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--calls", type=int, default=300)
    asyncio.run(run(parser.parse_args().calls))


if __name__ == "__main__":
    main()
