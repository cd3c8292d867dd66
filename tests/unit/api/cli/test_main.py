"""The command line refuses bad arguments and bad configuration with a message, not a trace."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.cli.main import build_parser, main
from state.settings import get_settings


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["serve", "--port", "70000"], "port must be 0-65535"),
        (["serve", "--port", "abc"], "port must be 0-65535"),
        (["serve", "--workers", "0"], "workers must be 1-64"),
        (["serve", "--workers", "many"], "workers must be 1-64"),
        (["chat", "--customer", "maria"], "customer id must look like C-1001"),
        (["redis", "restart"], "invalid choice"),
        (["launch"], "invalid choice"),
    ],
)
def test_bad_arguments_exit_2_with_the_reason(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        build_parser().parse_args(argv)
    assert stopped.value.code == 2
    assert message in capsys.readouterr().err


def test_good_serve_arguments_parse() -> None:
    args = build_parser().parse_args(["serve", "--port", "0", "--workers", "2"])
    assert (args.port, args.workers, args.host) == (0, 2, None)


def test_invalid_configuration_is_reported_not_raised(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SUPPORTGRAPH_RUN_DURABILITY", "sometimes")
    get_settings.cache_clear()
    try:
        assert main(["redis", "status"]) == 2
    finally:
        get_settings.cache_clear()
    err = capsys.readouterr().err
    assert "invalid configuration" in err
    assert "run_durability" in err


def test_eval_of_a_missing_file_names_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nope.jsonl"
    assert main(["eval", str(missing), "--out", str(tmp_path / "out.jsonl")]) == 2
    assert f"no such file: {missing}" in capsys.readouterr().err


def test_eval_takes_a_backend_and_refuses_an_unknown_one(
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = build_parser().parse_args(["eval", "q.jsonl", "--out", "r.jsonl", "--backend", "openai"])
    assert args.backend == "openai"
    with pytest.raises(SystemExit):
        build_parser().parse_args(["eval", "q.jsonl", "--out", "r.jsonl", "--backend", "gpt"])
    assert "invalid choice" in capsys.readouterr().err
