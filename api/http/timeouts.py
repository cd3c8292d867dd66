"""Approvals nobody decides in time are rejected: "no operator decided in time".

Every server sweeps the threads waiting on an operator; an approval older than
`SUPPORTGRAPH_APPROVAL_TIMEOUT` is resumed with a rejection by the `system` operator, through
the same path as an operator's decision, so the graph audits it and tells the customer. A
short Redis claim per thread makes one server do it when several sweep at once. Handoffs to a
person are not timed out: a customer who asked for a person keeps waiting for one.
"""

from __future__ import annotations

import logging
import time

from fastapi import HTTPException

from api.http.operators import decide, pending_of
from api.http.security import Caller
from api.http.services import ApiServices

log = logging.getLogger(__name__)

TIMEOUT_REASON = "no operator decided in time"
SYSTEM = Caller(owner="system", role="operator", name="system")
"""Who rejects an approval that timed out, as the audit log names it."""
CLAIM_SECONDS = 60


async def reject_overdue_approvals(svc: ApiServices) -> list[str]:
    """Reject every approval waiting longer than the timeout; the threads it rejected."""
    keys = svc.threads.keys
    cutoff = time.time() - svc.settings.approval_timeout
    overdue = await svc.runs.redis.zrangebyscore(keys.waiting, "-inf", cutoff)
    rejected: list[str] = []
    for raw in overdue:
        thread_id = raw.decode() if isinstance(raw, bytes) else str(raw)
        pending = await pending_of(svc, thread_id)
        if pending is None or pending.kind != "approval":
            continue
        claim = f"{keys.prefix}:timeout:{thread_id}"
        if not await svc.runs.redis.set(claim, "1", nx=True, ex=CLAIM_SECONDS):
            continue  # another server is rejecting it
        try:
            await decide(svc, SYSTEM, thread_id, {"decision": "reject", "reason": TIMEOUT_REASON})
        except HTTPException as exc:  # decided or deleted meanwhile
            log.info("approval timeout on %s skipped: %s", thread_id, exc.detail)
            continue
        log.warning("approval on thread %s timed out: rejected", thread_id)
        rejected.append(thread_id)
    return rejected
