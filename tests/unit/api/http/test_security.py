"""Who is calling: the key forms the settings accept, customer tokens, and what each role may
ask of a run. Pure logic: no server, no Redis."""

from __future__ import annotations

import json
import time

import jwt
import pytest
from fastapi import HTTPException
from starlette.requests import Request

from api.http.run_input import InvalidRun, user_config
from api.http.schemas import RunCreate
from api.http.security import (
    ApiKeyCheck,
    Caller,
    authorize_run,
    authorize_state_update,
    customer_owner,
)
from state.settings import Settings

SECRET = "unit-test-customer-token-secret-0123456789"


def request(headers: dict[str, str]) -> Request:
    raw = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    return Request({"type": "http", "method": "GET", "path": "/", "headers": raw})


def check(**settings: object) -> ApiKeyCheck:
    return ApiKeyCheck(Settings(**settings))  # type: ignore[arg-type]


def test_the_old_key_forms_are_services_and_the_object_form_names_roles() -> None:
    for value in ("a,b", '["a", "b"]'):
        keys = Settings(api_keys=value).api_keys  # type: ignore[arg-type]
        assert [(k.key.get_secret_value(), k.role) for k in keys] == [
            ("a", "service"),
            ("b", "service"),
        ]
    spec = json.dumps({"op": {"role": "operator", "name": "Sam"}, "svc": {"role": "service"}})
    keys = Settings(api_keys=spec).api_keys  # type: ignore[arg-type]
    assert [(k.role, k.name) for k in keys] == [("operator", "Sam"), ("service", "")]
    with pytest.raises(ValueError, match="role"):
        Settings(api_keys=json.dumps({"x": {"role": "root"}}))  # type: ignore[arg-type]


def test_a_key_says_its_role_and_name() -> None:
    keys = check(api_keys=json.dumps({"op": {"role": "operator", "name": "Sam"}, "svc": {}}))
    operator = keys(request({"x-api-key": "op"}))
    assert (operator.role, operator.name) == ("operator", "Sam")
    assert keys(request({"x-api-key": "svc"})).role == "service"
    for headers in ({}, {"x-api-key": "nope"}, {"authorization": "Bearer x"}):
        with pytest.raises(HTTPException) as refused:
            keys(request(headers))
        assert refused.value.status_code == 401


def test_a_customer_token_makes_the_caller_that_customer() -> None:
    keys = check(customer_jwt_secret=SECRET)
    token = jwt.encode({"sub": "C-1001", "exp": int(time.time()) + 60}, SECRET)
    caller = keys(request({"authorization": f"Bearer {token}"}))
    assert caller == Caller(customer_owner("C-1001"), "customer", "C-1001", "C-1001")
    for claims in (
        {"sub": "C-1001"},
        {"sub": "C-1001", "exp": int(time.time()) - 60},
        {"exp": 9e9},
    ):
        bad = jwt.encode(claims, SECRET)
        with pytest.raises(HTTPException) as refused:
            keys(request({"authorization": f"Bearer {bad}"}))
        assert refused.value.status_code == 401


def test_a_customer_token_sent_as_the_api_key_makes_the_caller_that_customer() -> None:
    """agent-chat-ui's only credential field is the API key it sends as `x-api-key`."""
    keys = check(api_keys=json.dumps({"op": {"role": "operator"}}), customer_jwt_secret=SECRET)
    token = jwt.encode({"sub": "C-1001", "exp": int(time.time()) + 60}, SECRET)
    assert keys(request({"x-api-key": token})) == CUSTOMER
    assert keys(request({"x-api-key": "op"})).is_operator
    forged = jwt.encode({"sub": "C-1001", "exp": int(time.time()) + 60}, "another secret " * 3)
    expired = jwt.encode({"sub": "C-1001", "exp": int(time.time()) - 60}, SECRET)
    for given in (forged, expired, "a.b.c"):
        with pytest.raises(HTTPException) as refused:
            keys(request({"x-api-key": given}))
        assert refused.value.status_code == 401
    without_tokens = check(api_keys=json.dumps({"op": {"role": "operator"}}))
    with pytest.raises(HTTPException) as refused:
        without_tokens(request({"x-api-key": token}))
    assert refused.value.detail == "invalid API key"


def test_open_mode_only_without_any_credential() -> None:
    assert check().open
    assert not check(customer_jwt_secret=SECRET).open
    assert check()(request({})).is_operator


CUSTOMER = Caller(customer_owner("C-1001"), "customer", "C-1001", "C-1001")
SERVICE = Caller("svc", "service", "backend")


@pytest.mark.parametrize(
    "body",
    [
        {"command": {"goto": "billing"}},
        {"command": {"update": {"status": "resolved"}}},
        {"interrupt_before": ["router"]},
        {"interrupt_after": "*"},
        {"input": {"messages": [], "customer_id": "C-1002"}},
    ],
)
def test_what_a_customer_may_not_ask_of_a_run(body: dict[str, object]) -> None:
    with pytest.raises(HTTPException) as refused:
        authorize_run(CUSTOMER, RunCreate.model_validate({"assistant_id": "support", **body}))
    assert refused.value.status_code == 403


def test_a_service_may_not_write_messages_through_state_or_commands() -> None:
    messages = {"messages": [{"role": "user", "content": "x"}]}
    with pytest.raises(HTTPException):
        authorize_run(SERVICE, RunCreate(assistant_id="support", command={"update": messages}))  # type: ignore[arg-type]
    with pytest.raises(HTTPException):
        authorize_state_update(SERVICE, messages)
    authorize_state_update(SERVICE, {"customer_id": "C-1001"})
    with pytest.raises(HTTPException):
        authorize_state_update(CUSTOMER, {"customer_id": "C-1001"})


def test_internal_configurable_keys_are_refused_and_customers_have_an_allow_list() -> None:
    for key in ("__pregel_checkpointer", "__anything", "supportgraph_actor"):
        body = RunCreate(assistant_id="support", config={"configurable": {key: None}})
        with pytest.raises(InvalidRun):
            user_config(body)
    odd = RunCreate(assistant_id="support", config={"configurable": {"model": "x"}})
    assert user_config(odd)["configurable"] == {"model": "x"}
    with pytest.raises(InvalidRun):
        user_config(odd, customer=True)
    fine = RunCreate(assistant_id="support", config={"configurable": {"locale": "ko-KR"}})
    assert user_config(fine, customer=True)["configurable"] == {"locale": "ko-KR"}
