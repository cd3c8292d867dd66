"""Browser tests of the console: a real server, a real headless Chromium driven by Playwright.

Chromium is Debian's package (`/usr/bin/chromium`), installed here when missing; Playwright's
own browser download is never used. Each test fails on any browser console error and leaves a
screenshot of its last page in its temporary directory.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, sync_playwright

from tests.support.api_server import ApiServer, StartServer
from tests.support.console import ANA, CHROMIUM, KEYS, SERVICE, Console


@pytest.fixture(scope="session")
def chromium() -> str:
    """Debian's chromium, installed if it is missing (the test setup's job, never skipped)."""
    if not Path(CHROMIUM).exists():
        if shutil.which("apt-get") is None:
            pytest.fail("chromium is missing and apt-get is not available to install it")
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=True)
    return CHROMIUM


@pytest.fixture(scope="module")
def server(start_server: StartServer) -> ApiServer:
    return start_server(api_keys=KEYS, SUPPORTGRAPH_KEY_PREFIX="sgconsole")


@pytest.fixture(scope="module")
def browser(chromium: str) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=chromium, headless=True, args=["--no-sandbox"]
        )
        yield launched
        launched.close()


@pytest.fixture
def consoles(browser: Browser, server: ApiServer, tmp_path: Path) -> Iterator[list[Console]]:
    """Browser tabs (one per operator, each its own cookie jar); screenshots at the end."""
    opened: list[Console] = []

    yield opened
    for number, console in enumerate(opened):
        console.page.screenshot(path=str(tmp_path / f"console-{number}.png"), full_page=True)
    errors = [e for c in opened for e in c.errors]
    for console in opened:
        console.context.close()
    assert errors == [], f"browser console errors: {errors}"


@pytest.fixture
def console(browser: Browser, server: ApiServer, consoles: list[Console]) -> Console:
    """Ana's console, signed in."""
    tab = Console(browser.new_context(), server.url).sign_in(ANA)
    consoles.append(tab)
    return tab


@pytest.fixture
def api(server: ApiServer) -> Iterator[httpx.Client]:
    """The company's backend (a service key) sending customer messages."""
    with httpx.Client(base_url=server.url, headers={"x-api-key": SERVICE}, timeout=90) as http:
        yield http


@pytest.fixture
def operator_api(server: ApiServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, headers={"x-api-key": ANA}, timeout=90) as http:
        yield http
        http.put("/switches", json={"sensitive_actions": "active", "assistant": "on"})
