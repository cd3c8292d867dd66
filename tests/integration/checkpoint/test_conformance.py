"""langgraph-checkpoint-conformance, run against `SupportRedisSaver` on the session's Redis.

Twice: storing the library's documents, and as the product configures it (compact bodies,
shared message bodies, a thread TTL). RediSearch only indexes database 0, so each run is
isolated by key prefix instead: its indexes and documents live under a prefix of their own
and are dropped afterwards.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from uuid import uuid4

import pytest
from langgraph.checkpoint.conformance import checkpointer_test, validate

from state.checkpoint.lifecycle import ThreadPolicy
from state.checkpoint.saver import SupportRedisSaver
from state.checkpoint.ttl import ThreadTtl
from tests.support.checkpoints import prefixed_saver
from tests.support.saver_cleanup import purge_saver

# Every capability of langgraph-checkpoint-conformance 0.0.2; the library's AsyncRedisSaver
# lacks `delete_for_runs` and `copy_thread`.
EXPECTED_CAPABILITIES = {
    "put",
    "put_writes",
    "get_tuple",
    "list",
    "delete_thread",
    "prune",
    "delete_for_runs",
    "copy_thread",
}
# 17 + 10 + 10 + 16 + 5 + 8 tests for the first six, 7 for delete_for_runs, 8 for copy_thread.
EXPECTED_TESTS = 81

POLICIES = {
    "library-documents": None,
    "product": ThreadPolicy(ttl=ThreadTtl(3600), compact=True, shared_messages=True),
}


async def _purge(redis_url: str, prefix: str) -> None:
    """Drop everything a saver with `prefix` wrote."""
    saver = prefixed_saver(redis_url, prefix)
    async with saver:
        await purge_saver(redis_url, saver, prefix)


@pytest.mark.parametrize("policy", POLICIES.values(), ids=POLICIES.keys())
async def test_support_redis_saver_passes_conformance(
    redis_url: str, policy: ThreadPolicy | None
) -> None:
    prefix = f"conformance_{uuid4().hex[:12]}"

    @checkpointer_test(name="SupportRedisSaver")
    async def support_saver() -> AsyncIterator[SupportRedisSaver]:
        saver = prefixed_saver(redis_url, prefix, policy)
        async with saver:  # runs asetup(); closes the client on exit
            yield saver

    try:
        report = await validate(support_saver)
    finally:
        await _purge(redis_url, prefix)

    ran = {name: result for name, result in report.results.items() if result.detected}
    failures = [f"{name}: {failure}" for name, r in ran.items() for failure in r.failures]
    passed = sum(result.tests_passed for result in ran.values())
    assert not failures, f"{len(failures)} conformance test(s) failed:\n" + "\n".join(failures)
    assert set(ran) == EXPECTED_CAPABILITIES, f"capabilities tested: {sorted(ran)}"
    assert passed == EXPECTED_TESTS, f"{passed} conformance tests passed, not {EXPECTED_TESTS}"
