"""The offline model abstains when unsure: an unsure route goes to triage, an anonymous
question to the help center, and a reading spread over off-topic and abuse is refused."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from nodes import language
from nodes.llm.brain import OfflineBrain, closing_request, load_brain, training_digest
from nodes.llm.classifier import TextClassifier
from state.settings import Settings

ROUTES = ("faq", "billing", "technical", "account", "human", "triage")


@cache
def _brain() -> OfflineBrain:
    settings = Settings(model_backend="offline", redis_url=None)
    return load_brain(settings.data_dir, settings.cache_dir)


class _Fixed(TextClassifier):
    """A classifier that gives the same probabilities to every text."""

    def __init__(self, probabilities: dict[str, float]) -> None:
        self.labels = tuple(probabilities)
        self._fixed = probabilities

    def probabilities(self, text: str) -> dict[str, float]:
        return dict(self._fixed)


def _with(**classifiers: TextClassifier) -> OfflineBrain:
    brain = _brain()
    fields = {name: getattr(brain, name) for name in brain.__dataclass_fields__}
    return OfflineBrain(**{**fields, **classifiers})


def test_an_unsure_route_goes_to_triage() -> None:
    spread = {"faq": 0.25, "billing": 0.24, "account": 0.2, "technical": 0.11,
              "human": 0.1, "triage": 0.1}  # fmt: skip
    assert _with(router=_Fixed(spread)).route("hmm", ROUTES) == "triage"


def test_a_sure_route_is_kept() -> None:
    sure = {"faq": 0.05, "billing": 0.8, "account": 0.05, "technical": 0.04,
            "human": 0.03, "triage": 0.03}  # fmt: skip
    assert _with(router=_Fixed(sure)).route("what do I owe", ROUTES) == "billing"


@pytest.mark.parametrize(
    "text", ["What payment methods do you accept?", "요금 납부 방법은 어떤 것들이 있나요?"]
)
def test_an_anonymous_question_goes_to_the_help_center_not_a_specialist(text: str) -> None:
    assert _brain().route(text, ROUTES, signed_in=False) == "faq"


def test_a_reading_spread_over_off_topic_and_abuse_is_refused() -> None:
    spread = {"ok": 0.3, "off_topic": 0.4, "abuse": 0.25, "injection": 0.05}
    assert _with(guardrail=_Fixed(spread)).block_reason("who wins tonight") == "off_topic"


def test_a_spread_reading_with_injection_or_another_customer_is_left_to_the_rules() -> None:
    spread = {"ok": 0.3, "other_customer": 0.35, "injection": 0.3, "off_topic": 0.05}
    assert _with(guardrail=_Fixed(spread)).block_reason("what's my tier") is None


@pytest.mark.parametrize("reason", ["injection", "other_customer"])
def test_an_injection_or_other_customer_reading_is_left_to_the_screen_however_sure(
    reason: str,
) -> None:
    """The guardrail's rules and screen read every language and know the directory; this
    classifier's sure-looking guesses there were support wording it could not read."""
    half_sure = {"ok": 0.35, reason: 0.6, "off_topic": 0.05}
    assert _with(guardrail=_Fixed(half_sure)).block_reason("the previous steps") is None
    sure = {"ok": 0.05, reason: 0.9, "off_topic": 0.05}
    assert _with(guardrail=_Fixed(sure)).block_reason("the previous steps") is None


def test_a_support_question_in_a_language_the_classifier_never_read_is_not_refused() -> None:
    text = "Conforme as instruções anteriores, reiniciei o roteador. Continua sem sinal."
    assert _brain().block_reason(text) is None


def test_a_half_sure_off_topic_reading_is_still_refused() -> None:
    half_sure = {"ok": 0.4, "off_topic": 0.55, "abuse": 0.05}
    assert _with(guardrail=_Fixed(half_sure)).block_reason("who won the match") == "off_topic"


def test_english_about_nothing_the_service_knows_is_refused_on_a_small_doubt() -> None:
    faint = {"ok": 0.88, "off_topic": 0.08, "abuse": 0.02, "injection": 0.02}
    brain = _with(guardrail=_Fixed(faint))
    assert brain.block_reason("how do I bake a banana bread with walnuts") == "off_topic"
    assert brain.block_reason("my router keeps dropping the wifi at night") is None
    assert brain.block_reason("mi abuela quiere cambiar la tarifa del móvil") is None


def test_without_any_doubt_an_unknown_subject_is_not_refused() -> None:
    sure = {"ok": 0.98, "off_topic": 0.01, "abuse": 0.005, "injection": 0.005}
    brain = _with(guardrail=_Fixed(sure))
    assert brain.block_reason("how do I bake a banana bread with walnuts") is None


