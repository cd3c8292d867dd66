"""A small supervised text classifier: word and character n-gram TF-IDF + logistic regression."""

from __future__ import annotations

from collections.abc import Collection, Sequence

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline


class TextClassifier:
    """Fitted once from labelled texts; predicts a label with its probability."""

    def __init__(self, texts: Sequence[str], labels: Sequence[str], c: float = 8.0) -> None:
        if len(set(labels)) < 2:
            raise ValueError("a classifier needs at least two labels")
        features = FeatureUnion(
            [
                (
                    "words",
                    TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, lowercase=True),
                ),
                (
                    "chars",
                    TfidfVectorizer(
                        analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=1
                    ),
                ),
            ]
        )
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

    def probabilities(self, text: str) -> dict[str, float]:
        proba = self._pipeline.predict_proba([text])[0]
        return {label: float(p) for label, p in zip(self.labels, proba, strict=True)}

    def best(self, text: str, allowed: Collection[str] | None = None) -> tuple[str, float]:
        """The most probable label, optionally among `allowed` only (renormalised)."""
        probs = self.probabilities(text)
        if allowed is not None:
            probs = {k: v for k, v in probs.items() if k in allowed}
            if not probs:
                raise ValueError("none of the allowed labels is known to the classifier")
            total = sum(probs.values()) or 1.0
            probs = {k: v / total for k, v in probs.items()}
        label = max(probs, key=lambda k: probs[k])
        return label, probs[label]

    def ranked(self, text: str) -> list[tuple[str, float]]:
        probs = self.probabilities(text)
        order = np.argsort([-probs[label] for label in self.labels], kind="stable")
        return [(self.labels[i], probs[self.labels[i]]) for i in order]
