"""No raw PII reaches Redis through the HTTP API: every key, of every type, is read back.

A signed-in customer (C-1001) sends card numbers, national-ID numbers and other people's
e-mail addresses and phone numbers through every way the API takes text: a waited run, a
streamed run with content blocks, a background run, a resume with an operator's free text, a
command update, a state update, and stateless runs (kept and dropped). Then every key in the
test's own Redis is read (strings, hashes, JSON documents, lists, sets, sorted sets, streams)
and so is the append-only file, which still holds what was written and deleted since. Values
are unwrapped the ways the product stores them (JSON, base64, zlib) before they are searched.

The customer's own e-mail and phone may stay, and do. Metadata (thread, run, config) is the
caller's own bookkeeping, not conversation, and is stored as sent: none is used here.
"""

from __future__ import annotations

import base64
import binascii
import re
import zlib
from collections.abc import AsyncIterator, Iterator
from typing import Any

import redis.asyncio as aioredis
from langgraph_sdk.client import LangGraphClient

from state.redis_server import ManagedRedis
from tests.support.messages import PLAN_CHANGE, user

CARDS = ["4111 1111 1111 1111", "5555-5555-5555-4444", "3782 822463 10005", "6011111111111117"]
NATIONAL_IDS = ["078-05-1120", "219-09-9999"]
OTHER_EMAILS = ["john.smith@othermail.com", "jane.doe@corp-mail.net", "bob.l@example.org"]
OTHER_PHONES = ["(415) 555-2671", "+44 20 7946 0958", "212-555-0199"]
OWN_EMAIL, OWN_PHONE = "maria.gonzalez@example.com", "+1-206-555-0134"


def needles() -> dict[str, bytes]:
    """Each raw value as typed and as bare digits (storage may normalise the separators)."""
    found: dict[str, bytes] = {}
    for value in [*CARDS, *NATIONAL_IDS, *OTHER_PHONES]:
        found[value] = value.encode()
        found[f"{value} (digits)"] = re.sub(r"\D", "", value).encode()
    for email in OTHER_EMAILS:
        found[email] = email.encode()
    return found


async def converse(client: LangGraphClient) -> str:
    """The PII-laden conversation, through every entry point; returns its thread."""
    card, amex, discover, other = CARDS[0], CARDS[2], CARDS[3], CARDS[1]
    ssn, ssn2 = NATIONAL_IDS
    mail1, mail2, mail3 = OTHER_EMAILS
    phone1, phone2, phone3 = OTHER_PHONES
    runs = client.runs
    main = (await client.threads.create())["thread_id"]
    await runs.wait(
        main,
        "support",
        input=user(
            f"My card {card} was charged twice and my SSN is {ssn}. Please e-mail "
            f"{mail1} or call {phone1}; you can reach me at {OWN_EMAIL} or {OWN_PHONE}."
        ),
    )
    blocks = [{"type": "text", "text": f"Refund it to card {other}; my colleague is {mail2}."}]
    async for _ in runs.stream(main, "support", input=user(blocks)):
        pass
    upgrade = await runs.create(
        main, "support", input=user(f"{PLAN_CHANGE} Bill card {amex}, call {phone2}.")
    )
    assert (await runs.join(main, upgrade["run_id"]))["__interrupt__"]
    await runs.wait(
        main,
        "support",
        command={"resume": {"decision": "reject", "reason": f"card {discover} is not on file"}},
    )
    await runs.wait(
        main,
        "support",
        command={"update": {"messages": [{"role": "user", "content": f"SSN again: {ssn2}"}]}},
    )
    await client.threads.update_state(
        main,
        {"messages": [{"role": "user", "content": f"Also my friend {mail3}, {phone3}."}]},
    )
    await runs.wait(
        main,
        "support",
        input=user(f"My landline crackles on every call since the storm; card {card}."),
    )
    await runs.wait(None, "support", input=user(f"Card {card}, SSN {ssn}, {mail1}."))
    await runs.wait(
        None,
        "support",
        input=user(f"How do I reset my voicemail PIN? Card {other}, phone {phone1}."),
        on_completion="keep",
    )
    return main


