"""The collector: the event log and what feeds it (HTTP, bulk import) or reads it out (export)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from frontoffice.capability import Capability, Purge, Report

if TYPE_CHECKING:
    import click
    from fastapi import APIRouter

    from frontoffice.bootstrap import Container
    from frontoffice.dsr.report import PersonView
    from frontoffice.privacy.purge import Erasing


def _routers(c: Container) -> list[APIRouter]:
    from frontoffice.collector.api import collector_router

    return [collector_router(c)]


def _commands() -> list[click.Command]:
    from frontoffice.bulk.cli import export_cmd, import_cmd

    return [import_cmd, export_cmd]


def _legacy_events(erasing: Erasing) -> None:
    """Events stored in clear before migration 0005 have no key to shred: they are rewritten
    as tombstones in place (the one edit of the log, and only of rows nobody can seal now)."""
    from frontoffice.vault.sealing import ERASED_FAMILY, ERASED_PAYLOAD

    person = erasing.person
    ids = sorted({i.split(":", 1)[1] for i in person.identifiers
                  if i.startswith(("user_id:", "anonymous_id:"))} | person.raw_values)
    changed = 0
    for start in range(0, len(ids), 250):
        chunk = ids[start:start + 250]
        marks = ", ".join("?" * len(chunk))
        erasing.cur.execute(erasing.store.sql(
            "UPDATE events SET family = ?, type = ?, event = NULL, user_id = NULL, anonymous_id = NULL, "
            f"previous_id = NULL, group_id = NULL, payload = ? WHERE workspace_id = ? AND "
            f"subject_hash IS NULL AND (user_id IN ({marks}) OR anonymous_id IN ({marks}))"),
            (ERASED_FAMILY, ERASED_FAMILY, ERASED_PAYLOAD, person.workspace_id, *chunk, *chunk))
        changed += max(erasing.cur.rowcount, 0)
    erasing.count("events", changed)


def _quarantined(erasing: Erasing) -> list[int]:
    """Quarantined inputs are unparsed bytes: those quoting one of the person's values go."""
    person = erasing.person
    needles = {v.encode() for v in person.raw_values} | {
        i.split(":", 1)[1].encode() for i in person.identifiers}
    needles = {n for n in needles if len(n) >= 4}
    if not needles:
        return []
    rows = erasing.select("SELECT id, payload FROM quarantine WHERE workspace_id = ?",
                          (person.workspace_id,))
    return [int(r[0]) for r in rows
            if any(n in bytes(r[1]) or n in bytes(r[1]).lower() for n in needles)]


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
    routers=_routers, commands=_commands,
    # the log is shredded, not edited: only legacy clear-text events are rewritten (not a
    # deletion, so not scrubbed table by table), and quarantined inputs quoting the person go
    purge=Purge(tables=("quarantine",), run=_purge),
    report=Report(sections=_sections, html=_html),
)
