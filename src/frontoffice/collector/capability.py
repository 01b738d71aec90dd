"""The collector: the event log and what feeds it (HTTP, bulk import) or reads it out (export)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from frontoffice.capability import Capability, Purge, Report

if TYPE_CHECKING:
    from fastapi import APIRouter

    from frontoffice.bootstrap import Container
    from frontoffice.dsr.report import PersonView
    from frontoffice.privacy.purge import Erasing


def _routers(c: Container) -> list[APIRouter]:
    from frontoffice.collector.api import collector_router

    return [collector_router(c)]


def _legacy_events(erasing: Erasing) -> None:
    """Events stored in clear before migration 0005 have no key to shred: they are rewritten
    as tombstones in place (the one edit of the log, and only of rows nobody can seal now)."""
    import sqlalchemy as sa

    from frontoffice.storage.core import batches
    from frontoffice.vault.sealing import ERASED_FAMILY, ERASED_PAYLOAD

    person = erasing.person
    ids = sorted({i.split(":", 1)[1] for i in person.identifiers
                  if i.startswith(("user_id:", "anonymous_id:"))} | person.raw_values)
    e = erasing.table("events").c
    changed = 0
    for chunk in batches(ids, per_row=2):  # each id is bound twice
        result = erasing.conn.execute(
            erasing.table("events").update()
            .where(e.workspace_id == person.workspace_id, e.subject_hash.is_(None),
                   sa.or_(e.user_id.in_(chunk), e.anonymous_id.in_(chunk)))
            .values(family=ERASED_FAMILY, type=ERASED_FAMILY, event=None, user_id=None,
                    anonymous_id=None, previous_id=None, group_id=None, payload=ERASED_PAYLOAD))
        changed += max(result.rowcount, 0)
    erasing.count("events", changed)


def _quarantined(erasing: Erasing) -> list[int]:
    """Quarantined inputs are unparsed bytes: those quoting one of the person's values go."""
    import sqlalchemy as sa

    person = erasing.person
    needles = {v.encode() for v in person.raw_values} | {
        i.split(":", 1)[1].encode() for i in person.identifiers}
    needles = {n for n in needles if len(n) >= 4}
    if not needles:
        return []
    q = erasing.table("quarantine").c
    rows = erasing.conn.execute(sa.select(q.id, q.payload).where(q.workspace_id == person.workspace_id))
    return [int(r.id) for r in rows
            if any(n in bytes(r.payload) or n in bytes(r.payload).lower() for n in needles)]


def _purge(erasing: Erasing) -> None:
    _legacy_events(erasing)
    erasing.delete("quarantine", "id", _quarantined(erasing))


def _payload(raw: bytes) -> object:
    import orjson

    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        return {"undecodable_bytes": len(raw)}


def _sections(person: PersonView) -> dict[str, Any]:
    from frontoffice.identity.service import timeline

    _, events = timeline(person.store, person.workspace_id, person.person_id, limit=1_000_000)
    return {"events": [{"seq": e.seq, "source_id": e.source_id, "type": e.record.type,
                        "event": e.record.event, "timestamp": e.record.timestamp,
                        "payload": _payload(e.record.payload)} for e in events]}


def _html(doc: Mapping[str, Any]) -> str:
    from frontoffice.dsr.report import table

    return (f"<h2>Events ({len(doc['events'])})</h2>"
            + table(("seq", "time", "type", "event", "data"),
                    ((e["seq"], e["timestamp"], e["type"], e["event"] or "", e["payload"])
                     for e in doc["events"])))


CAPABILITY = Capability(
    name="collector",
    tables=("events", "quarantine"),
    schema="frontoffice.collector.tables",
    routers=_routers,
    commands={"import": "frontoffice.bulk.cli:import_cmd",
              "export": "frontoffice.bulk.cli:export_cmd"},
    # the log is shredded, not edited: only legacy clear-text events are rewritten (not a
    # deletion, so not scrubbed table by table), and quarantined inputs quoting the person go
    purge=Purge(tables=("quarantine",), run=_purge),
    report=Report(sections=_sections, html=_html),
)
