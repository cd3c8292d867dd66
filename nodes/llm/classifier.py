"""A small supervised text classifier: word and character n-gram TF-IDF + logistic regression.

Training uses scikit-learn. Scoring one message does not: `Pipeline.predict_proba` spends ~3 ms
per call on input validation, joblib dispatch and sparse-matrix plumbing for a text of a few
dozen n-grams, and a turn asks four classifiers about the same text. So a text is analysed into
n-gram counts once (`text_ngrams`, shared by every classifier because they all analyse text the
same way), and each classifier scores those counts with its fitted vocabularies, idf weights and
coefficients, in the order scikit-learn's own arithmetic uses. `reference_probabilities` keeps
the scikit-learn path; the unit tests check that both give the same numbers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from state.stores.tfidf import sublinear_l2_weights

WORD_NGRAMS: dict[str, Any] = {"ngram_range": (1, 2), "sublinear_tf": True, "lowercase": True}
CHAR_NGRAMS: dict[str, Any] = {
    "analyzer": "char_wb",
    "ngram_range": (3, 5),
    "sublinear_tf": True,
    "min_df": 1,
}
FEATURES: tuple[tuple[str, dict[str, Any]], ...] = (("words", WORD_NGRAMS), ("chars", CHAR_NGRAMS))

TEXT_CACHE_SIZE = 128
"""Texts whose n-gram counts are kept (~20 kB each): a turn asks about its message several
times within milliseconds, and a worker interleaves only a few turns."""

NgramCounts = tuple[Mapping[str, int], ...]
"""Per feature block (words, chars): how often each n-gram occurs in a text."""


@lru_cache(maxsize=1)
def _analyzers() -> tuple[Callable[[str], list[str]], ...]:
    return tuple(TfidfVectorizer(**params).build_analyzer() for _, params in FEATURES)


@lru_cache(maxsize=TEXT_CACHE_SIZE)
def text_ngrams(text: str) -> NgramCounts:
    """The n-grams every classifier sees in `text`, from scikit-learn's own analyzers."""
    return tuple(Counter(analyze(text)) for analyze in _analyzers())


@dataclass(frozen=True)
class _Block:
    """One fitted TF-IDF vectorizer, as the numbers `_LinearScorer` needs."""

    vocabulary: Mapping[str, int]
    idf: np.ndarray
    offset: int


class _LinearScorer:
    """`predict_proba` of a fitted TF-IDF + multinomial logistic regression, for one text."""

    def __init__(self, blocks: Sequence[_Block], model: LogisticRegression) -> None:
        self._blocks = tuple(blocks)
        self._coef_t = np.ascontiguousarray(model.coef_.T)  # a row of weights per feature
        self._intercept = np.reshape(model.intercept_, (1, -1))

    def features(self, counts: NgramCounts) -> tuple[list[int], np.ndarray]:
        """The row `FeatureUnion.transform` builds, as (columns, values) in column order:
        each block TF-IDF weighted and L2-normalised on its own."""
        columns: list[int] = []
        values: list[np.ndarray] = []
        for block, block_counts in zip(self._blocks, counts, strict=True):
            column_of = block.vocabulary.get
            found = sorted(
                [(c, n) for gram, n in block_counts.items() if (c := column_of(gram)) is not None]
            )
            if not found:
                continue
            block_columns = [column for column, _ in found]
            weights = sublinear_l2_weights([n for _, n in found], block.idf[block_columns])
            columns += [column + block.offset for column in block_columns]
            values.append(weights)
        return columns, np.concatenate(values) if values else np.zeros(0)

    def probabilities(self, counts: NgramCounts) -> np.ndarray:
        columns, values = self.features(counts)
        # summing the rows over axis 0 adds the terms in column order, as scipy's sparse
        # product in `decision_function` does, so the scores come out bit for bit the same
        products = self._coef_t[columns]
        products *= values[:, np.newaxis]
        scores = np.sum(products, axis=0, keepdims=True)
        scores += self._intercept
        scores -= np.max(scores)
        np.exp(scores, out=scores)
        scores /= np.sum(scores)
        result: np.ndarray = scores[0]
        return result


