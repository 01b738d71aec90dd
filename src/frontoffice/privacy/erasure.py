"""Erasure of a person by crypto-shredding: the one entry point the DSR workflow calls.

1. Collect the person's subjects and identifiers: the identity graph's identifiers of the
   person (and of every person merged into it), then the identifiers inside the person's own
   events (a commerce order keyed by e-mail, a phone given as a trait) until nothing new appears.
2. One transaction: the identifiers' keyed hashes go on the suppression list, every subject key
   is deleted (the sealed events and consent ledger rows become tombstones), the person is
   purged from every projection, and the erasure log records counts — no personal data.
3. The bytes are made unrecoverable (``scrub``): WAL checkpoint and VACUUM, or PostgreSQL's
   VACUUM FULL / CHECKPOINT / WAL switch.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

import orjson
import sqlalchemy as sa

from frontoffice.domain.events import iso
from frontoffice.errors import NotFound
from frontoffice.identity.model import IdKind
from frontoffice.privacy.purge import PersonRows, purge
from frontoffice.storage import core
from frontoffice.storage.scrub import scrub
from frontoffice.storage.tables import schema
from frontoffice.vault.subjects import identifier_subjects, identifiers_of

if TYPE_CHECKING:
    from frontoffice.identity.people import People
    from frontoffice.storage.sql import SqlStore

log = logging.getLogger(__name__)
MAX_ROUNDS = 4  # subjects found through events found through subjects...


@dataclass(frozen=True, slots=True)
class ErasureReport:
    person_id: str
    subjects_shredded: int
    rows_purged: dict[str, int]
    suppressed_identifiers: int
    completed_at: datetime
    erasure_id: str = ""
    events_shredded: int = 0  # sealed events that now read as tombstones
    scrub_steps: tuple[str, ...] = field(default=())
    warnings: tuple[str, ...] = field(default=())  # e.g. a server setting that keeps old WAL

    def as_dict(self) -> dict[str, object]:
        return {"erasure_id": self.erasure_id, "person_id": self.person_id,
                "subjects_shredded": self.subjects_shredded,
                "events_shredded": self.events_shredded, "rows_purged": self.rows_purged,
                "suppressed_identifiers": self.suppressed_identifiers,
                "completed_at": iso(self.completed_at), "scrub_steps": list(self.scrub_steps),
                "warnings": list(self.warnings)}


def _person_ids(people: People, ws: str, person_id: str) -> list[str]:
    """The live id of the person, then every id merged into it (through any chain of merges)."""
    if "\x00" in person_id or len(person_id) > 200:
        raise NotFound(f"No person {person_id[:80]!r} in workspace {ws!r}.")
    current = people.resolve_id(ws, person_id)
    if current is None:
        raise NotFound(f"No person {person_id!r} in workspace {ws!r}; find the id with "
                       "`frontoffice people show IDENTIFIER` or GET /api/v1/workspaces/{ws}/people/lookup.")
    return [current, *sorted(people.merged_ids(ws, [current])[current] - {current})]


def collect(store: SqlStore, people: People, ws: str, person_ids: list[str]) -> PersonRows:
    """Subjects, identifiers and raw values of the person, from the graph (identity's ``People``)
    and its own events."""
    held = people.identifiers(ws, person_ids, [k.value for k in IdKind])
    pairs = [pair for pid in person_ids for pair in held.get(pid, [])]
    identifiers = identifier_subjects(pairs)
    record_ids = people.record_ids(ws, person_ids)
    hashes: dict[str, str] = {}
    events = 0
    values: set[str] = {v for _, v in pairs}
    # The person's own records first: the graph may index an id under another kind than the
    # one its event is sealed under (a receipt's userId that is the loyalty card number is a
    # loyalty id to the graph, while the event's subject key is the user id's).
    for record_id in sorted(record_ids):
        source_id, _, message_id = record_id.partition(":")
        own = store.event(ws, source_id, message_id)
        if own is not None:
            identifiers |= identifiers_of(own.record)
            values |= _raw_values(own.record.payload)
            values |= {v for v in (own.record.user_id, own.record.anonymous_id) if v}
    for _ in range(MAX_ROUNDS):
        new = {i: store.vault.hash(ws, i) for i in identifiers if i not in hashes}
        if not new:
            break
        hashes.update(new)
        found = store.events_of_subjects(ws, sorted(set(new.values())))
        events += len(found)
        for event in found:
            identifiers |= identifiers_of(event.record)
            values |= _raw_values(event.record.payload)
            values |= {v for v in (event.record.user_id, event.record.anonymous_id) if v}
    # Commerce writes a phone as it came ("0049..."): its international form is a key too.
    identifiers |= {"phone:00" + i[6:] for i in identifiers if i.startswith("phone:") and i[6:].isdigit()}
    for i in identifiers:
        hashes.setdefault(i, store.vault.hash(ws, i))
    return PersonRows(ws, person_ids, record_ids, set(identifiers), hashes, values, events)


def _raw_values(payload: bytes) -> set[str]:
    """E-mail, phone and name values as they were sent (to find them in the quarantine)."""
    try:
        data = orjson.loads(payload)
    except orjson.JSONDecodeError:
        return set()
    if not isinstance(data, dict):
        return set()
    context = data.get("context")
    blocks = [data.get("traits"), context.get("traits") if isinstance(context, dict) else None,
              data.get("customer")]
    keys = ("email", "phone", "name", "firstName", "lastName")
    return {str(b[k]).strip() for b in blocks if isinstance(b, dict) for k in keys
            if isinstance(b.get(k), str) and len(str(b[k]).strip()) >= 4}


def erase_person(store: SqlStore, workspace_id: str, person_id: str, *, people: People, reason: str,
                 requested_by: str, now: datetime) -> ErasureReport:
    """Crypto-shred the person's data, purge the projections, suppress late events, scrub.
    ``people`` is identity's port on the same storage (``IdentityHub.people``)."""
    person_ids = _person_ids(people, workspace_id, person_id)
    person = collect(store, people, workspace_id, person_ids)
    erasure_id = "er_" + secrets.token_hex(8)
    subject_hashes = set(person.hashes.values())
    tables = schema(store.dialect).tables
    suppressions = tables["privacy_suppressions"]
    with store.transaction() as cur:
        store.lock_log(cur)  # no append settles its keys between our shredding and commit
        conn = cur.conn
        if subject_hashes:
            conn.execute(core.insert(suppressions, store.dialect).on_conflict_do_nothing(
                index_elements=["workspace_id", "identifier_hash"]),
                [{"workspace_id": workspace_id, "identifier_hash": h, "erasure_id": erasure_id,
                  "created_at": iso(now)} for h in sorted(subject_hashes)])
        shredded = store.vault.shred(cur, store.sql, workspace_id, subject_hashes)
        purged = purge(store, conn, person)
        completed = now  # the caller's clock (the DSR workflow records the same instant)
        conn.execute(tables["privacy_erasures"].insert().values(
            id=erasure_id, workspace_id=workspace_id, person_id=person_ids[0], reason=reason,
            requested_by=requested_by, subjects_shredded=shredded, rows_purged=orjson.dumps(purged).decode(),
            suppressed_identifiers=len(subject_hashes), requested_at=iso(now), completed_at=iso(completed)))
    scrubbed = scrub(store, [t for t, n in purged.items() if n] + ["privacy_subject_keys"])
    for warning in scrubbed.warnings:
        log.warning("erasure %s: %s", erasure_id, warning)
    return ErasureReport(person_ids[0], shredded, purged, len(subject_hashes), completed,
                         erasure_id, person.events, scrubbed.steps, scrubbed.warnings)


def erasures(store: SqlStore, workspace_id: str, limit: int = 100) -> list[dict[str, object]]:
    """The erasure log, newest first (ids and counts only)."""
    t = schema(store.dialect).tables["privacy_erasures"].c
    with store.connect() as conn:
        rows = conn.execute(
            sa.select(t.id, t.person_id, t.reason, t.requested_by, t.subjects_shredded, t.rows_purged,
                      t.suppressed_identifiers, t.requested_at, t.completed_at)
            .where(t.workspace_id == workspace_id).order_by(t.completed_at.desc()).limit(limit))
        return [{"erasure_id": r.id, "person_id": r.person_id, "reason": r.reason,
                 "requested_by": r.requested_by, "subjects_shredded": int(r.subjects_shredded),
                 "rows_purged": orjson.loads(r.rows_purged),
                 "suppressed_identifiers": int(r.suppressed_identifiers),
                 "requested_at": str(r.requested_at),
                 "completed_at": str(r.completed_at)} for r in rows]