def unwrapped(blob: bytes, depth: int = 0) -> Iterator[bytes]:
    """`blob` and whatever can be decoded out of it: base64 runs, zlib or gzip streams."""
    yield blob
    if depth >= 3:
        return
    for token in re.findall(rb"[A-Za-z0-9+/_-]{24,}={0,2}", blob):
        for decode in (base64.b64decode, base64.urlsafe_b64decode):
            try:
                decoded = decode(token + b"=" * (-len(token) % 4))
            except (binascii.Error, ValueError):
                continue
            yield from unwrapped(decoded, depth + 1)
    try:
        inflated = zlib.decompress(blob, wbits=47)
    except zlib.error:
        return
    yield from unwrapped(inflated, depth + 1)


async def stored_values(redis: aioredis.Redis) -> AsyncIterator[tuple[str, bytes]]:
    """Every key with everything it holds, as bytes, whatever its type."""
    async for raw_key in redis.scan_iter(count=1000):
        key = raw_key.decode()
        kind = (await redis.type(raw_key)).decode()
        parts: list[Any]
        if kind == "string":
            parts = [await redis.get(raw_key)]
        elif kind == "hash":
            parts = [x for kv in (await redis.hgetall(raw_key)).items() for x in kv]
        elif kind == "ReJSON-RL":
            parts = [await redis.execute_command("JSON.GET", raw_key, "$")]
        elif kind == "list":
            parts = await redis.lrange(raw_key, 0, -1)
        elif kind == "set":
            parts = list(await redis.smembers(raw_key))
        elif kind == "zset":
            parts = [m for m, _ in await redis.zrange(raw_key, 0, -1, withscores=True)]
        elif kind == "stream":
            entries = await redis.xrange(raw_key)
            parts = [x for _, fields in entries for kv in fields.items() for x in kv]
        else:
            raise AssertionError(f"{key}: a key type this test does not read: {kind}")
        yield (
            key,
            raw_key
            + b"\n"
            + b"\n".join(p if isinstance(p, bytes) else str(p).encode() for p in parts),
        )


def leaks_in(where: str, blob: bytes, wanted: dict[str, bytes]) -> list[str]:
    return [
        f"{where}: {name}"
        for form in unwrapped(blob)
        for name, needle in wanted.items()
        if needle in form
    ]


async def test_no_raw_pii_in_redis(
    private_client: LangGraphClient, private_redis: ManagedRedis
) -> None:
    main = await converse(private_client)
    url = private_redis.status().url
    assert url is not None
    wanted = needles()

    # The conversation went through, masked: the customer sees placeholders, and their own
    # contact details, which may stay.
    state = await private_client.threads.get_state(main)
    shown = " ".join(str(m["content"]) for m in state["values"]["messages"])
    assert "[card ending 1111]" in shown and "[id number]" in shown
    assert "[e-mail address]" in shown and "[phone number]" in shown
    assert OWN_EMAIL in shown and OWN_PHONE in shown
    assert "[card ending 4444]" in shown, "the content blocks were not kept"
    assert "rejected this request: card [card ending 1117]" in shown, "the resume did not land"

    redis = aioredis.Redis.from_url(url)
    leaks: list[str] = []
    keys = 0
    try:
        async for key, blob in stored_values(redis):
            keys += 1
            leaks += leaks_in(key, blob, wanted)
    finally:
        await redis.aclose()
    assert keys > 20, "the conversation left almost nothing in Redis"

    # The append-only file also holds values written and deleted since (a dropped stateless
    # thread, replaced checkpoints).
    for aof in sorted((private_redis.home / "appendonlydir").glob("*.aof")):
        leaks += leaks_in(aof.name, aof.read_bytes(), wanted)
    assert not leaks, "\n".join(sorted(set(leaks)))
    print(f"\npii storage: {keys} keys and the AOF searched for {len(wanted)} raw values")
