"""The dependencies every route takes, declared once: who is calling, and the API's services."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Request

from api.http.security import ApiKeyCheck, Caller
from api.http.services import ApiServices


def services(request: Request) -> ApiServices:
    """The services the lifespan opened for this server process."""
    found: ApiServices = request.app.state.services
    return found


def caller(request: Request) -> Caller:
    """This server's key check, applied to the request: the caller, or 401."""
    check: ApiKeyCheck = request.app.state.key_check
    return check(request)


THREAD_ID_PATTERN = r"^[A-Za-z0-9_-]{1,128}$"
"""What a thread id may be: it becomes part of Redis key names, so no `:` or other separator
can make one thread's keys another's (uuids, as the server generates, fit)."""

ThreadId = Annotated[str, Path(pattern=THREAD_ID_PATTERN)]
Services = Annotated[ApiServices, Depends(services)]
Authed = Annotated[Caller, Depends(caller)]
