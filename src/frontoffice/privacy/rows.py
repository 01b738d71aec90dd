"""The event log's rows as the storage layer writes and reads them: suppressed, sealed, opened.

``admit`` drops the events of erased people (their identifiers hash onto the suppression list);
``seal_rows`` turns the rest into the ``events`` columns, payload and ids sealed under the
subject's key; ``open_records`` turns rows back into records — or into tombstones when the
subject's key was shredded. Everything runs on the caller's cursor, inside its transaction.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from frontoffice.domain.events import EventRecord
from frontoffice.privacy.keys import NONCE_BYTES
from frontoffice.privacy.sealing import aad, open_sealed, seal_with, tombstone
from frontoffice.privacy.subjects import canonical, identifiers_of, subject_of
from frontoffice.privacy.vault import Cursor, Vault

SUPPRESSED_REASON = "suppressed: erased person"


@dataclass(frozen=True, slots=True)
class Suppressed:
    """An event dropped because it belongs to an erased person (listed like a rejection)."""

    message_id: str
    reason: str = SUPPRESSED_REASON

    def as_dict(self) -> dict[str, object]:
        return {"messageId": self.message_id, "reason": self.reason}


def admit(vault: Vault, cur: Cursor, sql: Callable[[str], str], ws: str,
          records: Sequence[EventRecord]) -> tuple[list[EventRecord], list[Suppressed]]:
    """(events to store, events dropped). Workspaces without erasures pay one indexed lookup
    per batch; the payloads are parsed only when the workspace has a suppression list."""
    if not records or not vault.has_suppressions(cur, sql, ws):
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


def seal_rows(vault: Vault, cur: Cursor, sql: Callable[[str], str], ws: str, source_id: str,
              records: Sequence[EventRecord]) -> list[tuple[Any, ...]]:
    """The ``events`` row of each record (the 16 columns ``SqlStore`` inserts).

    This is the hot path of every append (budget: 5 µs per event): hashes are computed once
    per distinct value of the batch, nonces drawn in one call, the subject's key looked up once
    per batch."""
    ring = vault.keyring
    memo: dict[tuple[str, str], str | None] = {}

    def keyed(kind: str, value: str | None) -> str | None:
        if value is None:
            return None
        slot = (kind, value)
        if slot not in memo:
            c = canonical(kind, value) if kind else value
            memo[slot] = None if c is None else ring.hash(ws, c)
        return memo[slot]

    subject_hashes: list[str | None] = []
    for r in records:
        if r.user_id:
            subject_hashes.append(keyed("user_id", r.user_id))
        elif r.anonymous_id:
            subject_hashes.append(keyed("anonymous_id", r.anonymous_id))
        else:
            subject_hashes.append(keyed("", subject_of(r)))
    ciphers = vault.ciphers(cur, sql, ws, {h for h in subject_hashes if h}, create=True)
    prefix = aad(ws, source_id, "")
    nonces = os.urandom(NONCE_BYTES * len(records))
    rows: list[tuple[Any, ...]] = []
    for i, (r, h) in enumerate(zip(records, subject_hashes, strict=True)):
        if h is None:  # about nobody (stock, prices): nothing to shred, stored in clear
            rows.append((ws, source_id, r.message_id, r.family, r.type, r.event, r.user_id,
                         r.anonymous_id, r.previous_id, r.group_id, r.timestamp,
                         r.original_timestamp, r.sent_at, r.received_at, r.payload, None))
            continue
        nonce = nonces[i * NONCE_BYTES:(i + 1) * NONCE_BYTES]
        uid, aid = r.user_id, r.anonymous_id
        rows.append((ws, source_id, r.message_id, r.family, r.type, r.event,
                     h if uid and h == memo.get(("user_id", uid)) else keyed("user_id", uid),
                     None if aid is None else keyed("anonymous_id", aid),
                     None if r.previous_id is None else keyed("user_id", r.previous_id),
                     None if r.group_id is None else keyed("group_id", r.group_id),
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
