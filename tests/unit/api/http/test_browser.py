"""CORS and JSON bodies, in process: the middleware answers before any route or Redis."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.http.app import create_app
from api.http.browser import cors_options
from state.settings import Settings


def preflight(settings: Settings, origin: str) -> dict[str, str]:
    app = create_app(settings)
    answer = TestClient(app).options(
        "/threads",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "x-api-key, content-type",
        },
    )
    return dict(answer.headers)


def test_local_development_origins_are_allowed_by_default() -> None:
    for origin in ("http://localhost:3000", "http://127.0.0.1:5173", "http://[::1]:8080"):
        assert preflight(Settings(), origin)["access-control-allow-origin"] == origin
    assert "access-control-allow-origin" not in preflight(Settings(), "https://evil.example")
    assert "access-control-allow-origin" not in preflight(Settings(), "http://localhost.evil")


def test_configured_origins_replace_the_local_default() -> None:
    settings = Settings(cors_origins="https://chat.example.com, https://studio.example.com/")
    assert settings.cors_origins == ["https://chat.example.com", "https://studio.example.com"]
    allowed = preflight(settings, "https://chat.example.com")
    assert allowed["access-control-allow-origin"] == "https://chat.example.com"
    assert "access-control-allow-origin" not in preflight(settings, "http://localhost:3000")


def test_any_origin_when_configured_as_a_star_without_credentials() -> None:
    settings = Settings(cors_origins="*")
    assert preflight(settings, "https://anywhere.example")["access-control-allow-origin"] == "*"
    assert cors_options(settings)["allow_credentials"] is False
