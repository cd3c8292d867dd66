"""The help center and its search index (Redis vector search through redisvl).

Each entry is embedded as its question, tags and answer, expanded with the customer phrasings
of the shipped training examples (document expansion), so a customer's own words find the entry.
The embedding is a sublinear TF-IDF space of words and of character n-grams fitted on the help
center itself (the characters keep typos, inflections and Korean particles matching):
deterministic, local, and the same in Redis and in the in-memory index the unit tests use.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol, cast

import numpy as np
import yaml
from pydantic import BaseModel
from redis.asyncio import Redis
from redis.exceptions import RedisError
from redisvl.exceptions import RedisSearchError
from redisvl.index import AsyncSearchIndex
from sklearn.feature_extraction.text import TfidfVectorizer

from state.redis_text import text
from state.stores.tfidf import sublinear_l2_weights


class HelpCenterEntry(BaseModel):
    id: str
    category: str
    question: str
    answer: str
    tags: list[str]

    def document(self) -> str:
        return f"{self.question} {' '.join(self.tags)} {self.answer}"


class RetrievedEntry(BaseModel):
    entry: HelpCenterEntry
    score: float
    """Cosine similarity between the query and the entry, in [0, 1]."""


def load_help_center(path: Path) -> list[HelpCenterEntry]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [HelpCenterEntry.model_validate(item) for item in raw]


WORD_FEATURES: dict[str, Any] = {
    "ngram_range": (1, 2),
    "sublinear_tf": True,
    "stop_words": "english",
    "max_features": 4096,
}
CHAR_FEATURES: dict[str, Any] = {
    "analyzer": "char_wb",
    "ngram_range": (3, 4),
    "sublinear_tf": True,
    "max_features": 8192,
}
"""Character n-grams inside word boundaries: a typo ("voicemial"), an inflection ("unlocking")
or a Korean particle ("요금제를") shares most of its n-grams with the entry's word, where the
word features see a different word."""
CHAR_WEIGHT = 0.5
"""The share of the cosine that comes from the character block; the word block has the rest."""
FEATURES: tuple[tuple[str, dict[str, Any], float], ...] = (
    ("words", WORD_FEATURES, 1.0 - CHAR_WEIGHT),
    ("chars", CHAR_FEATURES, CHAR_WEIGHT),
)


class _Block:
    """One fitted TF-IDF block: its analyzer, vocabulary, idf and the scale of its share."""

    def __init__(self, vectorizer: TfidfVectorizer, weight: float) -> None:
        self.vectorizer = vectorizer
        self.analyze = vectorizer.build_analyzer()
        self.vocabulary: dict[str, int] = {t: int(c) for t, c in vectorizer.vocabulary_.items()}
        self.idf: np.ndarray = vectorizer.idf_
        self.scale = math.sqrt(weight)
        """Each block is L2-normalised on its own and scaled by the square root of its
        weight, so the cosine of two rows is the weighted mean of the blocks' cosines."""

    def row(self, text: str) -> np.ndarray:
        """`vectorizer.transform([text])`, dense, scaled, without scikit-learn's per-call
        overhead: sublinear term counts times idf, then the L2 norm, in its order."""
        vocabulary = self.vocabulary
        counts = Counter(vocabulary[gram] for gram in self.analyze(text) if gram in vocabulary)
        row = np.zeros(len(vocabulary), dtype=np.float64)
        if counts:
            columns = sorted(counts)
            row[columns] = sublinear_l2_weights([counts[c] for c in columns], self.idf[columns])
        row *= self.scale
        return row


