"""Removing an erased person from every projection (the log itself is shredded, not edited).

Projections are rebuilt from the log, and the person's events now read as tombstones, so a
rebuild does not bring them back; deleting the rows now removes the copies that exist today.
Tables of other capabilities are purged only when their migration is applied (each helper's
table may not exist yet in an older database). The DSR request and audit rows are kept: they
are the proof the erasure was asked for and done, and hold masked values only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from frontoffice.privacy.scrub import existing_tables
from frontoffice.privacy.sealing import ERASED_FAMILY, ERASED_PAYLOAD
from frontoffice.privacy.subjects import canonical_subject

if TYPE_CHECKING:
    from frontoffice.storage.sql import Cursor, SqlStore

# (table, column): rows whose column holds one of the person's ids are the person's.
BY_PERSON = (
    ("identity_records", "person_id"), ("identity_index", "person_id"),
    ("identity_persons", "person_id"), ("identity_redirects", "person_id"),
    ("identity_history", "person_id"), ("identity_outbox", "person_id"),
    ("identity_review", "person_a"), ("identity_review", "person_b"),
    ("consent_person_state", "person_id"), ("consent_conflicts", "person_id"),
)
# Outbound logs name "the person id, or the subject key when no person is known".
BY_PERSON_OR_SUBJECT = (("outbound_decisions", "person"), ("destination_deliveries", "person"))
# Tables whose rows name the person in a JSON or text column: matched in Python.
BY_MENTION = (("identity_history", "id", "others"), ("identity_decisions", "id", "side_a || side_b"),
              ("identity_review", "id", "side_a || side_b"))
BY_SUBJECT = (("consent_state", "subject"), ("consent_subjects", "subject"))
# Every table an erasure may delete from (what a repeated scrub rewrites).
PURGED_TABLES = tuple(sorted({t for t, _ in (*BY_PERSON, *BY_PERSON_OR_SUBJECT, *BY_SUBJECT)}
                             | {t for t, _, _ in BY_MENTION}
                             | {"commerce_keys", "commerce_entities", "quarantine",
                                "privacy_subject_keys"}))


@dataclass(frozen=True, slots=True)
class PersonRows:
    """What identifies the person's rows: ids, identifiers (canonical) and raw values."""

    workspace_id: str
    person_ids: list[str]
    record_ids: set[str]
    identifiers: set[str]
    hashes: dict[str, str]  # identifier -> keyed hash (subject-key id, suppression entry)
    raw_values: set[str]
    events: int


def _delete(cur: Cursor, store: SqlStore, table: str, column: str, ws: str,
            values: Sequence[Any]) -> int:
    deleted = 0
    for start in range(0, len(values), 500):
        chunk = list(values[start:start + 500])
        cur.execute(store.sql(f"DELETE FROM {table} WHERE workspace_id = ? AND {column} IN "
                              f"({', '.join('?' * len(chunk))})"), (ws, *chunk))
        deleted += max(cur.rowcount, 0)
    return deleted


def _select(cur: Cursor, store: SqlStore, statement: str, params: Sequence[Any]) -> list[Any]:
    cur.execute(store.sql(statement), params)
    return cur.fetchall()


def purge(store: SqlStore, cur: Cursor, person: PersonRows) -> dict[str, int]:
    """Delete the person's rows in the caller's transaction; rows deleted per table."""
    ws, tables, counts = person.workspace_id, existing_tables(store), dict[str, int]()

    def count(table: str, n: int) -> None:
        counts[table] = counts.get(table, 0) + n

    names = set(person.person_ids) | person.record_ids
    for table, key, column in BY_MENTION:
        if table in tables:
            rows = [r[0] for r in _select(cur, store, f"SELECT {key}, {column} FROM {table} "
                                          "WHERE workspace_id = ?", (ws,))
                    if any(n in str(r[1]) for n in names)]
            count(table, _delete(cur, store, table, key, ws, rows))
    for table, column in BY_PERSON:
        if table in tables:
            count(table, _delete(cur, store, table, column, ws, person.person_ids))
    if "identity_redirects" in tables:
        count("identity_redirects", _delete(cur, store, "identity_redirects", "old_person_id", ws,
                                            person.person_ids))
    ids = set(person.person_ids)
    for table, column in (*BY_SUBJECT, *BY_PERSON_OR_SUBJECT):  # a person id or a subject key
        if table in tables:
            values = [r[0] for r in _select(cur, store, f"SELECT DISTINCT {column} FROM {table} "
                                            "WHERE workspace_id = ?", (ws,))
                      if r[0] in ids or canonical_subject(str(r[0])) in person.identifiers]
            count(table, _delete(cur, store, table, column, ws, values))
    _commerce(store, cur, person, count)
    count("events", _legacy_events(store, cur, person))
    quarantined = _quarantined(store, cur, person)
    count("quarantine", _delete(cur, store, "quarantine", "id", ws, quarantined))
    return counts


def _commerce(store: SqlStore, cur: Cursor, person: PersonRows, count: Any) -> None:
    """Orders and subscriptions found through the person's customer keys, with all their keys."""
    ws = person.workspace_id
    entities = {(str(r[1]), str(r[2])) for r in _select(
        cur, store, "SELECT customer_key, kind, entity_id FROM commerce_keys WHERE workspace_id = ?",
        (ws,)) if canonical_subject(str(r[0])) in person.identifiers}
    for kind, entity_id in sorted(entities):
        for table in ("commerce_keys", "commerce_entities"):
            cur.execute(store.sql(f"DELETE FROM {table} WHERE workspace_id = ? AND kind = ? AND "
                                  "entity_id = ?"), (ws, kind, entity_id))
            count(table, max(cur.rowcount, 0))


def _legacy_events(store: SqlStore, cur: Cursor, person: PersonRows) -> int:
    """Events stored in clear before migration 0005 have no key to shred: they are rewritten
    as tombstones in place (the one edit of the log, and only of rows nobody can seal now)."""
    ids = sorted({i.split(":", 1)[1] for i in person.identifiers
                  if i.startswith(("user_id:", "anonymous_id:"))} | person.raw_values)
    changed = 0
    for start in range(0, len(ids), 250):
        chunk = ids[start:start + 250]
        marks = ", ".join("?" * len(chunk))
        cur.execute(store.sql(
            "UPDATE events SET family = ?, type = ?, event = NULL, user_id = NULL, anonymous_id = NULL, "
            f"previous_id = NULL, group_id = NULL, payload = ? WHERE workspace_id = ? AND "
            f"subject_hash IS NULL AND (user_id IN ({marks}) OR anonymous_id IN ({marks}))"),
            (ERASED_FAMILY, ERASED_FAMILY, ERASED_PAYLOAD, person.workspace_id, *chunk, *chunk))
        changed += max(cur.rowcount, 0)
    return changed


def _quarantined(store: SqlStore, cur: Cursor, person: PersonRows) -> list[int]:
    """Quarantined inputs are unparsed bytes: those quoting one of the person's values go."""
    needles = {v.encode() for v in person.raw_values} | {
        i.split(":", 1)[1].encode() for i in person.identifiers}
    needles = {n for n in needles if len(n) >= 4}
    if not needles:
        return []
    rows = _select(cur, store, "SELECT id, payload FROM quarantine WHERE workspace_id = ?",
                   (person.workspace_id,))
    return [int(r[0]) for r in rows
            if any(n in bytes(r[1]) or n in bytes(r[1]).lower() for n in needles)]
