"""Liveness and server information."""

from __future__ import annotations

from importlib.metadata import version
from typing import Any

from fastapi import APIRouter

router = APIRouter(tags=["system"])


@router.get("/ok")
async def ok() -> dict[str, bool]:
    return {"ok": True}


@router.get("/info")
async def info() -> dict[str, Any]:
    return {
        "version": version("supportgraph"),
        "langgraph_py_version": version("langgraph"),
        "flags": {"assistants": True, "crons": False, "langsmith": False},
        "metadata": {"server": "supportgraph"},
    }
