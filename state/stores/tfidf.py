"""TF-IDF weighting of one text, done the way scikit-learn does it, without its overhead.

Shared by the offline classifiers and the help-center embedder: both fit a `TfidfVectorizer`
(sublinear tf, L2 norm) and then weight single texts here, so their results stay bit for bit
those of `transform`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np


def sublinear_l2_weights(counts: Sequence[int], idf: np.ndarray) -> np.ndarray:
    """(1 + log count) * idf per column, L2-normalised; `idf` holds the same columns' idf."""
    weights = np.array(counts, dtype=np.float64)
    np.log(weights, weights)
    weights += 1.0
    weights *= idf
    norm = 0.0
    for value in weights.tolist():  # summed in sequence, as sklearn's normaliser does
        norm += value * value
    if norm != 0.0:
        weights /= math.sqrt(norm)
    return weights
