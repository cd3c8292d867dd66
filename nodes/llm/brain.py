"""The offline backend's decisions, learned from the help center and the shipped examples.

Each decision is a supervised classifier; nothing here matches keywords. The chat model in
`offline.py` turns these decisions into the same tool calls a hosted model would make.
"""

from __future__ import annotations

import hashlib
import pickle
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import sklearn

from nodes import language
from nodes.language import english_gloss
from nodes.llm.classifier import TextClassifier, best_of
from nodes.llm.domain import DomainVocabulary
from nodes.llm.examples import TrainingExample, load_examples
from nodes.llm.extract import reports_dispute
from state.stores.help_center import HelpCenterEntry, load_help_center

BLOCK_THRESHOLD = 0.5
SPREAD_BLOCK_THRESHOLD = 0.6
"""The share of a reading that must say "not a support request" to refuse it when no one
reason is sure (`BLOCK_THRESHOLD`): higher, since the reasons only add up."""
LEARNED_REASONS = frozenset({"off_topic", "abuse"})
"""The only reasons this classifier blocks on: what it has seen of these is wording (a game
score, a recipe, a veiled threat). Injection and another customer's data are the guardrail's
own call (its rules and trained screen read every language and every decoded form, and know
the customers' names); here, reading English and Korean support wording only, a guess at them
was mostly noise: a Portuguese router question read as injection, a customer quoting the
e-mail on their own account read as another customer's data."""
OFF_DOMAIN_SHARE = 0.55
"""Below this share of content words the support vocabulary knows (`DomainVocabulary`), an
English message is about something else; it is refused as off-topic when the classifier has
at least `OFF_DOMAIN_MIN_DOUBT` that it is not a support request."""
OFF_DOMAIN_MIN_DOUBT = 0.05
ROUTE_MIN_CONFIDENCE = 0.3
ANONYMOUS_SPECIALIST_MIN = 0.6
SPECIALISTS = frozenset({"billing", "technical", "account"})
"""Below this, the router's reading is a guess: the turn goes to triage, where a person sees
a ticket, rather than to an agent who might act on the guess."""
ACTION_MIN_CONFIDENCE = 0.4
"""Below this, the specialist classifier's reading is too unsure to propose a sensitive action
on: the offline model asks the customer instead."""
FAQ_MIN_CONFIDENCE = 0.12
KOREAN_FAQ_MIN_CONFIDENCE = 0.3
"""A Korean message is read through its English gloss, so a weak reading of it is noisier
than an English one: below this, its best entry is too weak to answer with, and the turn
falls to triage (the weakest right reading of a Korean help-center question in our sets
is ~0.34). A report about a topic the help center covers can read higher than that, so the
router's view of the message decides the bar too (`KOREAN_REPORT_FAQ_MIN_CONFIDENCE`)."""
KOREAN_REPORT_FAQ_MIN_CONFIDENCE = 0.6
"""For a Korean message the router itself reads as a problem report (triage at least as
likely as the help center): it gets a help-center answer only on an entry this sure."""
NO_ENTRY = "no_entry"
"""The FAQ classifier's label for a report that needs a ticket, learned from the triage
examples: without it every text reads as the entry about its topic ("the technician never
came" as the one on booking an installation), so a report that no entry fixes has a label
of its own to land on, and `choose_faq` answers none."""
SUSPECT_OFF_TOPIC = 0.3
SUSPECT_FAQ_MIN_CONFIDENCE = 0.25
"""A message the guardrail classifier reads as off-topic with at least `SUSPECT_OFF_TOPIC`
(without blocking it) gets a help-center answer only on a reading this sure: an unsure match
of "can u do my math homework" to the parental-controls entry is not an answer."""


@dataclass(frozen=True)
class FaqChoice:
    faq_id: str | None
    confidence: float