class HelpCenterEmbedder:
    """Word and character TF-IDF vectors over the help center, as one L2-normalised row, so
    dot product is cosine."""

    def __init__(
        self,
        entries: Sequence[HelpCenterEntry],
        phrasings: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        phrasings = phrasings or {}
        self._docs = [
            " ".join([e.document(), e.question, *phrasings.get(e.id, ())]) for e in entries
        ]
        self._blocks = tuple(
            _Block(TfidfVectorizer(**params).fit(self._docs), weight)
            for _, params, weight in FEATURES
        )

    @property
    def dims(self) -> int:
        return sum(len(block.vocabulary) for block in self._blocks)

    def embed(self, texts: Iterable[str]) -> np.ndarray:
        """Unit rows, one per text, through scikit-learn (the index build uses this)."""
        texts = list(texts)
        blocks = [
            block.vectorizer.transform(texts).toarray() * block.scale for block in self._blocks
        ]
        return _unit_rows(np.hstack(blocks))

    def embed_query(self, text: str) -> np.ndarray:
        """`embed([text])[0]`, bit for bit, without scikit-learn's per-call overhead.

        `TfidfVectorizer.transform` spends ~1 ms validating and building sparse matrices
        for one short query; the arithmetic is a few dozen multiplications per block.
        """
        row = np.concatenate([block.row(text) for block in self._blocks])
        vector: np.ndarray = _unit_rows(row[np.newaxis, :])[0]
        return vector

    @property
    def vocabulary_digest(self) -> str:
        """Identifies the fitted features: each block's parameters, weight and vocabulary."""
        content = [
            [name, repr(sorted(params.items())), weight, sorted(block.vocabulary.items())]
            for (name, params, weight), block in zip(FEATURES, self._blocks, strict=True)
        ]
        return hashlib.sha256(json.dumps(content).encode()).hexdigest()

    def embed_entries(self) -> np.ndarray:
        return self.embed(self._docs)


def _unit_rows(matrix: np.ndarray) -> np.ndarray:
    """float32 rows scaled to unit length (all-zero rows stay zero)."""
    rows = matrix.astype(np.float32)
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    result: np.ndarray = rows / norms
    return result


class HelpCenterIndex(Protocol):
    async def search(self, query: str, k: int = 4) -> list[RetrievedEntry]: ...

    def entry(self, faq_id: str) -> HelpCenterEntry | None: ...


class _EntryLookup:
    def __init__(self, entries: Sequence[HelpCenterEntry]) -> None:
        self._entries = {e.id: e for e in entries}

    def entry(self, faq_id: str) -> HelpCenterEntry | None:
        return self._entries.get(faq_id)


class MemoryHelpCenterIndex(_EntryLookup):
    """Exact cosine search in process; ranks as the Redis index does."""

    def __init__(self, entries: Sequence[HelpCenterEntry], embedder: HelpCenterEmbedder) -> None:
        super().__init__(entries)
        self._ordered = list(entries)
        self._embedder = embedder
        self._matrix = embedder.embed_entries()

    async def search(self, query: str, k: int = 4) -> list[RetrievedEntry]:
        vector = self._embedder.embed_query(query)
        if not vector.any():
            return []
        scores = self._matrix @ vector
        order = np.argsort(-scores, kind="stable")[:k]
        return [RetrievedEntry(entry=self._ordered[i], score=float(scores[i])) for i in order]


class RedisHelpCenterIndex(_EntryLookup):
    """KNN search over the entries stored as Redis hashes with a FLAT cosine vector field."""

    def __init__(
        self,
        client: Redis,
        entries: Sequence[HelpCenterEntry],
        embedder: HelpCenterEmbedder,
        prefix: str = "sg",
    ) -> None:
        super().__init__(entries)
        self._ordered = list(entries)
        self._embedder = embedder
        schema = {
            "index": {
                "name": f"{prefix}-help-center",
                "prefix": f"{prefix}:faq",
                "storage_type": "hash",
            },
            "fields": [
                {"name": "faq_id", "type": "tag"},
                {"name": "category", "type": "tag"},
                {"name": "question", "type": "text"},
                {
                    "name": "embedding",
                    "type": "vector",
                    "attrs": {
                        "dims": embedder.dims,
                        "distance_metric": "cosine",
                        "algorithm": "flat",
                        "datatype": "float32",
                    },
                },
            ],
        }
        self._index = AsyncSearchIndex.from_dict(schema, redis_client=client)
        self._client = client
        self._fingerprint_key = f"{prefix}:faq-index:fingerprint"
        content = [e.model_dump() for e in entries] + [embedder.dims, embedder.vocabulary_digest]
        self._fingerprint = hashlib.sha256(json.dumps(content).encode()).hexdigest()

    async def ensure_built(self) -> None:
        """Build the index unless Redis already holds this exact help center.

        A lock keeps several starting processes from rebuilding it under each other.
        """
        async with self._client.lock(f"{self._fingerprint_key}:lock", timeout=60):
            current = await self._client.get(self._fingerprint_key)
            if await self._index.exists() and current == self._fingerprint.encode():
                return
            await self._build()
            await self._client.set(self._fingerprint_key, self._fingerprint)

    async def _build(self) -> None:
        await self._index.create(overwrite=True, drop=True)
        vectors = self._embedder.embed_entries()
        rows = [
            {
                "faq_id": entry.id,
                "category": entry.category,
                "question": entry.question,
                "embedding": vector.tobytes(),
            }
            for entry, vector in zip(self._ordered, vectors, strict=True)
        ]
        await self._index.load(rows, id_field="faq_id")

    async def search(self, query: str, k: int = 4) -> list[RetrievedEntry]:
        vector = self._embedder.embed_query(query)
        if not vector.any():
            return []
        found = []
        for faq_id, distance in await self._nearest(vector, k):
            entry = self.entry(faq_id)
            if entry is not None:
                found.append(RetrievedEntry(entry=entry, score=1.0 - distance))
        return found

    async def _nearest(self, vector: np.ndarray, k: int) -> list[tuple[str, float]]:
        """(faq_id, cosine distance) of the `k` nearest entries, nearest first.

        The `FT.SEARCH` that redisvl's `VectorQuery` sends, argument for argument, sent
        directly: redisvl's query and result objects cost more CPU than the search itself.
        Errors are raised as redisvl raises them.
        """
        try:
            reply = await cast(Any, self._client).execute_command(  # untyped in redis-py
                "FT.SEARCH",
                self._index.name,
                f"*=>[KNN {k} @embedding $vector AS vector_distance]",
                "RETURN", 2, "faq_id", "vector_distance",
                "SORTBY", "vector_distance", "ASC",
                "DIALECT", 2,
                "LIMIT", 0, k,
                "PARAMS", 2, "vector", vector.tobytes(),
            )  # fmt: skip
        except RedisError as exc:
            raise RedisSearchError(f"Error while searching: {exc}") from exc
        rows = _rows(reply)
        return [(text(row["faq_id"]), float(text(row["vector_distance"]))) for row in rows]


def _rows(reply: Any) -> list[dict[str, Any]]:
    """The returned fields of each document of an `FT.SEARCH` reply, in RESP3 or RESP2."""
    if isinstance(reply, dict):
        results: list[dict[Any, Any]] = next(
            (v for k, v in reply.items() if text(k) == "results"), []
        )
        return [
            {
                text(name): value
                for attributes in (v for k, v in row.items() if text(k) == "extra_attributes")
                for name, value in attributes.items()
            }
            for row in results
        ]
    return [
        {text(name): value for name, value in zip(fields[::2], fields[1::2], strict=True)}
        for fields in reply[2::2]
    ]
