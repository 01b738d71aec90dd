"""make demo's privacy tour: one erasure request carried out end to end.

Takes the first demo person (by person id) with a verified email — the email service, a
server-side source, says ``emailVerified: true`` of account addresses — opens an erasure request
from that email, reads the token from the embedded notifier's outbox as the person would read
their mailbox, verifies it, executes the erasure, and shows that a lookup by the same email now
finds nobody. Identifiers are printed masked: the tour is about erasing them. The demo erases
one customer once: run again, it shows the erasure it carried out before instead of erasing
another.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from frontoffice.domain.events import now as clock
from frontoffice.dsr import service
from frontoffice.dsr.config import DsrConfig
from frontoffice.dsr.contacts import person_facts
from frontoffice.dsr.execute import Hubs
from frontoffice.dsr.masking import mask
from frontoffice.dsr.model import DsrError, DsrRequest, Kind, Status
from frontoffice.dsr.notify import OutboxNotifier
from frontoffice.dsr.sql import DsrSql
from frontoffice.dsr.tokens import normalise
from frontoffice.services import identity
from frontoffice.services.consent import ConsentHub
from frontoffice.services.identity import IdentityHub
from frontoffice.storage.identity_sql import IdentitySql
from frontoffice.storage.sql import SqlStore

ACTOR = "demo:privacy-officer"
MAX_CANDIDATES = 500


def _verified_email(store: SqlStore, ws: str, config: DsrConfig,
                    spare: Collection[str]) -> str | None:
    for n, (pid, _, _, _, _) in enumerate(IdentitySql(store).iter_persons(ws)):
        if n >= MAX_CANDIDATES:
            return None
        if pid in spare:
            continue
        emails = [v for k, v in person_facts(store, ws, pid, config.verification_channels).verified_contacts()
                  if k == "email"]
        if emails:
            return emails[0]
    return None


def _summary(outcome: dict[str, Any]) -> list[str]:
    report = outcome.get("report")
    if not isinstance(report, dict):
        return [f"    {report}"]
    lines = []
    for key, value in report.items():
        shown = value
        if isinstance(value, dict):  # rows per table: the tables that held something
            shown = ", ".join(f"{table} {n}" for table, n in value.items() if n) or "none"
        elif isinstance(value, list):
            shown = ", ".join(str(v) for v in value)
        lines.append(f"    {key}: {shown}")
    return lines


def _earlier(store: SqlStore, ws: str) -> DsrRequest | None:
    """The erasure an earlier demo run carried out, if any."""
    sql = DsrSql(store)
    for request in sql.requests(ws, status=Status.COMPLETED.value):
        trail = sql.trail(ws, request.id)
        if request.kind is Kind.ERASURE and trail and trail[0].actor == ACTOR:
            return request
    return None


def _shown_again(store: SqlStore, ws: str, request: DsrRequest) -> list[str]:
    actions = [r.action for r in DsrSql(store).trail(ws, request.id)]
    return [f"privacy: erasure request {request.id} of {request.requester_masked} (person "
            f"{request.person_id}, region {request.region}) was carried out by an earlier run; "
            "the demo erases one customer, once",
            "  erased:", *_summary(request.outcome or {}),
            f"  audit trail: {' → '.join(actions)}"]


def privacy_showcase(store: SqlStore, workspace_id: str, now: datetime | None = None,
                     config: DsrConfig | None = None, spare: Collection[str] = ()) -> list[str]:
    """Run one DSR erasure end to end, of nobody in ``spare`` (the people the rest of the tour
    shows); the printable lines of what happened."""
    at, cfg = now or clock(), config or DsrConfig()
    earlier = _earlier(store, workspace_id)
    if earlier is not None:
        return _shown_again(store, workspace_id, earlier)
    email = _verified_email(store, workspace_id, cfg, spare)
    if email is None:
        return ["privacy: no demo person with a verified email; nothing to erase"]
    shown = mask("email", email)
    opened = service.open_request(store, workspace_id, Kind.ERASURE, "email", email, details=None,
                                  actor=ACTOR, now=at, config=cfg, notifier=OutboxNotifier(store))
    request = opened.request
    lines = [f"privacy: erasure request {request.id} opened by {shown} (person {request.person_id}, "
             f"region {request.region}, due {request.deadline:%Y-%m-%d})",
             f"  token sent to {request.contact_kind} {request.contact_masked} via {opened.delivered}"]
    [message] = DsrSql(store).messages(workspace_id, request.id)
    token = normalise(message.body.partition("code: ")[2].split(" ", 1)[0])
    service.verify(store, workspace_id, request.id, token, actor=ACTOR, now=at, config=cfg)
    lines.append("  verified with the token from the outbox")
    hubs = Hubs(IdentityHub(store), ConsentHub(store))
    try:
        done = service.execute(store, workspace_id, request.id, hubs=hubs, actor=ACTOR, now=at)
    except DsrError as exc:
        return [*lines, f"  not executed: {exc}"]
    lines += ["  erased:", *_summary(done.outcome or {})]
    found = identity.lookup(store, workspace_id, "email", email)
    lines.append(f"  lookup by {shown} now finds {'nobody' if not found else ', '.join(found)}")
    actions = [r.action for r in DsrSql(store).trail(workspace_id, request.id)]
    lines.append(f"  audit trail: {' → '.join(actions)}")
    return lines