@dataclass(frozen=True)
class OfflineBrain:
    guardrail: TextClassifier
    router: TextClassifier
    faq: TextClassifier
    specialist: TextClassifier
    category: TextClassifier
    priority: TextClassifier
    domain: DomainVocabulary

    @classmethod
    def train(
        cls,
        entries: Sequence[HelpCenterEntry],
        examples: Sequence[TrainingExample],
        translations: Sequence[HelpCenterEntry] = (),
    ) -> OfflineBrain:
        """Every text is read with its English gloss (`english_gloss`), in training as in use,
        so Korean wording the examples never had still lands on what the English words mean.
        `translations` (the help center in Korean) add their questions to the entries'."""
        examples = [x.model_copy(update={"text": english_gloss(x.text)}) for x in examples]
        entries = [*entries, *(e.model_copy(update={"question": english_gloss(e.question)})
                               for e in translations)]  # fmt: skip
        questions = [e.question for e in entries]
        tagged = [f"{e.question} {' '.join(e.tags)}" for e in entries]
        faq_texts = [x.text for x in examples if x.route == "faq" and x.faq_id]
        faq_labels = [str(x.faq_id) for x in examples if x.route == "faq" and x.faq_id]
        reports = [x.text for x in examples if x.route == "triage"]
        routed = [x for x in examples if x.route != "blocked"]
        tooled = [x for x in examples if x.tool or x.action]
        triage = [x for x in examples if x.route == "triage" and x.category]
        return cls(
            guardrail=TextClassifier(
                [x.text for x in examples] + questions,
                [x.block_reason or "ok" for x in examples] + ["ok"] * len(questions),
            ),
            router=TextClassifier(
                [x.text for x in routed] + questions,
                [x.route for x in routed] + ["faq"] * len(questions),
            ),
            faq=TextClassifier(
                faq_texts + questions + tagged + reports,
                faq_labels + [e.id for e in entries] * 2 + [NO_ENTRY] * len(reports),
                c=20.0,
            ),
            specialist=TextClassifier(
                [x.text for x in tooled], [str(x.tool or x.action) for x in tooled]
            ),
            category=TextClassifier([x.text for x in triage], [str(x.category) for x in triage]),
            priority=TextClassifier(
                [x.text for x in triage], [str(x.priority or "medium") for x in triage]
            ),
            domain=DomainVocabulary.learn(
                [x.text for x in routed] + [e.document() for e in entries], tagged
            ),
        )

    def block_reason(self, text: str) -> str | None:
        """The reason to refuse `text`, if any: off-topic or abuse when the classifier is sure
        of it, or sure the message is not a support request but split between the two (the
        likelier of them); never injection or another customer, the guardrail's own call."""
        probabilities = self.guardrail.probabilities(english_gloss(text))
        reasons = {k: v for k, v in probabilities.items() if k != "ok"}
        if not reasons:
            return None
        label = max(reasons, key=lambda k: reasons[k])
        if label in LEARNED_REASONS and reasons[label] >= BLOCK_THRESHOLD:
            return label
        not_support = sum(v for k, v in reasons.items() if k != "other_customer")
        if label in LEARNED_REASONS and not_support >= SPREAD_BLOCK_THRESHOLD:
            return label
        if reasons.get("off_topic", 0.0) >= OFF_DOMAIN_MIN_DOUBT and self.off_domain(text):
            return "off_topic"
        return None

    def off_domain(self, text: str) -> bool:
        """Whether `text` is English about something the service's vocabulary does not cover."""
        reading = self.domain.read(text)
        return reading is not None and not reading.core and reading.known_share < OFF_DOMAIN_SHARE

    def route(self, text: str, allowed: Collection[str], signed_in: bool = True) -> str:
        """The destination for `text`; a reading below `ROUTE_MIN_CONFIDENCE` goes to triage.

        With nobody signed in, a specialist has no records to read, so a question goes to the
        help center unless the reading of a specialist's request is a confident one."""
        route, confidence = self.route_choice(text, allowed)
        if confidence < ROUTE_MIN_CONFIDENCE and "triage" in allowed:
            return "triage"
        anonymous_guess = confidence < ANONYMOUS_SPECIALIST_MIN and route in SPECIALISTS
        if not signed_in and anonymous_guess and "faq" in allowed:
            return "faq"
        return route

    def route_choice(self, text: str, allowed: Collection[str]) -> tuple[str, float]:
        """The likeliest route; a long story is read for the request it ends with as well."""
        probabilities = self.router.probabilities(english_gloss(text))
        request = closing_request(text)
        if request is not None:
            last = self.router.probabilities(english_gloss(request))
            probabilities = {
                k: (1 - REQUEST_WEIGHT) * v + REQUEST_WEIGHT * last[k]
                for k, v in probabilities.items()
            }
        return best_of(probabilities, allowed)

    def choose_faq(self, text: str, candidates: Collection[str]) -> FaqChoice:
        """The candidate entry the customer asks about, or none when no candidate fits."""
        ranked = self.faq_ranked(text)
        top_label, top_probability = ranked[0]
        if reports_dispute(text):  # an entry on its topic reads sure of it, and settles nothing
            return FaqChoice(None, top_probability)
        if top_label not in candidates or top_probability < FAQ_MIN_CONFIDENCE:
            return FaqChoice(None, top_probability)
        if top_probability < SUSPECT_FAQ_MIN_CONFIDENCE and self.suspect_off_topic(text):
            return FaqChoice(None, top_probability)
        if language.detect_language(text) == "ko" and top_probability < self._korean_faq_floor(
            text
        ):
            return FaqChoice(None, top_probability)
        return FaqChoice(top_label, top_probability)

    def _korean_faq_floor(self, text: str) -> float:
        """How sure a reading of a Korean message must be to answer it from the help center."""
        routes = self.router.probabilities(english_gloss(text))
        if routes.get("triage", 0.0) >= routes.get("faq", 0.0):
            return KOREAN_REPORT_FAQ_MIN_CONFIDENCE
        return KOREAN_FAQ_MIN_CONFIDENCE

    def suspect_off_topic(self, text: str) -> bool:
        probabilities = self.guardrail.probabilities(english_gloss(text))
        return probabilities.get("off_topic", 0.0) >= SUSPECT_OFF_TOPIC

    def faq_ranked(self, text: str) -> list[tuple[str, float]]:
        return self.faq.ranked(english_gloss(text))

    def specialist_choice(self, text: str) -> tuple[str, float]:
        """The tool or action the text asks for, with the classifier's confidence."""
        return self.specialist.best(english_gloss(text))

    def specialist_label(self, text: str) -> str:
        return self.specialist_choice(text)[0]

    def ticket(self, text: str) -> tuple[str, str]:
        read = english_gloss(text)
        return self.category.best(read)[0], self.priority.best(read)[0]