class TextClassifier:
    """Fitted once from labelled texts; predicts a label with its probability."""

    def __init__(self, texts: Sequence[str], labels: Sequence[str], c: float = 8.0) -> None:
        if len(set(labels)) < 2:
            raise ValueError("a classifier needs at least two labels")
        features = FeatureUnion([(name, TfidfVectorizer(**params)) for name, params in FEATURES])
        self._pipeline = Pipeline(
            [
                ("features", features),
                (
                    "model",
                    LogisticRegression(C=c, max_iter=4000, class_weight="balanced"),
                ),
            ]
        )
        self._pipeline.fit(list(texts), list(labels))
        self.labels: tuple[str, ...] = tuple(str(x) for x in self._pipeline.classes_)
        self._scorer: _LinearScorer | Literal[False] | None = None
        """Built on first use; False when this pipeline has to be scored by scikit-learn."""

    def __getstate__(self) -> dict[str, Any]:
        """Pickle the fitted pipeline only; the scorer is derived from it when first needed."""
        return {**self.__dict__, "_scorer": None}

    def _fast_scorer(self) -> _LinearScorer | None:
        """The scorer, or None when this pipeline is not the shape it reproduces."""
        if self._scorer is None:
            self._scorer = self._compile_scorer() or False
        return self._scorer if isinstance(self._scorer, _LinearScorer) else None

    def _compile_scorer(self) -> _LinearScorer | None:
        model = self._pipeline.named_steps["model"]
        union = self._pipeline.named_steps["features"]
        blocks: list[_Block] = []
        offset = 0
        for (name, params), (fitted_name, vectorizer) in zip(
            FEATURES, union.transformer_list, strict=True
        ):
            if name != fitted_name or vectorizer.get_params() != (
                TfidfVectorizer(**params).get_params()
            ):
                return None
            blocks.append(_Block(vectorizer.vocabulary_, vectorizer.idf_, offset))
            offset += len(vectorizer.idf_)
        if len(self.labels) < 3 or union.transformer_weights or offset != model.coef_.shape[1]:
            return None  # binary models use a logistic link, not the softmax
        return _LinearScorer(blocks, model)

    def reference_probabilities(self, text: str) -> dict[str, float]:
        """The probabilities as scikit-learn's pipeline computes them."""
        proba = self._pipeline.predict_proba([text])[0]
        return {label: float(p) for label, p in zip(self.labels, proba, strict=True)}

    def probabilities(self, text: str) -> dict[str, float]:
        scorer = self._fast_scorer()
        if scorer is None:
            return self.reference_probabilities(text)
        proba = scorer.probabilities(text_ngrams(text)).tolist()
        return dict(zip(self.labels, proba, strict=True))

    def best(self, text: str, allowed: Collection[str] | None = None) -> tuple[str, float]:
        """The most probable label, optionally among `allowed` only (renormalised)."""
        return best_of(self.probabilities(text), allowed)

    def ranked(self, text: str) -> list[tuple[str, float]]:
        probs = self.probabilities(text)
        order = np.argsort([-probs[label] for label in self.labels], kind="stable")
        return [(self.labels[i], probs[self.labels[i]]) for i in order]


def best_of(probs: dict[str, float], allowed: Collection[str] | None = None) -> tuple[str, float]:
    """The most probable label of `probs`, optionally among `allowed` only (renormalised)."""
    if allowed is not None:
        probs = {k: v for k, v in probs.items() if k in allowed}
        if not probs:
            raise ValueError("none of the allowed labels is known to the classifier")
        total = sum(probs.values()) or 1.0
        probs = {k: v / total for k, v in probs.items()}
    label = max(probs, key=lambda k: probs[k])
    return label, probs[label]
