"""A finished turn's counters go to Redis as one script call, and read back as before."""

from __future__ import annotations

import redis.asyncio as aioredis

from api.observability.metrics import MINUTE_TTL_SECONDS, TurnMetrics
from api.runs.keys import ApiKeys
from state.redis_server import ManagedRedis
from tests.integration.api.test_scheduled_runs import commands_of


async def test_a_turn_is_recorded_in_one_script_call(private_redis: ManagedRedis) -> None:
    url = private_redis.status().url
    assert url is not None
    async with aioredis.Redis.from_url(url) as client:
        metrics = TurnMetrics(client, "m", ApiKeys("m"))
        keys = metrics.keys
        await client.hset(keys.waiting_kind, "t-faq", "approval")
        blocked = {"status": "blocked", "route": "guardrail", "block_reason": "injection"}
        await metrics.record_turn("t-warm", blocked, 0.2, False)  # loads the script

        async def turns() -> None:
            await metrics.record_turn(
                "t-faq", {"status": "faq_answered", "route": "faq"}, 0.03, False
            )
            fell_back = {"model_fallbacks": ["router", "faq"]}
            await metrics.record_turn("t-err", fell_back, 3.0, True)

        sent = await commands_of(client, turns)
        assert sent["cmdstat_evalsha"] == 2
        assert "cmdstat_hdel" in sent  # inside the script: no command of its own
        total = sum(v for k, v in sent.items() if not k.startswith("cmdstat_info"))
        assert total == (1 + 5 + 2) + (1 + 5 + 1 + 4 + 2)  # EVALSHA + what each turn ran

        counted = {k.decode(): v.decode() for k, v in (await client.hgetall(keys.turns)).items()}
        assert counted == {"blocked|guardrail": "1", "faq_answered|faq": "1", "error|none": "1"}
        latency = await client.hgetall(keys.latency)
        assert latency[b"0.05"] == b"1" and latency[b"0.25"] == b"1" and latency[b"5.0"] == b"1"
        assert abs(float(latency[b"sum"]) - 3.23) < 1e-9
        assert await client.hgetall(keys.blocks) == {b"injection": b"1"}
        assert await client.hgetall(keys.fallbacks) == {b"router": b"1", b"faq": b"1"}
        assert await client.hget(keys.waiting_kind, "t-faq") is None
        minutes = [k async for k in client.scan_iter(match=f"{keys.prefix}:minute:*")]
        buckets = [await client.hgetall(m) for m in minutes]  # a minute may turn mid-test
        summed = {
            f: sum(int(b.get(f.encode(), 0)) for b in buckets)
            for f in ("turns", "blocked", "errors", "fallbacks")
        }
        assert summed == {"turns": 3, "blocked": 1, "errors": 1, "fallbacks": 2}
        for m in minutes:
            assert 0 < await client.ttl(m) <= MINUTE_TTL_SECONDS