SENTENCE_END = re.compile(r"(?<=[.!?。])\s+|\n+")
STORY_MIN_SENTENCES = 3
REQUEST_WEIGHT = 0.6
"""A message of `STORY_MIN_SENTENCES` sentences or more is a story that ends in a request
("we moved in together... so please upgrade us"): the router reads the closing sentence with
this weight next to the whole text, since the story's words (an outage, a bill) would
otherwise outvote the one sentence that says what the customer wants."""


def closing_request(text: str) -> str | None:
    """The sentence a long message ends with, or None for a message too short to be a story."""
    sentences = [s.strip() for s in SENTENCE_END.split(text.strip()) if s.strip()]
    if len(sentences) < STORY_MIN_SENTENCES:
        return None
    return sentences[-1]


TRAINING_FILES = ("help_center.yaml", "help_center.ko.yaml", "training/examples.jsonl")


def training_digest(data_dir: Path) -> str:
    """Identifies a trained brain: the training data, this code, and the sklearn version."""
    digest = hashlib.sha256(sklearn.__version__.encode())
    for path in [
        *(data_dir / name for name in TRAINING_FILES if (data_dir / name).exists()),
        *Path(__file__).parent.glob("*.py"),
        Path(language.__file__),  # the gloss every text is read with, in training as in use
    ]:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@lru_cache(maxsize=4)
def load_brain(data_dir: Path, cache_dir: Path | None = None) -> OfflineBrain:
    """Train once, then reuse: from this process's memory, else from the on-disk cache.

    Training takes several seconds on two cores; loading the pickled result takes milliseconds.
    The cache is written by this code only and keyed by everything that shapes the result.
    """
    cached = cache_dir / f"brain-{training_digest(data_dir)}.pkl" if cache_dir else None
    if cached is not None and cached.exists():
        try:
            brain = pickle.loads(cached.read_bytes())
            if isinstance(brain, OfflineBrain):
                return brain
        except (pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            pass
    entries = load_help_center(data_dir / "help_center.yaml")
    examples = load_examples(data_dir / "training" / "examples.jsonl")
    korean = data_dir / "help_center.ko.yaml"
    translations = load_help_center(korean) if korean.exists() else []
    brain = OfflineBrain.train(entries, examples, translations)
    if cached is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        partial = cached.with_suffix(".tmp")
        partial.write_bytes(pickle.dumps(brain))
        partial.replace(cached)
    return brain
