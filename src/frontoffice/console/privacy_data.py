"""What the privacy pages read, through the owning capabilities: consent's current state per
region and purpose (consent's store and region rules) and the erasure log (privacy's)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from frontoffice.consent.projector import evidence_from_dict
from frontoffice.consent.region import resolve_region
from frontoffice.consent.store import ConsentStore
from frontoffice.storage.sql import SqlStore


@dataclass(frozen=True, slots=True)
class ConsentCount:
    region: str
    purpose: str
    granted: int
    refused: int  # denied or withdrawn

    @property
    def total(self) -> int:
        return self.granted + self.refused


def consent_counts(store: SqlStore, ws: str) -> list[ConsentCount]:
    """Subjects granting and refusing each purpose now, per region (the region each subject's
    own evidence resolves to, as a consent check would)."""
    sql = ConsentStore(store)
    region = {subject: resolve_region(evidence_from_dict(evidence)).region
              for subject, evidence in sql.subjects(ws)}
    counts: Counter[tuple[str, str, bool]] = Counter()
    for subject, purpose, _, status, _ in sql.current(ws):
        counts[(region.get(subject, "unknown"), purpose, status == "granted")] += 1
    keys = sorted({(r, p) for r, p, _ in counts})
    return [ConsentCount(r, p, counts[(r, p, True)], counts[(r, p, False)]) for r, p in keys]
