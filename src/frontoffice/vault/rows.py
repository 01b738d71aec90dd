"""The event log's rows as the storage layer writes and reads them: suppressed, sealed, opened.

``admit`` drops the events of erased people (their identifiers hash onto the suppression list);
``seal_rows`` turns the rest into the ``events`` columns, payload and ids sealed under the
subject's key (or ``seal_ahead`` before the write transaction and ``settle`` inside it);
``open_records`` turns rows back into records — or into tombstones when the subject's key was
shredded. Everything runs on the caller's cursor.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from frontoffice.domain.events import EventRecord
from frontoffice.vault.keys import NONCE_BYTES
from frontoffice.vault.keystore import Cursor, Vault
from frontoffice.vault.sealing import aad, open_sealed, seal_with, tombstone
from frontoffice.vault.subjects import identifiers_of, subject_of

SUPPRESSED_REASON = "suppressed: erased person"


@dataclass(frozen=True, slots=True)
class Suppressed:
    """An event dropped because it belongs to an erased person (listed like a rejection)."""

    message_id: str
    reason: str = SUPPRESSED_REASON

    def as_dict(self) -> dict[str, object]:
        return {"messageId": self.message_id, "reason": self.reason}


def admit(vault: Vault, cur: Cursor, sql: Callable[[str], str], ws: str,
          records: Sequence[EventRecord], *, listed_any: bool
          ) -> tuple[list[EventRecord], list[Suppressed]]:
    """(events to store, events dropped). ``listed_any``: whether the workspace has a suppression
    list at all (``Vault.has_suppressions``, read once per transaction); only then are the
    payloads parsed."""
    if not records or not listed_any:
        return list(records), []
    hashed = [{vault.hash(ws, i) for i in identifiers_of(r)} for r in records]
    listed = vault.suppressed(cur, sql, ws, set().union(*hashed))
    if not listed:
        return list(records), []
    kept, dropped = [], []
    for record, hashes in zip(records, hashed, strict=True):
        if hashes & listed:
            dropped.append(Suppressed(record.message_id))
        else:
            kept.append(record)
    return kept, dropped


@dataclass(slots=True)
class Draft:
    """Rows sealed before the write transaction (``seal_ahead``), finished by ``settle``."""

    workspace_id: str
    source_id: str
    records: list[EventRecord]
    subjects: list[str | None]
    rows: list[tuple[Any, ...]]
    wrapped: dict[str, bytes]
    """The wrapped key each subject's rows were sealed under."""
    fresh: dict[str, bytes]
    """Subjects whose key was made for this draft and is not stored yet, with that key."""
    epoch: int
    """The workspace's key epoch when the keys were read."""
    stored: dict[str, bytes]
    """Filled by ``settle``: the fresh keys it stored (known to the vault once committed)."""


def seal_rows(vault: Vault, cur: Cursor, sql: Callable[[str], str], ws: str, source_id: str,
              records: Sequence[EventRecord]) -> list[tuple[Any, ...]]:
    """The ``events`` row of each record (the 16 columns ``SqlStore`` inserts), inside the
    caller's write transaction: missing subject keys are made and stored on the way."""
    subjects = _subjects(vault, ws, records)
    ciphers = vault.ciphers(cur, sql, ws, {h for h in subjects if h}, create=True)
    return _seal(vault, ws, source_id, records, subjects, ciphers)


def seal_ahead(vault: Vault, cur: Cursor, sql: Callable[[str], str], ws: str, source_id: str,
               records: Sequence[EventRecord]) -> Draft:
    """``seal_rows`` before the write transaction, from a plain read: the encryption (most of an
    append's work) then runs while another appender holds the write lock. Keys missing now are
    made here; ``settle`` stores them, or re-seals the rows whose key changed meanwhile."""
    subjects = _subjects(vault, ws, records)
    hashes = {h for h in subjects if h}
    epoch, ciphers, wrapped, fresh = vault.draft_ciphers(cur, sql, ws, hashes)
    rows = _seal(vault, ws, source_id, records, subjects, ciphers)
    return Draft(ws, source_id, list(records), subjects, rows, wrapped, fresh, epoch, {})


