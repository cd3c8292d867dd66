"""The support vocabulary: which English messages are about something the service covers."""

from __future__ import annotations

import pytest

from nodes.llm.domain import DomainVocabulary, stem

VOCABULARY = DomainVocabulary.learn(
    ["How do I reset my router?", "my bill has a late fee", "roaming charges abroad"],
    ["router reset", "bill fee", "call other countries"],
)


@pytest.mark.parametrize(
    ("word", "expected"),
    [("resetting", "reset"), ("resets", "reset"), ("reset", "reset"), ("names", "nam"),
     ("name", "nam"), ("slowly", "slow"), ("bill", "bil"), ("is", "is")],
)  # fmt: skip
def test_inflections_share_a_stem(word: str, expected: str) -> None:
    assert stem(word) == expected


def test_a_message_in_the_vocabulary_is_known() -> None:
    reading = VOCABULARY.read("the router keeps resetting")
    assert reading is not None
    assert reading.core
    assert reading.known_share == pytest.approx(2 / 3)  # router and resetting, not keeps


@pytest.mark.parametrize(
    "text",
    ["is it expensive to call my gran in suriname", "Ouagadougou calls, how much per minute?"],
)
def test_a_call_to_a_place_the_vocabulary_has_never_seen_is_about_the_service(text: str) -> None:
    reading = VOCABULARY.read(text)
    assert reading is not None
    assert reading.core  # "call" is a stop word to scikit-learn, not to a telecom


def test_a_message_outside_the_vocabulary_is_foreign() -> None:
    reading = VOCABULARY.read("how do I bake a chocolate cake")
    assert reading is not None
    assert reading.known_share == 0.0
    assert not reading.core


def test_names_inside_a_sentence_are_not_counted() -> None:
    reading = VOCABULARY.read("I spoke with Maria Gonzalez about roaming")
    assert reading is not None
    assert reading.content_words == 2  # spoke, roaming
    assert reading.known_share == 0.5


@pytest.mark.parametrize(
    "text",
    ["thanks", "C-1004", "¿Cómo cambio la tarifa?", "계정 비밀번호", "Mein Router ist kaputt"],
)
def test_short_or_non_english_messages_are_not_judged(text: str) -> None:
    assert VOCABULARY.read(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "Sono stufo, la linea cade in continuazione con un rumore strano",
        "Esqueci a senha do correio de voz, como posso criar uma nova",
    ],
)
def test_romance_words_that_are_also_english_stop_words_do_not_make_a_message_english(
    text: str,
) -> None:
    # "in", "con", "un", "do", "a" are English stop words too; counted as English they made
    # these read as English whose content words are all foreign, that is, off-topic.
    assert VOCABULARY.read(text) is None


def test_english_with_few_function_words_is_still_judged() -> None:
    assert VOCABULARY.read("how do I bake a chocolate cake for my son") is not None
