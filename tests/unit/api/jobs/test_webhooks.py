"""Webhook signatures and target checks (no network: literal addresses and the allow-list)."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from api.jobs.webhooks import WebhookRefused, check_target, encode_body, sign


def test_signature_is_hmac_sha256_over_the_exact_body() -> None:
    body = encode_body({"b": 1, "a": [1, 2]})
    assert body == b'{"a":[1,2],"b":1}'
    expected = hmac.new(b"secret", body, hashlib.sha256).hexdigest()
    assert sign(body, "secret") == f"sha256={expected}"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/x",
        "http://10.0.0.8/x",
        "http://192.168.1.1/x",
        "http://[::1]/x",
        "http://[fd00::1]/x",
        "http://169.254.169.254/x",
        "http://0.0.0.0/x",
        "file:///etc/passwd",
        "gopher://8.8.8.8/x",
        "http:///nohost",
    ],
)
async def test_private_loopback_and_odd_targets_are_refused(url: str) -> None:
    with pytest.raises(WebhookRefused):
        await check_target(url, allowed_hosts=[])


async def test_public_addresses_and_allowed_hosts_pass() -> None:
    await check_target("https://8.8.8.8/hook", allowed_hosts=[])
    await check_target("http://127.0.0.1:9000/hook", allowed_hosts=["127.0.0.1"])
