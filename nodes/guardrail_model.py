"""The guardrail's trained screen: a multilingual classifier beside the deterministic rules.

Rules catch the crisp cases; they cannot list every way, in every language, of telling an
assistant to drop its instructions, nor every benign look-alike ("ignore what I said before",
"developer mode" on a phone). The classifier learns both from families of paraphrases
(`data/training/guardrail.jsonl`, attacks and benign look-alikes in many languages) plus the
offline examples and help-center questions as ordinary support traffic. It is the same
`TextClassifier` the offline backend uses (word and character n-gram TF-IDF + logistic
regression): character n-grams carry across languages and typos, and scoring one text is a
sparse dot product, linear in its length.

It runs on both backends: it is part of the guardrail, not of a model backend.
"""

from __future__ import annotations

import hashlib
import pickle
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Literal

import sklearn
from pydantic import BaseModel, ConfigDict

from nodes.guardrail_cues import cue_words
from nodes.llm.classifier import TextClassifier
from nodes.llm.examples import load_examples
from nodes.pii import EMAIL, PHONE
from state.stores.help_center import load_help_center

GuardrailLabel = Literal["ok", "injection", "other_customer", "abuse", "off_topic"]
Verdict = Literal["injection", "other_customer", "abuse", "off_topic"]

BLOCK_PROBABILITY = 0.8
"""The classifier blocks a form when its non-"ok" labels together reach this probability.
Chosen on the in-sample corpus and the first held-out corpus with training families left out
(see `bench/guardrail_screen.py`), never on the later held-out corpora. With the cue words the
classifier's scores run higher: 0.8 keeps the family-held-out benign rate where 0.7 had it
without cues (4.7 % against 4.8 %) and blocks more of the left-out attacks (79 % against 75 %)."""

GUARDRAIL_FILE = Path("training") / "guardrail.jsonl"
SUPPORT_FILES = (Path("training") / "examples.jsonl", Path("help_center.yaml"))


class GuardrailExample(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str
    label: GuardrailLabel
    family: str
    """Paraphrases of one attack or look-alike share a family: held-out evaluation leaves
    whole families out."""
    lang: str


def load_guardrail_examples(path: Path) -> list[GuardrailExample]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [GuardrailExample.model_validate_json(line) for line in lines if line.strip()]


def training_texts(data_dir: Path, leave_out: Iterable[str] = ()) -> tuple[list[str], list[str]]:
    """Texts and labels: the guardrail's families (but `leave_out`), the offline backend's
    examples (blocked ones with their reason, the rest as "ok") and help-center questions."""
    left_out = set(leave_out)
    own = [
        x for x in load_guardrail_examples(data_dir / GUARDRAIL_FILE) if x.family not in left_out
    ]
    texts, labels = [x.text for x in own], [str(x.label) for x in own]
    examples = data_dir / SUPPORT_FILES[0]
    if examples.exists():
        for example in load_examples(examples):
            texts.append(example.text)
            blocked = example.route == "blocked"
            labels.append((example.block_reason or "injection") if blocked else "ok")
    help_center = data_dir / SUPPORT_FILES[1]
    if help_center.exists():
        for entry in load_help_center(help_center):
            texts.append(entry.question)
            labels.append("ok")
    # off-topic is learned too: the offline backend's general classifier reads English (and
    # Korean through its gloss) only, so homework or a match score in another language passed
    return texts, labels


_DIGITS = re.compile(r"\d")


def generic(text: str) -> str:
    """The text with contact details and figures made generic: whose e-mail or number it is
    is the rules' call (they know the directory); the classifier judges the wording only."""
    text = EMAIL.sub(" email ", text)
    return _DIGITS.sub("0", PHONE.sub(" phone ", text))


def featured(text: str) -> str:
    """What the classifier reads: the generic text and its cue words (`nodes.guardrail_cues`),
    which name what the text does the same way in every language."""
    return f"{generic(text)} {cue_words(text)}"


class GuardrailModel:
    """Scores the plain forms of a message; blocks when one of them looks like an attack."""

    def __init__(
        self, texts: list[str], labels: list[str], threshold: float = BLOCK_PROBABILITY
    ) -> None:
        self._classifier = TextClassifier([featured(t) for t in texts], labels, c=10.0)
        self.threshold = threshold

    def attack_probability(self, text: str) -> tuple[Verdict, float]:
        """The most likely attack label and the probability that `text` is any attack."""
        probs = self._classifier.probabilities(featured(text))
        attack: dict[Verdict, float] = {
            k: probs.get(k, 0.0) for k in ("injection", "other_customer", "abuse", "off_topic")
        }
        label = max(attack, key=lambda k: attack[k])
        return label, sum(attack.values())

    def verdict(self, forms: Iterable[str]) -> Verdict | None:
        """The block reason of the first form scored at or above the threshold, else None."""
        for form in forms:
            label, probability = self.attack_probability(form)
            if probability >= self.threshold:
                return label
        return None


def _digest(data_dir: Path) -> str:
    digest = hashlib.sha256(sklearn.__version__.encode())
    code = Path(__file__).parent
    for path in [
        data_dir / GUARDRAIL_FILE,
        *(data_dir / name for name in SUPPORT_FILES),
        Path(__file__),
        code / "guardrail_cues.py",
        code / "guardrail_shapes.py",
        code / "guardrail_rules.py",
        code / "guardrail_threats.py",
        code / "llm" / "classifier.py",
    ]:
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@lru_cache(maxsize=4)
def load_guardrail_model(data_dir: Path, cache_dir: Path | None = None) -> GuardrailModel:
    """Trained once per process, and pickled under `cache_dir` keyed by its training data and
    code, like the offline backend's classifiers (`nodes.llm.brain.load_brain`)."""
    cached = cache_dir / f"guardrail-{_digest(data_dir)}.pkl" if cache_dir else None
    if cached is not None and cached.exists():
        try:
            model = pickle.loads(cached.read_bytes())
            if isinstance(model, GuardrailModel):
                return model
        except (pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            pass
    model = GuardrailModel(*training_texts(data_dir))
    if cached is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        partial = cached.with_suffix(f".{id(model)}.tmp")
        partial.write_bytes(pickle.dumps(model))
        partial.replace(cached)
    return model
