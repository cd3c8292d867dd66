"""The API's edge: what it masks before storing a request, and what it calls a Redis outage."""

from __future__ import annotations

import json

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ResponseError

from api.http.run_input import masked_messages, masked_update, normalize_command
from api.http.schemas import CommandBody
from api.runs.outage import storage_unavailable
from state.stores.customers import CustomerDirectory
from tests.support.paths import REPO_ROOT

CUSTOMERS = CustomerDirectory.from_file(REPO_ROOT / "data" / "customers.json")
RUN_ID = "6f1c1a52-93c1-4d6b-9d59-0f9d1f1f0a01"
OWN = frozenset({"maria.gonzalez@example.com", "+1-206-555-0134"})


def test_text_in_content_blocks_and_every_role_is_masked() -> None:
    messages = masked_messages(
        [
            {"role": "user", "content": [{"type": "text", "text": "card 4111 1111 1111 1111"}]},
            {"role": "assistant", "content": "I noted john@othermail.com"},
            {"role": "user", "content": "mail me at maria.gonzalez@example.com"},
        ],
        RUN_ID,
        OWN,
    )
    assert messages[0].content == [{"type": "text", "text": "card [card ending 1111]"}]
    assert messages[1].content == "I noted [e-mail address]"
    assert messages[2].content == "mail me at maria.gonzalez@example.com"
    assert len({m.id for m in messages}) == 3


def test_a_commands_update_and_resume_text_are_masked_before_storing() -> None:
    command = normalize_command(
        CommandBody(
            resume={"decision": "reject", "reason": "SSN 078-05-1120, card 6011111111111117"},
            update={
                "customer_id": "C-1001",
                "messages": [{"role": "user", "content": "call (415) 555-2671 or +1-206-555-0134"}],
                "ticket_summary": "customer gave card 5555-5555-5555-4444",
            },
        ),
        CUSTOMERS,
    )
    assert command is not None
    stored = json.dumps(command)
    for raw in ("078-05-1120", "6011111111111117", "(415) 555-2671", "5555-5555-5555-4444"):
        assert raw not in stored
    assert command["resume"]["reason"] == "SSN [id number], card [card ending 1117]"
    assert command["update"]["messages"][0]["content"] == "call [phone number] or +1-206-555-0134"
    assert command["update"]["messages"][0]["id"]


def test_update_pairs_are_masked_like_a_mapping() -> None:
    command = normalize_command(
        CommandBody(update=[["messages", [{"role": "user", "content": "SSN 219-09-9999"}]]]),
        CUSTOMERS,
    )
    assert command is not None
    assert command["update"][0][0] == "messages"
    assert command["update"][0][1][0]["content"] == "SSN [id number]"


def test_state_values_keep_their_order_and_the_customers_own_contacts() -> None:
    values = masked_update(
        {"messages": "reach me at maria.gonzalez@example.com", "customer_id": "C-1001"},
        CUSTOMERS,
    )
    assert list(values) == ["messages", "customer_id"]
    assert values["messages"][0].content == "reach me at maria.gonzalez@example.com"


def test_a_redis_outage_is_recognised_however_it_was_wrapped() -> None:
    down = RedisConnectionError("Connection refused")
    try:
        try:
            raise down
        except RedisConnectionError as exc:
            raise RuntimeError("Error while searching") from exc
    except RuntimeError as wrapped:
        assert storage_unavailable(wrapped)
    assert storage_unavailable(ExceptionGroup("task group", [ValueError("x"), down]))
    assert not storage_unavailable(ResponseError("WRONGTYPE"))
    assert not storage_unavailable(ValueError("bad input"))


def test_names_extra_fields_block_keys_and_tool_arguments_are_masked() -> None:
    card = "4111 1111 1111 1111"
    [human, ai] = masked_messages(
        [
            {
                "role": "user",
                "content": [{"type": "text", "text": "hi", f"note {card}": "x"}],
                "name": f"card {card}",
                "additional_kwargs": {"memo": f"SSN 078-05-1120 card {card}"},
            },
            {
                "role": "assistant",
                "content": "",
                "tool_calls": [
                    {"name": "request_refund", "args": {"reason": f"card {card}"}, "id": "c1"}
                ],
            },
        ],
        RUN_ID,
        OWN,
    )
    stored = json.dumps([human.model_dump(), ai.model_dump()])
    assert card not in stored
    assert "078-05-1120" not in stored
    assert human.name == "card [card ending 1111]"
