"""The dependencies every route takes, declared once: who is calling, and the API's services.

Both are coroutine functions although neither awaits: FastAPI runs a sync dependency in its
thread pool, two hops per request for what is an attribute read and a key check.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Request

from api.http.security import ApiKeyCheck, Caller
from api.http.services import ApiServices


async def services(request: Request) -> ApiServices:
    """The services the lifespan opened for this server process."""
    found: ApiServices = request.app.state.services
    return found


async def caller(request: Request) -> Caller:
    """This server's key check, applied to the request: the caller, or 401."""
    check: ApiKeyCheck = request.app.state.key_check
    return check(request)


THREAD_ID_PATTERN = r"^[A-Za-z0-9_-]{1,128}$"
"""What a thread id may be: it becomes part of Redis key names, so no `:` or other separator
can make one thread's keys another's (uuids, as the server generates, fit)."""

ThreadId = Annotated[str, Path(pattern=THREAD_ID_PATTERN)]
Services = Annotated[ApiServices, Depends(services)]
Authed = Annotated[Caller, Depends(caller)]
