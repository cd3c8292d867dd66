"""`supportgraph eval`: run labelled queries, each on a fresh thread, and score them."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

from langgraph.graph.state import CompiledStateGraph
from pydantic import BaseModel, Field, ValidationError
from tqdm import tqdm

from api.bootstrap import open_support_app
from api.turns import TurnResult, send_message
from nodes.language import detect_language
from state.schema import CUSTOMER_ID
from state.settings import Settings

KINDS = ("faq", "agent", "ticket", "approval", "blocked")


class Expectation(BaseModel):
    kind: Literal["faq", "agent", "ticket", "approval", "blocked"]
    faq_id: str | None = None
    route: str | None = None
    category: str | None = None


class EvalQuery(BaseModel):
    id: str = Field(min_length=1)
    text: str = Field(min_length=1)
    customer_id: str | None = Field(default=None, pattern=f"^{CUSTOMER_ID}$")
    expect: Expectation | None = None


class LineError(BaseModel):
    line: int
    error: str


def read_queries(path: Path) -> Iterator[EvalQuery | LineError]:
    """Every query of the file, or a line-numbered error for a line that is not one."""
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                yield EvalQuery.model_validate(json.loads(line))
            except json.JSONDecodeError as exc:
                yield LineError(line=number, error=f"not JSON: {exc.msg} (column {exc.colno})")
            except ValidationError as exc:
                first = exc.errors()[0]
                where = ".".join(str(p) for p in first["loc"]) or "line"
                yield LineError(line=number, error=f"{where}: {first['msg']}")


def is_correct(expect: Expectation, result: TurnResult) -> bool:
    if expect.kind == "faq":
        return result.status == "faq_answered" and result.faq_id == expect.faq_id
    if expect.kind == "agent":
        return result.route == expect.route and result.status == "resolved"
    if expect.kind == "ticket":
        return result.status == "ticket_created" and result.category == expect.category
    if expect.kind == "approval":
        return result.interrupted or result.status in ("awaiting_approval", "handed_to_human")
    return result.blocked


def result_record(query_id: str, result: TurnResult) -> dict[str, Any]:
    fields = ("status", "route", "faq_id", "category", "interrupted", "blocked", "ticket_id")
    return {"id": query_id, **result.model_dump(include=set(fields)), "answer": result.answer}


def outcome_kind(result: TurnResult) -> str:
    """The kind a turn's ending reads as, in the labels' own terms (for the confusion matrix)."""
    if result.blocked:
        return "blocked"
    if result.interrupted or result.status in ("awaiting_approval", "handed_to_human"):
        return "approval"
    return {"faq_answered": "faq", "resolved": "agent", "ticket_created": "ticket"}.get(
        result.status or "", "other"
    )


class Scoreboard:
    """Accuracy per kind and per language, and where each kind's turns actually ended."""

    def __init__(self) -> None:
        self.total: Counter[str] = Counter()
        self.correct: Counter[str] = Counter()
        self.language_total: Counter[str] = Counter()
        self.language_correct: Counter[str] = Counter()
        self.confusion: Counter[tuple[str, str]] = Counter()
        self.hallucinations = 0

    def add(self, expect: Expectation, result: TurnResult, text: str = "") -> None:
        right = is_correct(expect, result)
        self.total[expect.kind] += 1
        self.correct[expect.kind] += right
        language = detect_language(text)
        self.language_total[language] += 1
        self.language_correct[language] += right
        self.confusion[(expect.kind, outcome_kind(result))] += 1
        if expect.kind in ("ticket", "blocked") and result.status == "faq_answered":
            self.hallucinations += 1

    def confusion_lines(self) -> list[str]:
        """Expected kind (rows) x outcome (columns); a right outcome can still be wrong on its
        details (another faq_id, route or category), so the diagonal may exceed the score."""
        columns = [*KINDS, *sorted({o for _, o in self.confusion} - set(KINDS))]
        out = ["expected \\ outcome " + " ".join(f"{c:>8s}" for c in columns)]
        for kind in [k for k in KINDS if self.total[k]]:
            cells = " ".join(f"{self.confusion[(kind, c)]:8d}" for c in columns)
            out.append(f"{kind:19s} {cells}")
        return out

    def language_lines(self) -> list[str]:
        return [
            f"language {lang}: {self.language_correct[lang]:3d}/{self.language_total[lang]:3d} "
            f"{100.0 * self.language_correct[lang] / self.language_total[lang]:5.1f}%"
            for lang in sorted(self.language_total)
        ]

    def lines(self) -> list[str]:
        out = [
            f"{kind:9s} {self.correct[kind]:3d}/{self.total[kind]:3d} "
            f"{100.0 * self.correct[kind] / self.total[kind]:5.1f}%"
            for kind in sorted(self.total)
        ]
        n, good = sum(self.total.values()), sum(self.correct.values())
        overall = 100.0 * good / n if n else 0.0
        out.append(f"overall   {good:3d}/{n:3d} {overall:5.1f}%")
        out.append(f"hallucinated help-center answers: {self.hallucinations}")
        return out + self.language_lines() + self.confusion_lines()


async def run_eval(
    graph: CompiledStateGraph[Any, Any, Any, Any], source: Path, out: Path
) -> Scoreboard:
    items = list(read_queries(source))
    board = Scoreboard()
    run = uuid.uuid4().hex[:8]
    with out.open("w", encoding="utf-8") as sink:
        for item in tqdm(items, desc="eval", unit="query", file=sys.stderr):
            if isinstance(item, LineError):
                tqdm.write(f"{source}:{item.line}: skipped: {item.error}", file=sys.stderr)
                continue
            result = await send_message(graph, f"eval-{run}-{item.id}", item.text, item.customer_id)
            sink.write(json.dumps(result_record(item.id, result)) + "\n")
            if item.expect is not None:
                board.add(item.expect, result, item.text)
    return board


def run_evaluation(args: argparse.Namespace, settings: Settings) -> int:
    if not args.file.is_file():
        print(f"supportgraph eval: no such file: {args.file}", file=sys.stderr)
        return 2
    if args.backend == "openai" and not (settings.openai_api_key or settings.openai_base_url):
        print(
            "supportgraph eval: --backend openai needs OPENAI_API_KEY or OPENAI_BASE_URL",
            file=sys.stderr,
        )
        return 2
    if args.backend:
        settings = settings.model_copy(update={"model_backend": args.backend})

    async def evaluate() -> int:
        async with open_support_app(settings) as app:
            board = await run_eval(app.graph, args.file, args.out)
        print("\n".join(board.lines()))
        return 0

    return asyncio.run(evaluate())
