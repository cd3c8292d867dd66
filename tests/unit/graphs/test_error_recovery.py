"""Error recovery: transient failures are retried, bounded; a model that never stops ends in a
ticket; a model endpoint that is down is recorded when the offline backend stands in.

(The hosted backend's fallback itself needs a socket: tests/integration/test_openai_fallback.py.)
"""

from __future__ import annotations

import dataclasses
from typing import Any

import httpx
import openai
import pytest
from langchain_core.exceptions import OutputParserException
from langchain_core.messages import AIMessage, HumanMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph.state import CompiledStateGraph
from pydantic import BaseModel, ValidationError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from api.turns import send_message, thread_config
from graphs.deps import SupportDeps
from graphs.retry import TRANSIENT_RETRY, is_transient
from graphs.support import build_support_graph
from nodes.llm.fallbacks import note_fallback
from nodes.llm.provider import ModelProvider
from nodes.specialist import MAX_MODEL_STEPS_PER_TURN
from state.schema import SupportState
from state.settings import Settings
from state.stores.help_center import HelpCenterIndex, RetrievedEntry
from state.stores.records import MemoryRecordStore
from tests.support.scripted_model import ScriptedModel, ScriptedModels, call, scripted, with_models
from tools.handoffs import MAX_HANDOFFS_PER_TURN

Graph = CompiledStateGraph[Any, Any, Any, Any]
REQUEST = httpx.Request("POST", "http://model.invalid/v1/chat/completions")


def status_error(cls: type[openai.APIStatusError], status: int) -> openai.APIStatusError:
    return cls("failed", response=httpx.Response(status, request=REQUEST), body=None)


def validation_error() -> ValidationError:
    class Amount(BaseModel):
        value: float

    try:
        Amount.model_validate({"value": "ten"})
    except ValidationError as exc:
        return exc
    raise AssertionError("unreachable")


@pytest.mark.parametrize(
    "exc",
    [
        RedisConnectionError("connection reset"),
        RedisTimeoutError("timed out"),
        ConnectionError("refused"),
        TimeoutError(),
        openai.APIConnectionError(request=REQUEST),
        openai.APITimeoutError(request=REQUEST),
        status_error(openai.RateLimitError, 429),
        status_error(openai.InternalServerError, 503),
        httpx.ConnectError("refused"),
    ],
    ids=type,
)
def test_transient_failures_are_retried(exc: Exception) -> None:
    assert is_transient(exc)


@pytest.mark.parametrize(
    "exc",
    [
        validation_error(),
        OutputParserException("not json"),
        ValueError("bad value"),
        KeyError("missing"),
        status_error(openai.BadRequestError, 400),
        status_error(openai.AuthenticationError, 401),
        RuntimeError("bug"),
    ],
    ids=type,
)
def test_failures_that_would_repeat_are_not_retried(exc: Exception) -> None:
    assert not is_transient(exc)


class FlakyIndex:
    """The help-center index, failing with `errors` first."""

    def __init__(self, inner: HelpCenterIndex, errors: list[Exception]) -> None:
        self.inner, self.errors, self.calls = inner, errors, 0

    async def search(self, query: str, k: int = 4) -> list[RetrievedEntry]:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return await self.inner.search(query, k=k)


def graph_with_index(deps: SupportDeps, index: FlakyIndex) -> Graph:
    flaky = SupportDeps(deps.models, index, deps.customers, MemoryRecordStore())
    return build_support_graph(flaky, checkpointer=InMemorySaver())


FAQ_QUESTION = "What payment methods do you accept?"


async def test_a_redis_failure_in_a_node_is_retried(deps: SupportDeps, thread_id: str) -> None:
    index = FlakyIndex(deps.help_center, [RedisConnectionError("reset"), RedisTimeoutError()])

    turn = await send_message(graph_with_index(deps, index), thread_id, FAQ_QUESTION, None)

    assert index.calls == 3
    assert turn.status == "faq_answered"


async def test_retries_are_bounded(deps: SupportDeps, thread_id: str) -> None:
    outage = [RedisConnectionError("down")] * (TRANSIENT_RETRY.max_attempts + 1)
    index = FlakyIndex(deps.help_center, outage)

    with pytest.raises(RedisConnectionError):
        await send_message(graph_with_index(deps, index), thread_id, FAQ_QUESTION, None)

    assert index.calls == TRANSIENT_RETRY.max_attempts


async def test_a_validation_error_in_a_node_is_not_retried(
    deps: SupportDeps, thread_id: str
) -> None:
    index = FlakyIndex(deps.help_center, [validation_error()])

    with pytest.raises(ValidationError):
        await send_message(graph_with_index(deps, index), thread_id, FAQ_QUESTION, None)

    assert index.calls == 1


def structured_reply(name: str, **args: Any) -> ScriptedModel:
    return scripted(lambda _m, _t: call(name, **args))


# The per-turn step budget


def forever(name: str, **args: Any) -> ScriptedModel:
    """A model that never answers: whatever the tools said, it makes the same call again."""
    return scripted(lambda _messages, _tools: call(name, **args))