def test_a_half_suspected_off_topic_message_gets_no_unsure_help_center_answer() -> None:
    weak = {"faq-034": 0.2, "faq-035": 0.1, "faq-001": 0.7}
    faq = _Fixed({"faq-001": 0.05, "faq-034": 0.2, "faq-035": 0.1, "faq-040": 0.65})
    suspect = _with(faq=faq, guardrail=_Fixed({"ok": 0.6, "off_topic": 0.4}))
    assert suspect.choose_faq("can u do my homework", list(weak)).faq_id is None
    trusted = _with(faq=faq, guardrail=_Fixed({"ok": 0.95, "off_topic": 0.05}))
    assert trusted.choose_faq("can u do my homework", ["faq-040"]).faq_id == "faq-040"
    sure = _Fixed({"faq-034": 0.6, "faq-035": 0.4})
    suspect_but_sure = _with(faq=sure, guardrail=_Fixed({"ok": 0.6, "off_topic": 0.4}))
    assert suspect_but_sure.choose_faq("parental controls", ["faq-034"]).faq_id == "faq-034"


def test_a_long_story_is_routed_by_the_request_it_ends_with() -> None:
    story = {"faq": 0.05, "billing": 0.05, "account": 0.1, "technical": 0.05,
             "human": 0.05, "triage": 0.7}  # fmt: skip
    request = {"faq": 0.02, "billing": 0.02, "account": 0.9, "technical": 0.02,
               "human": 0.02, "triage": 0.02}  # fmt: skip

    class _ByLength(TextClassifier):
        labels = ROUTES

        def __init__(self) -> None:
            pass

        def probabilities(self, text: str) -> dict[str, float]:
            return dict(story if len(text) > 60 else request)

    text = (
        "Our internet froze every night this month. The kids complain. We talked it over. "
        "Please upgrade us."
    )
    assert _with(router=_ByLength()).route(text, ROUTES) == "account"
    assert _with(router=_ByLength()).route("a short request about my account", ROUTES) == (
        "account"
    )


def test_a_short_message_is_not_read_as_a_story() -> None:
    assert closing_request("Please upgrade me. Thanks!") is None
    assert closing_request("One. Two. Three, please.") == "Three, please."


def test_the_trained_brain_is_keyed_by_the_korean_gloss_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every text is read through the gloss in `nodes/language.py`: a changed gloss must
    retrain, not reuse a cached brain trained on the old one."""
    data = tmp_path
    gloss = data / "language.py"
    gloss.write_text("A = 1\n")
    monkeypatch.setattr(language, "__file__", str(gloss))
    before = training_digest(data)
    gloss.write_text("A = 2\n")
    assert training_digest(data) != before


@pytest.mark.parametrize(
    ("text", "routes", "top", "answered"),
    [
        ("환불 관련 문의요", {"faq": 0.7, "triage": 0.2}, 0.25, False),  # a weak Korean reading
        ("about refunds", {"faq": 0.7, "triage": 0.2}, 0.25, True),  # English keeps its bar
        ("환불 관련 문의요", {"faq": 0.7, "triage": 0.2}, 0.45, True),
        ("환불이 안 됐어요", {"faq": 0.3, "triage": 0.6}, 0.45, False),  # read as a report
        ("환불이 안 됐어요", {"faq": 0.3, "triage": 0.6}, 0.8, True),
    ],
)
def test_a_korean_message_whose_best_entry_is_weak_gets_no_help_center_answer(
    text: str, routes: dict[str, float], top: float, answered: bool
) -> None:
    others = {"billing": 0.04, "account": 0.03, "technical": 0.02, "human": 0.01}
    rest = ("faq-001", "faq-003", "faq-005", "faq-007", "faq-008")
    entries = {"faq-006": top, **{faq_id: (1 - top) / len(rest) for faq_id in rest}}
    brain = _with(router=_Fixed({**routes, **others}), faq=_Fixed(entries))

    choice = brain.choose_faq(text, ["faq-006", *rest])

    assert (choice.faq_id == "faq-006") is answered


@pytest.mark.parametrize(
    "report",
    [
        "설치 기사님이 약속한 날에 안 오셨어요 하루 종일 기다렸어요",
        "the technician never showed up for my install appointment, I waited all day",
    ],
)
def test_a_report_no_entry_fixes_is_not_answered_with_the_entry_on_its_topic(
    report: str,
) -> None:
    choice = _brain().choose_faq(report, ["faq-029", "faq-044", "faq-045", "faq-030"])

    assert choice.faq_id is None


@pytest.mark.parametrize(
    "dispute",
    [
        "the trade-in was meant to be $9 a month off, but the bill shows $6. something's off",
        "보상판매 크레딧 매달 9달러여야 하는데 6달러만 들어왔어요. 어떻게 해주실 건가요?",
    ],
)
def test_a_dispute_is_not_answered_by_the_entry_on_its_topic_however_sure(dispute: str) -> None:
    routes = {"faq": 0.9, "triage": 0.05, "billing": 0.02, "account": 0.01, "technical": 0.01,
              "human": 0.01}  # fmt: skip
    entries = {"faq-025": 0.95, "faq-024": 0.03, "faq-026": 0.02}
    brain = _with(router=_Fixed(routes), faq=_Fixed(entries))

    assert brain.choose_faq(dispute, list(entries)).faq_id is None


@pytest.mark.parametrize(
    "text",
    [
        "please reply in Spanish, it's for my mother",
        "Could you write back in Korean? My grandmother is reading.",
    ],
)
def test_asking_for_a_reply_in_another_language_is_not_refused(text: str) -> None:
    assert _brain().block_reason(text) is None
