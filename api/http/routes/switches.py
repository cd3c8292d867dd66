"""The kill switches (operators only): read them, flip them; every flip is audited."""

from __future__ import annotations

from fastapi import APIRouter

from api.http.deps import Authed, Services
from api.http.operators import change_switches, read_switches
from state.stores.switches import SwitchChange, Switches

router = APIRouter(tags=["switches"])


@router.get("/switches")
async def get_switches(who: Authed, svc: Services) -> Switches:
    return await read_switches(svc, who)


@router.put("/switches")
async def put_switches(body: SwitchChange, who: Authed, svc: Services) -> Switches:
    """Change the switches named in the body; they apply on every server within a second."""
    return await change_switches(svc, who, body)
