"""The offline backend's fast scoring paths give scikit-learn's numbers, bit for bit."""

from __future__ import annotations

import pickle
from functools import cache

import numpy as np
import pytest

from nodes.llm.brain import OfflineBrain, load_brain
from nodes.llm.classifier import TextClassifier, text_ngrams
from nodes.llm.examples import load_examples
from state.settings import Settings
from state.stores.help_center import HelpCenterEmbedder, MemoryHelpCenterIndex, load_help_center

CLASSIFIERS = ("guardrail", "router", "faq", "specialist", "category", "priority")
ODD_TEXTS = (
    "",
    "   ",
    "a",
    "?!",
    "the and of to",
    "Café naïve ÀÉÎ résumé",
    "Tab\tand\nnew lines\r\nand  double  spaces",
    "C-1001 $45.50 refund 4111 1111 1111 1111",
    "ok " * 300,
    "전화 요금이 너무 많이 나왔어요",
)


@cache
def _brain() -> OfflineBrain:
    settings = Settings(model_backend="offline", redis_url=None)
    return load_brain(settings.data_dir, settings.cache_dir)


def _texts() -> list[str]:
    settings = Settings(model_backend="offline", redis_url=None)
    examples = load_examples(settings.data_dir / "training" / "examples.jsonl")
    entries = load_help_center(settings.data_dir / "help_center.yaml")
    return [x.text for x in examples[::24]] + [e.question for e in entries[::8]] + list(ODD_TEXTS)


@pytest.mark.parametrize("name", CLASSIFIERS)
def test_fast_probabilities_equal_the_pipeline(name: str) -> None:
    classifier: TextClassifier = getattr(_brain(), name)
    for text in _texts():
        assert classifier.probabilities(text) == classifier.reference_probabilities(text), text


def test_a_turns_classifiers_analyse_a_text_once() -> None:
    brain, text = _brain(), "my bill doubled this month and I want a refund of the difference"
    text_ngrams.cache_clear()
    for name in CLASSIFIERS:
        getattr(brain, name).probabilities(text)
    info = text_ngrams.cache_info()
    assert (info.misses, info.hits) == (1, len(CLASSIFIERS) - 1)


def test_binary_classifiers_keep_the_pipeline_path() -> None:
    texts = ["pay my bill", "bill payment", "router broken", "no internet", "pay online", "wifi"]
    labels = ["billing", "billing", "technical", "technical", "billing", "technical"]
    classifier = TextClassifier(texts, labels)
    assert classifier._fast_scorer() is None
    for text in [*texts, "my bill and my wifi", ""]:
        assert classifier.probabilities(text) == classifier.reference_probabilities(text)


def test_a_pickled_classifier_scores_the_same_without_its_scorer() -> None:
    classifier = _brain().router
    text = "can someone check why my phone has no signal"
    before = classifier.probabilities(text)
    assert classifier._scorer is not None
    revived: TextClassifier = pickle.loads(pickle.dumps(classifier))
    assert revived._scorer is None
    assert revived.probabilities(text) == before == revived.reference_probabilities(text)


@cache
def _embedder() -> tuple[list[str], HelpCenterEmbedder, MemoryHelpCenterIndex]:
    settings = Settings(model_backend="offline", redis_url=None)
    entries = load_help_center(settings.data_dir / "help_center.yaml")
    examples = load_examples(settings.data_dir / "training" / "examples.jsonl")
    phrasings: dict[str, list[str]] = {}
    for example in examples:
        if example.faq_id:
            phrasings.setdefault(example.faq_id, []).append(example.text)
    embedder = HelpCenterEmbedder(entries, phrasings)
    return [e.id for e in entries], embedder, MemoryHelpCenterIndex(entries, embedder)


def test_query_embedding_equals_the_vectorizer() -> None:
    _, embedder, _ = _embedder()
    for text in _texts():
        fast, reference = embedder.embed_query(text), embedder.embed([text])[0]
        assert fast.dtype == reference.dtype == np.float32
        assert np.array_equal(fast, reference), text


async def test_search_ranks_as_with_the_vectorizer() -> None:
    ids, embedder, index = _embedder()
    matrix = embedder.embed_entries()
    for text in ["how do I reset my voicemail pin", "international roaming prices", "the and"]:
        found = await index.search(text, k=4)
        vector = embedder.embed([text])[0]
        scores = matrix @ vector
        expected = list(np.argsort(-scores, kind="stable")[:4]) if vector.any() else []
        assert [r.entry.id for r in found] == [ids[i] for i in expected]
        assert [r.score for r in found] == [float(scores[i]) for i in expected]
