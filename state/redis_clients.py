"""The one way the product opens Redis clients: a stale pooled connection is replaced, not
reported.

After Redis restarts, every connection in a pool is one Redis has closed. redis-py's
`from_url` pools give their connections no retry at all (`Retry(NoBackoff(), 0)`; only a
client built without a pool gets redis-py's default retry), so the first command on each such
connection failed with `ConnectionError` and the API answered 503. Every client the product
builds (the API's, the checkpointer's, the task queue's, the CLI's and Studio's) now takes
`connection_options()`. Not `redis_server.py`'s own calls to the managed server: fresh
one-shot connections whose probe must fail fast and whose SHUTDOWN must never be resent.

- `health_check_interval`: a connection idle for longer than that sends PING before the
  command, and a PING that fails reconnects (redis-py retries the PING under the same policy).
  A connection Redis closed while it sat in the pool is therefore found out *before* the
  command is written to it, so the command itself is sent once, on a fresh connection.
- `retry` with `retry_on_error=[ConnectionError, TimeoutError]`: a command whose connection
  fails is sent again on a new connection, a few times, with exponential backoff capped at
  `RETRY_CAP` seconds. While Redis stays down the last error still surfaces (as the API's
  503), only about a second later than before.

Why resending is safe for what the product sends. A retried command was either never
executed (the write or the read failed on a connection that was already dead: the restart
case, and the common one) or executed with its reply lost (Redis or the network failed
mid-reply). The second case can run a command twice, and the product's commands are built for
it:
- writes that matter are idempotent or one Lua script guarded by a key that the first run
  sets: job creation and settle (`status ~= 'queued'`), audit append (`SADD` of the entry id),
  action commit (`EXISTS` of the action), ticket creation, run enqueue (`EXISTS` of the run);
  a replay answers "already there" and changes nothing (a lost-reply settle then reads as
  lost, so `job_finished` may be missing for that job; the job ends once either way);
- plain `SET`/`HSET`/`ZADD`/`SADD`/`DEL`/`EXPIRE` and reads repeat harmlessly;
- the counters that are not guarded (metrics `HINCRBY`, a job's attempt counter, the request
  quota's `INCR`) may count one extra in that case: a metric one high, one job attempt fewer
  before it fails visibly, one request of quota. None of them commits customer-visible work.
- a run's event stream (`XADD` in `api/runs/event_log.py`) may hold that one event twice,
  under two stream ids: a client reading the stream sees it twice;
- saq's dequeue (`BLMOVE`) whose reply is lost leaves the job in saq's active list with no
  worker on it; saq's sweep re-queues it, as for a worker that died;
- a `MULTI`/`EXEC` pipeline is resent whole; the product's set or delete the same keys again.

Replies are parsed by hiredis (C) rather than redis-py's pure-Python RESP parser: under load
the parser was a visible share of a worker's CPU per turn. It is named here, not left to
redis-py's "if hiredis happens to be importable", so a broken install fails loudly.
"""

from __future__ import annotations

from typing import Any

import redis
import redis.asyncio as aioredis
from redis._parsers import _AsyncHiredisParser, _HiredisParser
from redis.asyncio.retry import Retry as AsyncRetry
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

RETRIES = 3
"""Resends of one command after its connection failed (a stale one needs one)."""
RETRY_BASE = 0.05
RETRY_CAP = 0.5
HEALTH_CHECK_SECONDS = 5
"""A connection idle this long is checked with PING before it carries a command."""
RETRIED_ERRORS: list[type[Exception]] = [RedisConnectionError, RedisTimeoutError]


def connection_options(*, asynchronous: bool = True) -> dict[str, Any]:
    """The retry and health-check keywords for `from_url` (a client's or a pool's)."""
    backoff = ExponentialBackoff(cap=RETRY_CAP, base=RETRY_BASE)
    retry = AsyncRetry(backoff, RETRIES) if asynchronous else Retry(backoff, RETRIES)
    parser = _AsyncHiredisParser if asynchronous else _HiredisParser
    return {
        "parser_class": parser,
        "retry": retry,
        "retry_on_error": list(RETRIED_ERRORS),
        "health_check_interval": HEALTH_CHECK_SECONDS,
    }


def async_client(url: str, **options: Any) -> aioredis.Redis:
    """An asyncio client on `url` whose pooled connections survive a Redis restart."""
    return aioredis.Redis.from_url(url, **{**connection_options(), **options})


def sync_client(url: str, **options: Any) -> redis.Redis:
    """A blocking client on `url`, with the same retry and health check."""
    return redis.Redis.from_url(url, **{**connection_options(asynchronous=False), **options})


def blocking_async_pool(url: str, **options: Any) -> aioredis.BlockingConnectionPool:
    """An asyncio pool that waits for a free connection instead of raising, same retry."""
    pool: aioredis.BlockingConnectionPool = aioredis.BlockingConnectionPool.from_url(
        url, **{**connection_options(), **options}
    )
    return pool
