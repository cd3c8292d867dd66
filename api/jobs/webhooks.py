"""Run webhooks: the run's final state POSTed to the caller's URL, signed, retried, SSRF-safe.

The body is signed with HMAC-SHA256 over its exact bytes (`X-Supportgraph-Signature:
sha256=<hex>`, secret `SUPPORTGRAPH_WEBHOOK_SECRET`) and names its delivery (`X-Supportgraph-
Delivery`: the run id and attempt), which the receiver can use to drop repeats. Delivery is a
task-queue job: a non-2xx answer or a network error raises, and saq retries it with exponential
backoff; once a delivery got a 2xx it is marked and never sent again. A target must be http(s)
and resolve only to public addresses, unless its host is in `SUPPORTGRAPH_WEBHOOK_ALLOWED_HOSTS`.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import ipaddress
import json
import logging
import socket
from collections.abc import Collection
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import httpx

if TYPE_CHECKING:
    from redis.asyncio import Redis

    from api.bootstrap import SupportApp
    from api.runs.outcome import RunOutcome
    from api.runs.records import RunRecord
    from state.settings import Settings

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Supportgraph-Signature"
DELIVERY_HEADER = "X-Supportgraph-Delivery"
DELIVERED_TTL_SECONDS = 7 * 24 * 3600


class WebhookRefused(ValueError):
    """A webhook target this server will not call; the message says why."""


class WebhookFailed(RuntimeError):
    """The receiver did not accept the delivery; the task queue retries it."""


def sign(body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def encode_body(body: dict[str, Any]) -> bytes:
    return json.dumps(body, sort_keys=True, separators=(",", ":"), default=str).encode()


async def check_target(url: str, allowed_hosts: Collection[str]) -> None:
    """Refuse anything but http(s) to a public address, or to a host on the allow-list."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise WebhookRefused("a webhook must be an http:// or https:// URL with a host")
    host = parts.hostname.lower()
    if host in allowed_hosts:
        return
    try:
        addresses = [ipaddress.ip_address(host)]
    except ValueError:
        try:
            found = await asyncio.get_running_loop().getaddrinfo(
                host, parts.port or 443, type=socket.SOCK_STREAM
            )
        except OSError as exc:
            raise WebhookRefused(f"webhook host {host} does not resolve") from exc
        addresses = [ipaddress.ip_address(info[4][0]) for info in found]
    private = [str(a) for a in addresses if not a.is_global]
    if private or not addresses:
        raise WebhookRefused(
            f"webhook host {host} resolves to a private, loopback or reserved address "
            f"({', '.join(private) or 'none'}); allow it in SUPPORTGRAPH_WEBHOOK_ALLOWED_HOSTS"
        )


def run_payload(
    run: Any, outcome_status: str, values: dict[str, Any], error: Any
) -> dict[str, Any]:
    """What a webhook receives: the run and its final state (as `runs/wait` returns it)."""
    return {
        "run_id": run.run_id,
        "thread_id": run.thread_id,
        "assistant_id": run.assistant_id,
        "attempt": run.attempt,
        "status": outcome_status,
        "metadata": run.metadata,
        "values": values,
        "error": error,
    }


async def deliver(
    settings: Settings, redis: Redis, delivery_id: str, payload: dict[str, Any]
) -> dict[str, Any]:
    """One delivery attempt; raises `WebhookFailed` so the task queue retries it."""
    marker = f"{settings.key_prefix}:webhook:delivered:{delivery_id}"
    if await redis.exists(marker):
        return {"delivery_id": delivery_id, "delivered": "before"}
    url = str(payload["url"])
    try:
        await check_target(url, settings.webhook_allowed_hosts)
    except WebhookRefused as exc:
        log.warning("webhook %s refused: %s", delivery_id, exc)
        return {"delivery_id": delivery_id, "refused": str(exc)}
    body = encode_body(payload["body"])
    headers = {"content-type": "application/json", DELIVERY_HEADER: delivery_id}
    if settings.webhook_secret is not None:
        headers[SIGNATURE_HEADER] = sign(body, settings.webhook_secret.get_secret_value())
    async with httpx.AsyncClient(timeout=10, follow_redirects=False) as client:
        try:
            response = await client.post(url, content=body, headers=headers)
        except httpx.HTTPError as exc:
            raise WebhookFailed(f"webhook {delivery_id} to {url}: {exc}") from exc
    if not 200 <= response.status_code < 300:
        raise WebhookFailed(f"webhook {delivery_id}: {url} answered {response.status_code}")
    await redis.set(marker, "1", ex=DELIVERED_TTL_SECONDS)
    return {"delivery_id": delivery_id, "delivered": response.status_code}


async def queue_webhook(app: SupportApp, run: RunRecord, outcome: RunOutcome) -> None:
    """Hand the run's webhook to the task queue: one delivery per run attempt."""
    body = run_payload(run, outcome.status, outcome.values, outcome.error)
    payload = {"url": run.params.webhook, "body": body}
    await app.tasks.deliver_webhook(f"{run.run_id}:{run.attempt}", payload)
