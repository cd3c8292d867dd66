"""Reading an evaluation file: good lines become queries, bad ones are reported by number."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from api.cli.evaluate import EvalQuery, LineError, read_queries


@pytest.fixture
def queries_file(tmp_path: Path) -> Path:
    lines = [
        json.dumps({"id": "q1", "text": "Do you take PayPal?"}),
        '{"id": "q2", "text": "my bill is wrong"',
        "",
        json.dumps({"id": "q3", "customer_id": "C-1001"}),
        json.dumps({"id": "q4", "text": "What do I owe?", "customer_id": "1001"}),
        json.dumps(
            {
                "id": "q5",
                "text": "Refund my late fee",
                "customer_id": "C-1006",
                "expect": {"kind": "approval"},
            }
        ),
        json.dumps({"id": "q6", "text": ""}),
        json.dumps({"id": "q7", "text": "hello", "expect": {"kind": "teleport"}}),
        "[1, 2, 3]",
        json.dumps({"id": "q8", "text": "Is there an outage?", "customer_id": "C-1023"}),
    ]
    path = tmp_path / "queries.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_good_lines_are_read_as_queries_in_order(queries_file: Path) -> None:
    good = [item for item in read_queries(queries_file) if isinstance(item, EvalQuery)]

    assert [q.id for q in good] == ["q1", "q5", "q8"]
    assert good[1].customer_id == "C-1006"
    assert good[1].expect is not None
    assert good[1].expect.kind == "approval"


def test_malformed_lines_are_reported_with_their_line_numbers(queries_file: Path) -> None:
    errors = {
        item.line: item.error for item in read_queries(queries_file) if isinstance(item, LineError)
    }

    assert sorted(errors) == [2, 4, 5, 7, 8, 9]
    assert errors[2].startswith("not JSON")
    assert errors[4].startswith("text:")
    assert "required" in errors[4]
    assert errors[5].startswith("customer_id:")
    assert "pattern" in errors[5]
    assert errors[7].startswith("text:")
    assert errors[8].startswith("expect.kind:")


def test_blank_lines_are_skipped_but_still_counted(queries_file: Path) -> None:
    items = list(read_queries(queries_file))

    assert len(items) == 9
    assert all(not (isinstance(i, LineError) and i.line == 3) for i in items)


def test_an_empty_file_yields_nothing(tmp_path: Path) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_text("\n\n", encoding="utf-8")

    assert list(read_queries(path)) == []
