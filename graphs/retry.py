"""Which failures a node retries: the transient ones, never a wrong answer or a bad request.

A node that fails on a dropped Redis connection, a timeout, or an overloaded model endpoint is
run again from its first line, after an exponential backoff with jitter, a bounded number of
times. That is safe because side effects are idempotent (keyed by thread, turn and tool call)
and a retried node's `interrupt()` reuses the answer it already has. A validation error, a
policy refusal or a 4xx would fail the same way again: those are not retried.
"""

from __future__ import annotations

import sys

from langgraph.types import RetryPolicy
from pydantic import ValidationError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError


def is_transient(exc: Exception) -> bool:
    """True for failures that can pass on their own: connections, timeouts, 429 and 5xx."""
    if isinstance(exc, ValidationError | ValueError):  # includes OutputParserException
        return False
    if isinstance(exc, RedisConnectionError | RedisTimeoutError | ConnectionError | TimeoutError):
        return True
    # Only modules already imported can have raised: importing them here would cost start-up.
    openai = sys.modules.get("openai")
    if openai is not None and isinstance(
        exc, openai.APIConnectionError | openai.RateLimitError | openai.InternalServerError
    ):
        return True
    httpx = sys.modules.get("httpx")
    if httpx is not None:
        if isinstance(exc, httpx.TransportError):
            return True
        if isinstance(exc, httpx.HTTPStatusError):
            status: int = exc.response.status_code
            return status == 429 or status >= 500
    return False


TRANSIENT_RETRY = RetryPolicy(
    max_attempts=3,
    initial_interval=0.2,
    backoff_factor=2.0,
    max_interval=2.0,
    jitter=True,
    retry_on=is_transient,
)
"""Up to two retries, after 0.2 s * 2^n (at most 2 s) plus up to 1 s of jitter each."""
