"""Turn a run request into what the graph receives, refusing what it could not run.

Everything a caller sends is checked here, before a run exists: the input against the graph's
input schema, node names, the config. Conversation text is masked before it is stored anywhere
(the run record, then checkpoints): message text in any role, plain or in content blocks, text
fields of a command's or a state update's values, and an operator's free text in a resume.
Every input message gets an id derived from the run, so a retried run re-sends the same
messages (which `add_messages` replaces instead of duplicating) and opens the same turn.
"""

from __future__ import annotations

import uuid
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, convert_to_messages
from pydantic import ValidationError

from api.http.schemas import CommandBody, RunCreate
from nodes.pii import contacts_of, mask_pii
from state.schema import InputState
from state.stores.customers import CustomerDirectory
from tools.call_context import ACTOR_KEY

_RESERVED_CONFIGURABLE = ("thread_id", "checkpoint_id", "checkpoint_ns", "checkpoint_map")
CUSTOMER_CONFIGURABLE = frozenset({"user_id", "locale", "timezone"})
"""The `config.configurable` keys a customer may send (besides the thread addressing keys,
which the server sets itself); anything else is a 422."""


MAX_MESSAGE_CHARS = 16_000
"""Longest message a caller may send (a long e-mail pasted whole fits)."""
MAX_MESSAGES = 50
"""Most messages one input or update may carry."""


class InvalidRun(ValueError):
    """A run request the graph cannot take; `field` is the body field at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def normalize_input(
    raw: dict[str, Any] | None,
    run_id: str,
    customers: CustomerDirectory,
    *,
    signed_in: str | None = None,
    user_only: bool = False,
) -> dict[str, Any] | None:
    """Masked, id-stamped, schema-checked graph input, as JSON ready to store with the run.

    Keys the graph does not take are dropped, as LangGraph's server does (agent-chat-ui sends
    `context` inside `input`); the fields it takes are validated strictly.
    `signed_in` is the customer the caller is (a customer token): the input speaks for that
    customer whatever it says. `user_only` refuses messages other than the user's (a caller
    who is not an operator cannot put words in the assistant's, a tool's or the system's
    mouth) and an input without a user message (it would run a turn nobody screened).
    """
    if raw is None:
        return None
    data = {k: v for k, v in raw.items() if k in InputState.model_fields}
    if signed_in is not None:
        data["customer_id"] = signed_in
    if user_only and not data.get("messages"):
        raise InvalidRun("input.messages", "input.messages needs at least one user message")
    if "messages" in data:
        contacts = contacts_of(customers, _customer(data.get("customer_id")))
        messages = masked_messages(data["messages"], run_id, contacts)
        if user_only:
            others = sorted({m.type for m in messages if not isinstance(m, HumanMessage)})
            if others:
                raise InvalidRun(
                    "input.messages", f"input.messages may only hold user messages, not {others}"
                )
        data["messages"] = [m.model_dump() for m in messages]
    try:
        InputState.model_validate({"messages": [], **data})
    except ValidationError as exc:
        first = exc.errors()[0]
        location = ".".join(str(p) for p in ("input", *first["loc"]))
        raise InvalidRun(location, f"{location}: {first['msg']}") from exc
    return data


def _customer(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def masked_messages(
    raw: Any, run_id: str, own_contacts: frozenset[str] | None = None
) -> list[BaseMessage]:
    """Messages with PII masked in customer text and ids derived from `run_id` where missing."""
    if isinstance(raw, str | dict):
        raw = [raw]
    if not isinstance(raw, list):
        raise InvalidRun("input.messages", "input.messages must be a list of messages")
    if len(raw) > MAX_MESSAGES:
        raise InvalidRun("input.messages", f"input.messages: at most {MAX_MESSAGES} messages")
    try:
        messages = convert_to_messages(raw)
    except KeyError as exc:
        raise InvalidRun("input.messages", f"input.messages: missing field {exc}") from exc
    except (ValueError, TypeError, NotImplementedError) as exc:
        raise InvalidRun("input.messages", f"input.messages: {exc}") from exc
    stamped: list[BaseMessage] = []
    for index, message in enumerate(messages):
        size = len(str(message.content))
        if size > MAX_MESSAGE_CHARS:
            raise InvalidRun(
                f"input.messages.{index}",
                f"input.messages.{index}: {size} characters; a message holds at most "
                f"{MAX_MESSAGE_CHARS}",
            )
        update: dict[str, Any] = {}
        if not message.id:
            update["id"] = str(uuid.uuid5(uuid.UUID(run_id), str(index)))
        # Every caller-written string is masked: text, content-block keys and values, the
        # message's name, its additional_kwargs, and a tool call's arguments.
        content = masked_text(message.content, own_contacts)
        if content != message.content:
            update["content"] = content
        if message.name:
            name = mask_pii(message.name, own_contacts)
            if name != message.name:
                update["name"] = name
        if message.additional_kwargs:
            extra = masked_text(message.additional_kwargs, own_contacts)
            if extra != message.additional_kwargs:
                update["additional_kwargs"] = extra
        if isinstance(message, AIMessage) and message.tool_calls:
            calls = [
                {**c, "args": masked_text(c["args"], own_contacts)} for c in message.tool_calls
            ]
            if calls != message.tool_calls:
                update["tool_calls"] = calls
        stamped.append(message.model_copy(update=update) if update else message)
    return stamped


def masked_text(value: Any, own_contacts: frozenset[str] | None) -> Any:
    """`value` with PII masked in every string it holds (content blocks, nested values)."""
    if isinstance(value, str):
        return mask_pii(value, own_contacts)
    if isinstance(value, list):
        return [masked_text(v, own_contacts) for v in value]
    if isinstance(value, dict):
        return {
            masked_text(k, own_contacts): masked_text(v, own_contacts) for k, v in value.items()
        }
    return value


def masked_update(values: dict[str, Any], customers: CustomerDirectory) -> dict[str, Any]:
    """State values from a caller with their text masked; messages get ids like an input's."""
    contacts = contacts_of(customers, _customer(values.get("customer_id")))
    masked = {k: masked_text(v, contacts) for k, v in values.items() if k != "messages"}
    if "messages" in values:
        masked["messages"] = masked_messages(values["messages"], str(uuid.uuid4()), contacts)
    return {k: masked[k] for k in values}


