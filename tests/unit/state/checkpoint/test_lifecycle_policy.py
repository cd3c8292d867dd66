"""Thread TTL arithmetic, compact checkpoint bodies, and `supportgraph threads prune` arguments."""

from __future__ import annotations

import orjson
import pytest
from langchain_core.messages import AIMessage, HumanMessage
from langgraph.checkpoint.base import empty_checkpoint
from pydantic import ValidationError

from api.bootstrap import thread_policy
from api.cli.main import build_parser
from api.runs.prune import PruneReport
from state.checkpoint.compact import PACKED, is_packed, pack_body, unpack_body
from state.checkpoint.lifecycle import ThreadPolicy
from state.checkpoint.serde import SupportRedisSerializer
from state.checkpoint.ttl import RefreshClock, ThreadTtl
from state.settings import Settings


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["threads", "prune", "--idle-days", "0"], "must be a positive number of days, got '0'"),
        (["threads", "prune", "--idle-days", "-3"], "must be a positive number of days"),
        (["threads", "prune", "--idle-days", "soon"], "got 'soon'"),
        (["threads", "prune", "--idle-days", "inf"], "got 'inf'"),
        (["threads", "prune", "--idle-days", "nan"], "got 'nan'"),
        (["threads", "prune", "--idle-days"], "expected one argument"),
        (["threads", "prune", "--older", "3"], "unrecognized arguments"),
        (["threads"], "the following arguments are required: action"),
        (["threads", "purge"], "invalid choice"),
    ],
)
def test_bad_prune_arguments_exit_2_with_the_reason(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        build_parser().parse_args(argv)
    assert stopped.value.code == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "days", "dry_run"),
    [
        (["threads", "prune"], None, False),
        (["threads", "prune", "--dry-run"], None, True),
        (["threads", "prune", "--idle-days", "30"], 30.0, False),
        (["threads", "prune", "--idle-days", "0.5", "--dry-run"], 0.5, True),
    ],
)
def test_good_prune_arguments_parse(argv: list[str], days: float | None, dry_run: bool) -> None:
    args = build_parser().parse_args(argv)
    assert (args.command, args.action, args.idle_days, args.dry_run) == (
        "threads",
        "prune",
        days,
        dry_run,
    )


def test_prune_report_says_what_it_would_do() -> None:
    report = PruneReport(dry_run=True, idle_days=30.0, scanned=4, idle=["a"], orphaned=["b"])
    lines = "\n".join(report.lines())
    assert "threads scanned: 4" in lines
    assert "idle > 30.0 days, would delete: 1" in lines
    assert "checkpoints are gone, would delete: 1" in lines
    assert "not asked" in "\n".join(PruneReport(dry_run=False, idle_days=None).lines())


@pytest.mark.parametrize("seconds", [1, 7, 59, 61, 3599, 86_400, 30 * 86_400, 10**9 + 7])
def test_the_library_gets_exactly_the_expiry_in_whole_seconds(seconds: int) -> None:
    ttl = ThreadTtl(seconds)
    assert ttl.ttl_seconds < ttl.expire_seconds <= ttl.ttl_seconds + 3600
    assert int(ttl.library_config()["default_ttl"] * 60) == ttl.expire_seconds


def test_ttl_settings_none_and_zero_keep_threads_forever() -> None:
    assert ThreadTtl.from_seconds(None) is None
    assert ThreadTtl.from_seconds(0) is None
    with pytest.raises(ValueError, match="positive"):
        ThreadTtl(-5)
    with pytest.raises(ValidationError):
        Settings(thread_ttl_seconds=-1)
    with pytest.raises(ValidationError):
        Settings(checkpoint_keep_last=0)


def test_settings_become_the_checkpointer_policy() -> None:
    settings = Settings(thread_ttl_seconds=600, checkpoint_keep_last=5, compact_checkpoints=False)
    assert thread_policy(settings) == ThreadPolicy(
        ttl=ThreadTtl(600), keep_last=5, compact=False, shared_messages=True
    )
    assert thread_policy(Settings()) == ThreadPolicy(
        ttl=None, keep_last=None, compact=True, shared_messages=True
    )


def test_refresh_clock_refreshes_once_per_interval(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [1000.0]
    monkeypatch.setattr("state.checkpoint.ttl.time.monotonic", lambda: now[0])
    clock = RefreshClock(ThreadTtl(100))  # refreshes at most every 10 s
    assert clock.due("t1")
    assert not clock.due("t1")
    assert clock.due("t2")
    now[0] += 9.9
    assert not clock.due("t1")
    now[0] += 0.2
    assert clock.due("t1")
    clock.forget("t1")
    assert clock.due("t1")


def test_a_packed_body_unpacks_to_the_same_document() -> None:
    serde = SupportRedisSerializer()
    checkpoint = empty_checkpoint()
    history = [
        message
        for turn in range(20)
        for message in (
            HumanMessage(f"question {turn}: how do I reset my voicemail PIN?", id=f"h{turn}"),
            AIMessage(f"Answer {turn}: dial 121 and follow the prompts, café ✓", id=f"a{turn}"),
        )
    ]
    checkpoint["channel_values"] = {"messages": history, "route": "faq", "step": 3, "x": None}
    checkpoint["channel_versions"] = {"messages": "00000000000000000000000000000002.0.5"}
    kind, data = serde.dumps_typed(checkpoint)
    body = {"type": kind, **orjson.loads(data), "pending_sends": []}
    packed = pack_body(body)
    assert list(packed) == ["channel_values"]
    assert is_packed(packed["channel_values"])
    assert not is_packed({PACKED: "x", "other": 1})
    assert not is_packed(body["channel_values"])
    assert unpack_body(packed["channel_values"]) == body
    assert len(orjson.dumps(packed)) * 4 < len(orjson.dumps(body))
