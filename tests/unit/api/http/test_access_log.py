"""The access line: what a request asked, how it ended, and why a 4xx was refused."""

from __future__ import annotations

import json
import time

from api.http.access_log import access_record

RUN = "1f0c2a52-93c1-4d6b-9d59-0f9d1f1f0a01"


def test_a_run_is_named_from_its_path_or_the_location_the_response_gives() -> None:
    started = time.perf_counter()
    joined = access_record(
        {"method": "GET", "path": f"/threads/t/runs/{RUN}/join"}, 200, started, {}, b""
    )
    assert joined["method"] == "GET"
    assert joined["status"] == 200
    assert joined["run_id"] == RUN
    assert joined["duration_ms"] >= 0
    assert "reason" not in joined

    created = access_record(
        {"method": "POST", "path": "/threads/t/runs/stream"},
        200,
        started,
        {"content-location": f"/threads/t/runs/{RUN}"},
        b"",
    )
    assert created["run_id"] == RUN


def test_a_4xx_line_carries_the_reason_the_client_was_given() -> None:
    started = time.perf_counter()
    missing = access_record(
        {"method": "GET", "path": "/threads/x"},
        404,
        started,
        {},
        json.dumps({"detail": "thread x not found"}).encode(),
    )
    assert missing["reason"] == "thread x not found"

    invalid = json.dumps(
        {"detail": [{"loc": ["body", "stream_mode"], "msg": "unknown stream mode", "type": "x"}]}
    ).encode()
    refused = access_record({"method": "POST", "path": "/runs"}, 422, started, {}, invalid)
    assert refused["reason"] == [{"loc": "body.stream_mode", "msg": "unknown stream mode"}]

    plain = access_record({"method": "POST", "path": "/runs"}, 400, started, {}, b"bad things")
    assert plain["reason"] == "bad things"
