"""The dependencies every route takes, declared once: who is calling, and the API's services."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

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


Services = Annotated[ApiServices, Depends(services)]
Authed = Annotated[Caller, Depends(caller)]
