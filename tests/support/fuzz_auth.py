"""Who schemathesis's generated requests come from: a hooks module for its CLI.

Loaded through `SCHEMATHESIS_HOOKS=tests.support.fuzz_auth`, it gives every generated request
the next caller of a fixed rotation — an operator key, a service key, a customer's signed JWT,
an operator again, and nobody — so the role checks (401, 403, 404 for another owner's thread)
are fuzzed together with everything else, and operators still reach every operation's depths.
The test configures its server with the same keys and secret, and reads the tally this module
writes at exit to see that every caller was used.
"""

from __future__ import annotations

import atexit
import itertools
import json
import os
import time
from collections import Counter
from typing import Any

import jwt
import schemathesis

OPERATOR_KEY = "fuzz-operator-key"
SERVICE_KEY = "fuzz-service-key"
JWT_SECRET = "fuzz-customer-token-secret-0123456789abcdef"
CUSTOMER = "C-1001"
TALLY_ENV = "SUPPORTGRAPH_FUZZ_TALLY"
"""Where the counts of requests per caller are written when schemathesis exits."""

API_KEYS = {
    OPERATOR_KEY: {"role": "operator", "name": "Fuzz Operator"},
    SERVICE_KEY: {"role": "service", "name": "fuzz backend"},
}


def customer_token() -> str:
    claims = {"sub": CUSTOMER, "exp": int(time.time() + 6 * 3600)}
    return jwt.encode(claims, JWT_SECRET, algorithm="HS256")


def callers() -> list[tuple[str, dict[str, str]]]:
    """The rotation: (caller, headers) in the order requests take them."""
    return [
        ("operator", {"x-api-key": OPERATOR_KEY}),
        ("service", {"x-api-key": SERVICE_KEY}),
        ("customer", {"Authorization": f"Bearer {customer_token()}"}),
        ("operator", {"x-api-key": OPERATOR_KEY}),
        ("nobody", {}),
    ]


_tally: Counter[str] = Counter()


def _write_tally() -> None:
    path = os.environ.get(TALLY_ENV)
    if path:
        with open(path, "w", encoding="utf-8") as out:
            json.dump(dict(_tally), out)


@schemathesis.auth(refresh_interval=None)
class RotatingCallers:
    """Each request's caller is the next of `callers()`; `nobody` sends no credential."""

    def __init__(self) -> None:
        self._next = itertools.cycle(callers())
        atexit.register(_write_tally)

    def get(self, case: Any, context: Any) -> tuple[str, dict[str, str]]:
        return next(self._next)

    def set(self, case: Any, data: tuple[str, dict[str, str]], context: Any) -> None:
        caller, headers = data
        _tally[caller] += 1
        case.headers = {**(case.headers or {}), **headers}