def scripted_graph(deps: SupportDeps, **models: ScriptedModel) -> tuple[Graph, MemoryRecordStore]:
    records = MemoryRecordStore()
    scripted_deps = dataclasses.replace(with_models(deps, **models), records=records)
    return build_support_graph(scripted_deps, checkpointer=InMemorySaver()), records


TO_BILLING = {"name": "transfer_to_billing", "reason": "billing"}
LOOPS = {
    "a lookup": "get_balance",
    "an unknown tool": "get_weather",
    "invalid arguments": "request_refund",  # without its required `reason`
}


@pytest.mark.parametrize("limit", [None, 25], ids=["default-limit", "recursion-limit-25"])
@pytest.mark.parametrize("loop", LOOPS.values(), ids=LOOPS.keys())
async def test_a_model_that_loops_forever_ends_in_a_ticket(
    deps: SupportDeps, thread_id: str, loop: str, limit: int | None
) -> None:
    billing = forever(loop)
    graph, records = scripted_graph(deps, router=forever(**TO_BILLING), billing=billing)
    config: Any = thread_config(thread_id)
    if limit is not None:
        config["recursion_limit"] = limit

    await graph.ainvoke(
        {"messages": [HumanMessage("What do I owe?")], "customer_id": "C-1006"}, config
    )

    state = (await graph.aget_state(config)).values
    assert (state["status"], state["route"]) == ("ticket_created", "triage")
    [ticket] = await records.list_tickets()
    assert ticket.ticket_id == state["ticket_id"]
    assert len(billing.prompts) == MAX_MODEL_STEPS_PER_TURN - 1  # the router took one step


async def test_specialists_that_hand_off_to_each_other_forever_end_in_a_ticket(
    deps: SupportDeps, thread_id: str
) -> None:
    ping = forever("transfer_to_account", reason="theirs")
    pong = forever("transfer_to_billing", reason="theirs")
    graph, records = scripted_graph(deps, router=forever(**TO_BILLING), billing=ping, account=pong)

    turn = await send_message(graph, thread_id, "What do I owe?", "C-1006")

    assert (turn.status, turn.route) == ("ticket_created", "triage")
    assert len(ping.prompts) + len(pong.prompts) == MAX_HANDOFFS_PER_TURN
    assert len(await records.list_tickets()) == 1


# Recording a fallback


async def test_a_node_records_that_its_model_fell_back() -> None:
    models = ModelProvider(Settings(model_backend="openai", openai_api_key="key"))

    async def router(state: SupportState) -> dict[str, Any]:
        note_fallback("router")
        return {"route": "billing"}

    async def guardrail(state: SupportState) -> dict[str, Any]:
        note_fallback("guardrail")
        return {"status": None, "fallback_backend": None, "model_fallbacks": None}

    async def quiet(state: SupportState) -> dict[str, Any]:
        return {"route": "faq"}

    earlier = SupportState(messages=[], fallback_backend="offline", model_fallbacks=["guardrail"])

    assert await models.record_fallbacks(router)(earlier) == {
        "route": "billing",
        "fallback_backend": "offline",
        "model_fallbacks": ["guardrail", "router"],
    }
    # A node that starts the turn resets the record: the new turn's list starts empty.
    assert (await models.record_fallbacks(guardrail)(earlier))["model_fallbacks"] == ["guardrail"]
    assert await models.record_fallbacks(quiet)(earlier) == {"route": "faq"}


def test_the_offline_backend_adds_no_recorder(settings: Settings) -> None:
    async def node(state: SupportState) -> dict[str, Any]:
        return {}

    assert ModelProvider(settings).record_fallbacks(node) is node


class FellBack(ScriptedModel):
    """Stands for a hosted model whose endpoint was down: it answers, and says it fell back."""

    role: str

    def _generate(self, messages: Any, stop: Any = None, run_manager: Any = None, **kw: Any) -> Any:
        note_fallback(self.role)
        return super()._generate(messages, stop, run_manager, **kw)


async def test_a_fallback_in_a_specialist_that_hands_off_is_kept(
    deps: SupportDeps, thread_id: str
) -> None:
    hosted = Settings(model_backend="openai", openai_api_key="key")
    unused = {
        role: scripted(lambda _m, _t: AIMessage("")) for role in ("faq", "technical", "triage")
    }
    models = ScriptedModels(
        hosted,
        scripts={
            **unused,
            "guardrail": structured_reply("GuardrailVerdict", blocked=False),
            "router": scripted(lambda _m, _t: call("transfer_to_billing", reason="billing")),
            "billing": FellBack(
                role="billing", reply=lambda _m, _t: call("transfer_to_account", reason="plans")
            ),
            "account": scripted(lambda _m, _t: AIMessage("You are on Fiber 300.")),
        },
    )
    graph = build_support_graph(
        dataclasses.replace(deps, models=models), checkpointer=InMemorySaver()
    )

    turn = await send_message(graph, thread_id, "Which plan am I on?", "C-1006")

    assert turn.route == "account"
    values = (await graph.aget_state(thread_config(thread_id))).values
    assert (values["fallback_backend"], values["model_fallbacks"]) == ("offline", ["billing"])
