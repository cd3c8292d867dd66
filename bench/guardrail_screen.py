"""The guardrail's local screen (rules + trained classifier) on the labelled corpora, and its
latency per message against message length.

* corpora: attacks blocked and benign blocked, per corpus and per kind (family);
* --families: the classifier retrained with every third training family left out, scored on
  the left-out families only (how it does on paraphrase families it never saw);
* timing: p50 of `deterministic_block` per message, by message length, the texts of the
  corpora repeated up to each length so the growth with length shows.

The second to fourth held-out corpora (`tests/data/guardrail_heldout2.jsonl` to
`guardrail_heldout4.jsonl`) are scored only with --final: each was written before the changes
it measures and is not to be tuned on.

    PYTHONPATH=$PWD .venv/bin/python bench/guardrail_screen.py [--final] [--families]
        [--threshold 0.6] [--show-errors]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from nodes.guardrail import deterministic_block
from nodes.guardrail_model import (
    BLOCK_PROBABILITY,
    GuardrailModel,
    load_guardrail_examples,
    load_guardrail_model,
    training_texts,
)
from nodes.guardrail_reading import read
from nodes.llm.classifier import text_ngrams
from state.settings import Settings
from state.stores.customers import CustomerDirectory

ROOT = Path(__file__).parents[1]
TEST_DATA = ROOT / "tests" / "data"
CORPORA = ("guardrail_corpus.jsonl", "guardrail_heldout.jsonl")
FINAL = (
    "guardrail_heldout2.jsonl",
    "guardrail_heldout3.jsonl",
    "guardrail_heldout4.jsonl",
    "guardrail_heldout6.jsonl",
)
LENGTHS = (50, 200, 1_000, 4_000, 16_000)


def load(name: str) -> list[dict[str, Any]]:
    lines = (TEST_DATA / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def score(
    name: str,
    corpus: list[dict[str, Any]],
    customers: CustomerDirectory,
    model: GuardrailModel,
    show_errors: bool,
) -> None:
    by_kind: dict[tuple[str, str], list[bool]] = defaultdict(list)
    for message in corpus:
        blocked = deterministic_block(message["text"], message["customer_id"], customers, model)
        by_kind[(message["label"], message["kind"])].append(blocked is not None)
        wrong = (blocked is not None) != (message["label"] == "attack")
        if show_errors and wrong:
            print(
                f"   {message['label']:6} {message['kind']}/{message['lang']}: {message['text']!r}"
            )
    attacks = [b for (label, _), bs in by_kind.items() if label == "attack" for b in bs]
    benign = [b for (label, _), bs in by_kind.items() if label == "benign" for b in bs]
    rates = sum(attacks) / len(attacks), sum(benign) / len(benign)
    print(
        f"{name}: attacks blocked {sum(attacks)}/{len(attacks)} ({rates[0]:.1%}),"
        f" benign blocked {sum(benign)}/{len(benign)} ({rates[1]:.1%})"
    )
    for (label, kind), bs in sorted(by_kind.items()):
        print(f"   {label:6} {kind:28} blocked {sum(bs):3}/{len(bs):3}")


def families(
    data_dir: Path, threshold: float, customers: CustomerDirectory, show_errors: bool
) -> None:
    """Every third family (in name order) out of training, scored on those families: the
    classifier alone, and with the rules (the whole local screen)."""
    examples = load_guardrail_examples(data_dir / "training" / "guardrail.jsonl")
    names = sorted({x.family for x in examples})
    totals: dict[tuple[str, bool], list[bool]] = defaultdict(list)
    for start in range(3):
        held = set(names[start::3])
        model = GuardrailModel(*training_texts(data_dir, leave_out=held), threshold=threshold)
        test = [x for x in examples if x.family in held]
        alone: dict[bool, list[bool]] = defaultdict(list)
        screen: dict[bool, list[bool]] = defaultdict(list)
        for x in test:
            alone[x.label != "ok"].append(model.verdict(read(x.text).forms) is not None)
            blocked = deterministic_block(x.text, "C-1005", customers, model) is not None
            screen[x.label != "ok"].append(blocked)
            if show_errors and blocked != (x.label != "ok"):
                print(f"   {x.label:14} {x.family}: {x.text!r}")
        for name, found in (("classifier", alone), ("rules+classifier", screen)):
            for attack in (True, False):
                totals[(name, attack)] += found[attack]
            print(
                f"fold {start} ({len(held)} families left out), {name}: attacks blocked "
                f"{sum(found[True])}/{len(found[True])}, benign blocked "
                f"{sum(found[False])}/{len(found[False])}"
            )
    for name in ("classifier", "rules+classifier"):
        attacks, benign = totals[(name, True)], totals[(name, False)]
        print(
            f"families held out, 3 folds, {name}: attacks blocked {sum(attacks)}/{len(attacks)}"
            f" ({sum(attacks) / len(attacks):.1%}), benign blocked {sum(benign)}/{len(benign)}"
            f" ({sum(benign) / len(benign):.1%})"
        )


def _p50_ms(texts: list[str], customers: CustomerDirectory, model: GuardrailModel) -> float:
    samples = []
    for text in texts:
        text_ngrams.cache_clear()  # every message analysed as a new one
        start = time.perf_counter()
        deterministic_block(text, "C-1005", customers, model)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def reading_growth() -> None:
    """`read` alone on 8x the text: about 8x the time if it stays linear (this was a unit test;
    timings belong here, where a loaded machine only makes a figure worse, not a build red)."""
    unit = "my internet is slow and I want to know why, C-1001, ji-ho park. "
    best = []
    for repeat in (50, 400):
        runs = []
        for _ in range(5):
            start = time.perf_counter()
            read(unit * repeat)
            runs.append(time.perf_counter() - start)
        best.append(min(runs))
    print(f"reading 8x the text takes {best[1] / best[0]:.1f}x the time (linear: about 8x)")


def timing(texts: list[str], customers: CustomerDirectory, model: GuardrailModel) -> None:
    mean = sum(map(len, texts)) / len(texts)
    p50 = _p50_ms(texts, customers, model)
    print(f"corpus messages as written ({len(texts)}, mean {mean:.0f} chars): p50 {p50:.3f} ms")
    sample = texts[:: max(1, len(texts) // 120)]
    for length in LENGTHS:
        bodies = [((text + " ") * (length // (len(text) + 1) + 1))[:length] for text in sample]
        p50 = _p50_ms(bodies, customers, model)
        print(f"length {length:6}: p50 {p50:7.3f} ms ({p50 / length * 1000:.2f} µs/char)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--final", action="store_true", help="also the held-out corpora 2-4")
    parser.add_argument("--families", action="store_true", help="family-held-out folds")
    parser.add_argument("--threshold", type=float, default=BLOCK_PROBABILITY)
    parser.add_argument("--show-errors", action="store_true")
    parser.add_argument("--no-timing", action="store_true")
    args = parser.parse_args()
    settings = Settings(model_backend="offline", redis_url=None)
    customers = CustomerDirectory.from_file(settings.data_dir / "customers.json")
    model = load_guardrail_model(settings.data_dir, settings.cache_dir)
    model.threshold = args.threshold
    names = [*CORPORA, *FINAL] if args.final else list(CORPORA)
    corpora = {name: load(name) for name in names}
    for name, corpus in corpora.items():
        score(name, corpus, customers, model, args.show_errors)
    if args.families:
        families(settings.data_dir, args.threshold, customers, args.show_errors)
    if not args.no_timing:
        texts = [m["text"] for corpus in corpora.values() for m in corpus]
        deterministic_block("warm up", None, customers, model)
        timing(texts, customers, model)
        reading_growth()


if __name__ == "__main__":
    main()