def settle(vault: Vault, cur: Cursor, sql: Callable[[str], str], draft: Draft,
           kept: Sequence[EventRecord], *, epoch: int) -> list[tuple[Any, ...]]:
    """Inside the write transaction (log lock held): the rows of the ``kept`` records, each
    sealed under the key stored for its subject. Fresh keys are stored; rows whose subject got
    another key since the draft (made by another appender, or shredded by an erasure) are
    sealed again here, so no row is ever stored under a key the database does not hold. When
    the key epoch (``epoch``: ``Vault.epoch`` read in this transaction) is still the draft's, no
    key was shredded since: only fresh keys are checked."""
    ws = draft.workspace_id
    keep = {id(r) for r in kept}
    chosen = [i for i, r in enumerate(draft.records) if id(r) in keep]
    hashes = {h for i in chosen if (h := draft.subjects[i])}
    if epoch == draft.epoch:
        stored = {h: draft.wrapped[h] for h in hashes if h not in draft.fresh}
        fresh = {h: draft.wrapped[h] for h in hashes if h in draft.fresh}
    else:
        stored = vault.stored_keys(cur, sql, ws, hashes)
        fresh = {h: draft.wrapped[h] for h in hashes if h in draft.fresh and h not in stored}
    if fresh:
        ring = vault.keyring
        for h in vault.store_keys(cur, sql, ws, fresh):
            stored[h] = draft.stored[h] = fresh[h]
            ring.remember(ws, h, draft.fresh[h], fresh[h])
    stale = {h for h in hashes if stored.get(h) != draft.wrapped[h]}
    if not stale:
        return [draft.rows[i] for i in chosen]
    again = [i for i in chosen if draft.subjects[i] in stale]
    ciphers = vault.ciphers(cur, sql, ws, stale, create=True)
    resealed = dict(zip(again, _seal(vault, ws, draft.source_id, [draft.records[i] for i in again],
                                     [draft.subjects[i] for i in again], ciphers), strict=True))
    return [resealed.get(i, draft.rows[i]) for i in chosen]


def _subjects(vault: Vault, ws: str, records: Sequence[EventRecord]) -> list[str | None]:
    """The keyed hash of each record's subject: its userId, else its anonymousId, else the
    identifier it is about (an order's customer), else None (about nobody)."""
    ring = vault.keyring
    out: list[str | None] = []
    for r in records:
        if r.user_id:
            out.append(ring.identifier_hash(ws, "user_id", r.user_id))
        elif r.anonymous_id:
            out.append(ring.identifier_hash(ws, "anonymous_id", r.anonymous_id))
        else:
            subject = subject_of(r)
            out.append(None if subject is None else ring.identifier_hash(ws, "", subject))
    return out


def _seal(vault: Vault, ws: str, source_id: str, records: Sequence[EventRecord],
          subjects: Sequence[str | None], ciphers: dict[str, AESGCM]) -> list[tuple[Any, ...]]:
    """The rows of ``records``; budget about 5 µs per event: identifier hashes come from the
    keyring's memo, the batch's nonces from one ``os.urandom`` call."""
    ring = vault.keyring

    def keyed(kind: str, value: str | None) -> str | None:
        return None if value is None else ring.identifier_hash(ws, kind, value)

    prefix = aad(ws, source_id, "")
    nonces = os.urandom(NONCE_BYTES * len(records))
    rows: list[tuple[Any, ...]] = []
    for i, (r, h) in enumerate(zip(records, subjects, strict=True)):
        if h is None:  # about nobody (stock, prices): nothing to shred, stored in clear
            rows.append((ws, source_id, r.message_id, r.family, r.type, r.event, r.user_id,
                         r.anonymous_id, r.previous_id, r.group_id, r.timestamp,
                         r.original_timestamp, r.sent_at, r.received_at, r.payload, None))
            continue
        nonce = nonces[i * NONCE_BYTES:(i + 1) * NONCE_BYTES]
        rows.append((ws, source_id, r.message_id, r.family, r.type, r.event,
                     h if r.user_id else keyed("user_id", r.user_id), keyed("anonymous_id", r.anonymous_id),
                     keyed("user_id", r.previous_id), keyed("group_id", r.group_id),
                     r.timestamp, r.original_timestamp, r.sent_at, r.received_at,
                     seal_with(ciphers[h], prefix + r.message_id.encode(), nonce, r), h))
    return rows


def open_records(vault: Vault, cur: Cursor, sql: Callable[[str], str], ws: str,
                 rows: Sequence[tuple[str, EventRecord, str | None]]) -> list[EventRecord]:
    """``(source_id, record as stored, subject hash)`` rows back to readable records."""
    wanted = {h for _, _, h in rows if h}
    ciphers = vault.ciphers(cur, sql, ws, wanted, create=False) if wanted else {}
    out: list[EventRecord] = []
    for source_id, record, h in rows:
        if h is None:
            out.append(record)
        elif h in ciphers:
            out.append(open_sealed(ciphers[h], ws, source_id, record))
        else:
            out.append(tombstone(record))
    return out
