"""The job tests' stack: a private Redis, an API server and a saq worker (real processes)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.job_stack import STACK_ENV, Stack, running_stack, stack_http


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory, brain_cache_dir: Path) -> Iterator[Stack]:
    with running_stack(tmp_path_factory.mktemp("jobs"), brain_cache_dir, STACK_ENV) as built:
        yield built


@pytest.fixture
async def http(stack: Stack) -> AsyncIterator[httpx.AsyncClient]:
    async with stack_http(stack) as client:
        yield client
