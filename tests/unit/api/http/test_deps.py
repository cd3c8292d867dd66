"""The dependencies every route takes resolve on the event loop, not in the thread pool."""

from __future__ import annotations

from typing import Any

import fastapi.dependencies.utils as fastapi_dependencies
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.http.deps import Authed, Services
from api.http.security import ApiKeyCheck
from state.settings import Settings


def test_services_and_caller_take_no_thread_pool_hop(monkeypatch: pytest.MonkeyPatch) -> None:
    hops: list[Any] = []
    original = fastapi_dependencies.run_in_threadpool

    async def counted(func: Any, *args: Any, **kwargs: Any) -> Any:
        hops.append(func)
        return await original(func, *args, **kwargs)

    monkeypatch.setattr(fastapi_dependencies, "run_in_threadpool", counted)
    app = FastAPI()
    app.state.services = "the services"
    app.state.key_check = ApiKeyCheck(Settings(api_keys="k-1"))  # type: ignore[arg-type]

    @app.get("/probe")
    async def probe(svc: Services, who: Authed) -> dict[str, str]:
        return {"services": str(svc), "role": who.role}

    with TestClient(app) as client:
        answer = client.get("/probe", headers={"x-api-key": "k-1"})
        refused = client.get("/probe", headers={"x-api-key": "wrong"})

    assert answer.status_code == 200
    assert answer.json() == {"services": "the services", "role": "service"}
    assert refused.status_code == 401
    assert hops == []
