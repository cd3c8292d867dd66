"""Held-out split by paraphrase family, for `supportgraph eval`.

Every third family of `data/training/examples.jsonl` (in name order) is left out of training;
its examples become labelled queries. The command writes a copy of the data directory without
those families and the queries file, so the offline backend trained on the rest can be scored
on wording it has never seen:

    python -m tests.support.split_families OUT_DIR
    SUPPORTGRAPH_DATA_DIR=OUT_DIR/data SUPPORTGRAPH_KEY_PREFIX=sgho \\
        supportgraph eval OUT_DIR/heldout_queries.jsonl --out OUT_DIR/results.jsonl

Adding families shifts which ones are every third, so `--same-as OLD_OUT_DIR` holds out the
families an earlier split held out (from its `held_out_families.txt`) instead: the same test
before and after a change to the training data.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from typing import Any

from nodes.llm.extract import plan_target

DATA = Path(__file__).parents[2] / "data"
SIGNED_IN = "C-1001"
"""Mobile and internet on file, region with no incident: every kind of request applies."""


def expectation(example: dict[str, Any]) -> dict[str, Any]:
    route = example["route"]
    if route == "faq":
        return {"kind": "faq", "faq_id": example["faq_id"]}
    if route == "blocked":
        return {"kind": "blocked"}
    if route == "triage":
        return {"kind": "ticket", "category": example["category"]}
    if example.get("action") == "change_plan" and plan_target(example["text"]) is None:
        return {"kind": "agent", "route": route}  # no plan named: the agent asks which one
    if route == "human" or example.get("action"):
        return {"kind": "approval"}
    return {"kind": "agent", "route": route}


def held_out_families(examples: list[dict[str, Any]]) -> list[str]:
    families = sorted({str(x["family"]) for x in examples if x.get("family")})
    return families[1::3]


def main(out: Path, same_as: Path | None = None) -> None:
    lines = (DATA / "training" / "examples.jsonl").read_text(encoding="utf-8").splitlines()
    examples = [json.loads(line) for line in lines if line.strip()]
    if same_as is not None:
        held = set((same_as / "held_out_families.txt").read_text(encoding="utf-8").split())
    else:
        held = set(held_out_families(examples))
    shutil.copytree(DATA, out / "data", dirs_exist_ok=True)
    kept = [x for x in examples if x.get("family") not in held]
    (out / "data" / "training" / "examples.jsonl").write_text(
        "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in kept), encoding="utf-8"
    )
    with (out / "heldout_queries.jsonl").open("w", encoding="utf-8") as sink:
        for number, x in enumerate(x for x in examples if x.get("family") in held):
            query = {
                "id": f"ho-{number:03d}",
                "text": x["text"],
                "customer_id": SIGNED_IN if x.get("signed_in") else None,
                "expect": expectation(x),
            }
            sink.write(json.dumps(query, ensure_ascii=False) + "\n")
    (out / "held_out_families.txt").write_text("\n".join(sorted(held)) + "\n", encoding="utf-8")
    print(f"held out {len(held)} families: {', '.join(sorted(held))}")


if __name__ == "__main__":
    arguments = sys.argv[1:]
    earlier = Path(arguments[2]) if arguments[1:2] == ["--same-as"] else None
    main(Path(arguments[0]), earlier)
