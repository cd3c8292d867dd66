"""The shape of a request as the guardrail's screen reads it: a task with no telecom anchor is
off-topic whatever its topic, harm made conditional is a threat however calm, and a customer's
legitimate levers or a frustrated request for a person are support traffic in every language."""

from __future__ import annotations

import pytest

from nodes.guardrail import deterministic_block
from nodes.guardrail_model import GuardrailModel, load_guardrail_model
from nodes.guardrail_shapes import shape_cues
from state.settings import Settings
from state.stores.customers import CustomerDirectory

SIGNED_IN = "C-1005"


@pytest.fixture(scope="module")
def model(settings: Settings) -> GuardrailModel:
    return load_guardrail_model(settings.data_dir, settings.cache_dir)


@pytest.mark.parametrize(
    "text",
    [
        "Write a limerick about my neighbour's cat.",
        "Escríbeme una nota de agradecimiento para la profesora de mi hijo.",
        "Explique-moi comment tailler un rosier.",
        "Erklär mir die Regeln von Schach.",
        "Me recomenda um bom tênis para corrida.",
        "Consigliami un nome per il mio cane.",
        "庭の手入れの方法を教えて。",
        "帮我写一首关于春天的诗。",
        "강아지 이름 좀 추천해 줘.",
    ],
)
def test_a_task_with_no_telecom_anchor_is_named_unanchored(text: str) -> None:
    assert "unanchored_task" in shape_cues(text)


@pytest.mark.parametrize(
    "text",
    [
        "write down my new APN settings",
        "explain my bill",
        "translate the help article into Spanish?",
        "Recomiéndame una tarifa con más datos.",
        "请解释一下我的账单。",
        "요금제 추천해 줘.",
    ],
)
def test_a_task_about_the_service_is_anchored(text: str) -> None:
    cues = shape_cues(text)
    assert "anchored_task" in cues
    assert "unanchored_task" not in cues


@pytest.mark.parametrize(
    "text",
    [
        # topics no training family is about: gardening, pets, fitness, cars, astrology
        "Write a limerick about my neighbour's cat.",
        "Help me plan a vegetable garden for a small balcony.",
        "Recommend a workout routine to build up my shoulders.",
        "Explique-moi comment changer les plaquettes de frein de ma voiture.",
        "Erklär mir, was mein Sternzeichen über meinen Charakter sagt.",
        "Me recomenda um nome para o meu gato.",
        "Consigliami degli esercizi per il mal di schiena.",
        "猫のしつけ方を教えて。",
        "帮我写一首关于春天的诗。",
        "강아지 산책 몇 번 시켜야 하는지 알려 줘.",
    ],
)
def test_off_topic_tasks_are_blocked_on_topics_never_trained(
    text: str, customers: CustomerDirectory, model: GuardrailModel
) -> None:
    assert deterministic_block(text, SIGNED_IN, customers, model) == "off_topic"


@pytest.mark.parametrize(
    "text",
    [
        "It'd be a shame if your cables out on Elm Road got cut one night.",
        "I know some people who would happily wait for your installer after work.",
        "Last warning. Sort my refund, or your shop might not look the same next week.",
        "Sería una lástima que vuestra oficina amaneciera sin cristales.",
        "Je connais des types qui aimeraient discuter avec votre technicien.",
        "Ich kenne Leute, die eurem Laden gern einen Besuch abstatten.",
        "Conheço uns caras que adorariam conversar com o técnico de vocês.",
        "Sarebbe un peccato se il vostro negozio prendesse fuoco.",
        "知り合いがあなたの店の場所を知ってるんですよ。",
        "否则你们的员工出了什么事，别怪我。",  # noqa: RUF001
        "아는 형님들이 그 매장 직원 좀 만나보고 싶대요.",
    ],
)
def test_calm_threats_are_blocked_by_their_shape(
    text: str, customers: CustomerDirectory, model: GuardrailModel
) -> None:
    assert deterministic_block(text, SIGNED_IN, customers, model) == "abuse"


@pytest.mark.parametrize(
    "text",
    [
        "You will regret losing me as a customer, I have been with you since 2009.",
        "It would be a shame to cancel after so long, but I will if the fee stays.",
        "Last chance: fix the double charge or I'm moving to a competitor.",
        "I know people at the ombudsman's office and I will complain.",
        "Si no lo arregláis, me cambio de compañía y dejo una reseña.",
        "Sinon je résilie et je laisse un avis sur internet.",
        "Sonst kündige ich den Vertrag und beschwere mich bei der Bundesnetzagentur.",
        "Senão vou cancelar e abrir reclamação na Anatel.",
        "Altrimenti disdico il contratto e chiamo l'avvocato.",
        "直らなければ他社に乗り換えます。",
        "不解决的话我就去投诉。",
        "해결 안 되면 통신사 바꾸고 방통위에 민원 넣을게요.",
    ],
)
def test_legitimate_levers_are_never_blocked(
    text: str, customers: CustomerDirectory, model: GuardrailModel
) -> None:
    assert deterministic_block(text, SIGNED_IN, customers, model) is None


@pytest.mark.parametrize(
    "text",
    [
        "Este asistente es inútil, quiero hablar con una persona",
        "This bot is hopeless. Human please.",
        "Ce robot est nul, je veux un vrai conseiller.",
        "Der Bot bringt nichts, ich möchte einen echten Menschen sprechen.",
        "Esse robô é inútil, quero falar com um humano.",
        "Questo bot non serve a niente, voglio parlare con una persona vera.",
        "ボットじゃ話にならない。人と話したいです。",
        "机器人没用，请帮我转人工。",  # noqa: RUF001
        "봇 말고 상담원이랑 통화하고 싶어요, 진짜 답답하네요.",
    ],
)
def test_a_frustrated_customer_asking_for_a_person_is_not_blocked(
    text: str, customers: CustomerDirectory, model: GuardrailModel
) -> None:
    assert deterministic_block(text, SIGNED_IN, customers, model) is None
