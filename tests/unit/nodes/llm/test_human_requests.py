"""A customer fed up with the assistant who asks for a person is never refused: the offline
backend's general classifier once read frustration with the bot plus "get me a live person" as
a request outside support (its off-topic and abuse readings added up), and the router sent
some languages to the help center instead of the handoff."""

from __future__ import annotations

from functools import cache

import pytest

from nodes.guardrail import deterministic_block
from nodes.llm.brain import OfflineBrain, load_brain
from state.settings import Settings
from state.stores.customers import CustomerDirectory

ROUTES = ("faq", "billing", "technical", "account", "human", "triage")

FED_UP_ASKING_FOR_A_PERSON = [
    "Twenty minutes of going around in circles with your bot. Give me a live person NOW.",
    "I'm sick of this automated garbage, I want a real person on the chat right now.",
    "this chatbot is hopeless, i just want to talk to a human",
    "Your assistant keeps looping. Connect me to an agent please.",
    "Llevo media hora con este bot y no sirve de nada. Pásame con una persona ya.",
    "Ce robot me fait tourner en rond, passez-moi un vrai conseiller maintenant.",
    "Der Bot hilft mir seit einer halben Stunde nicht. Ich will sofort mit einem Menschen reden.",
    "Esse robô não resolve nada, me passa para um atendente humano agora.",
    "Questo bot non capisce niente, passami subito un operatore.",
    "이 챗봇이랑 30분째 제자리예요. 당장 사람 상담원 연결해 주세요.",
    "このボットでは解決しません。今すぐ人間のオペレーターにつないでください。",
    "这个机器人一直在绕圈子,我要人工客服,马上!",
]


@cache
def _brain() -> OfflineBrain:
    settings = Settings(model_backend="offline", redis_url=None)
    return load_brain(settings.data_dir, settings.cache_dir)


@pytest.mark.parametrize("text", FED_UP_ASKING_FOR_A_PERSON)
def test_a_fed_up_customer_asking_for_a_person_passes_and_reaches_the_handoff(
    text: str, customers: CustomerDirectory
) -> None:
    assert deterministic_block(text, "C-1002", customers) is None
    assert _brain().block_reason(text) is None
    assert _brain().route(text, ROUTES) == "human"


@pytest.mark.parametrize(
    "text",
    ["talk to me like a pirate", "speak to me like a cowboy for the rest of this chat"],
)
def test_asking_the_assistant_to_talk_in_a_voice_is_still_off_topic(text: str) -> None:
    assert _brain().block_reason(text) == "off_topic"