def normalize_command(
    command: CommandBody | None, customers: CustomerDirectory
) -> dict[str, Any] | None:
    """The command as stored with the run: its update and an operator's resume text masked."""
    if command is None:
        return None
    data = command.model_dump(exclude_none=True)
    if not data:
        raise InvalidRun("command", "command needs at least one of resume, goto, update")
    if "resume" in data:
        data["resume"] = masked_text(data["resume"], frozenset())
    update = data.get("update")
    if isinstance(update, dict):
        data["update"] = _stored(masked_update(update, customers))
    elif isinstance(update, list):
        pairs = [p for p in update if isinstance(p, list) and len(p) == 2 and isinstance(p[0], str)]
        if len(pairs) != len(update):
            raise InvalidRun("command.update", "command.update pairs must be [key, value]")
        data["update"] = [[k, v] for k, v in _stored(masked_update(dict(pairs), customers)).items()]
    return data


def _stored(values: dict[str, Any]) -> dict[str, Any]:
    """Values ready to keep in a run record: messages as the dicts `add_messages` takes."""
    messages = values.get("messages")
    if isinstance(messages, list):
        values["messages"] = [m.model_dump() if isinstance(m, BaseMessage) else m for m in messages]
    return values


def check_nodes(field: str, names: Any, known: set[str]) -> None:
    if names is None or names == "*":
        return
    unknown = sorted(set(names) - known)
    if unknown:
        raise InvalidRun(field, f"{field}: unknown node(s) {unknown}; nodes are {sorted(known)}")


def user_config(body: RunCreate, *, customer: bool = False) -> dict[str, Any]:
    """The caller's config minus what the server owns (thread and checkpoint addressing).

    LangGraph's internal keys (`__pregel_*`, anything starting with `__`) and the server's
    own (`ACTOR_KEY`) are refused for every caller; a customer may send only
    `CUSTOMER_CONFIGURABLE`.
    """
    config = dict(body.config or {})
    configurable = config.get("configurable", {})
    if not isinstance(configurable, dict):
        raise InvalidRun("config.configurable", "config.configurable must be an object")
    internal = sorted(k for k in configurable if k.startswith("__") or k == ACTOR_KEY)
    if internal:
        raise InvalidRun(
            "config.configurable", f"config.configurable: {internal} are set by the server only"
        )
    if customer:
        allowed = CUSTOMER_CONFIGURABLE | set(_RESERVED_CONFIGURABLE)
        outside = sorted(set(configurable) - allowed)
        if outside:
            raise InvalidRun(
                "config.configurable",
                f"config.configurable: {outside} not allowed; a customer may send "
                f"{sorted(CUSTOMER_CONFIGURABLE)}",
            )
    config["configurable"] = {
        k: v for k, v in configurable.items() if k not in _RESERVED_CONFIGURABLE
    }
    limit = config.get("recursion_limit")
    if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool) or limit < 1):
        raise InvalidRun(
            "config.recursion_limit", "config.recursion_limit must be a positive integer"
        )
    tags = config.get("tags")
    if tags is not None and not (isinstance(tags, list) and all(isinstance(t, str) for t in tags)):
        raise InvalidRun("config.tags", "config.tags must be a list of strings")
    metadata = config.get("metadata")
    if metadata is not None and not isinstance(metadata, dict):
        raise InvalidRun("config.metadata", "config.metadata must be an object")
    return config
