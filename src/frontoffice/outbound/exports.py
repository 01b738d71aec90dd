"""Exports through the gate: the purpose check and the golden-record / mapping export.

``people.<fmt>`` (golden record per person) and ``mapping.<fmt>`` (record → person) hold only
the people the gate allows for the export's purpose on the ``export`` channel; every person left
out is counted under the rule that refused them. The files are readable by their owner only (0600).
"""

from __future__ import annotations

import csv
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from frontoffice.consent.purposes import load_catalogue
from frontoffice.consent.service import ConsentHub
from frontoffice.errors import InvalidInput
from frontoffice.identity.hub import IdentityHub
from frontoffice.identity.store import IdentitySql
from frontoffice.outbound.gate import EXPORT_CHANNEL, Refusal
from frontoffice.outbound.lookup import OutboundGate
from frontoffice.outbound.store import gate_for
from frontoffice.storage.private_files import open_private
from frontoffice.storage.sql import SqlStore

PEOPLE_COLUMNS = ["person_id", "record_count", "first_seen", "last_seen", "traits"]
MAPPING_COLUMNS = ["record_id", "source_id", "person_id"]


def check_export_purpose(purpose: str) -> None:
    """An unknown purpose, or one that does not cover exports, would export nothing: say so first."""
    purposes = load_catalogue().purposes
    usable = sorted(p for p, spec in purposes.items() if spec.covers(EXPORT_CHANNEL))
    if purpose not in purposes:
        raise InvalidInput(f"Unknown purpose {purpose!r}; an export is for one of {usable}.")
    if not purposes[purpose].covers(EXPORT_CHANNEL):
        raise InvalidInput(f"Purpose {purpose!r} does not cover exports; use one of {usable}.")


def catch_up_people(store: SqlStore, ws: str) -> None:
    """Bring identity and consent up to the end of the log, so the gate judges the latest state."""
    IdentityHub(store).catch_up(ws)
    ConsentHub.of(store).catch_up(ws)


@dataclass(frozen=True, slots=True)
class PeopleExport:
    paths: dict[str, Path]
    purpose: str
    people: int
    refused: int
    refusals: tuple[Refusal, ...]


def _write(path: Path, fmt: str, rows: Sequence[dict[str, Any]], columns: list[str]) -> None:
    if fmt == "csv":
        with open_private(path, "w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns)
            writer.writeheader()
            writer.writerows(rows)
        return
    import pyarrow as pa
    import pyarrow.parquet as pq

    with open_private(path) as handle:
        pq.write_table(pa.Table.from_pylist(list(rows)) if rows else pa.table({c: [] for c in columns}),
                       handle)


def export_people(store: SqlStore, ws: str, folder: Path, fmt: str, purpose: str,
                  gate: OutboundGate | None = None, only: Collection[str] | None = None) -> PeopleExport:
    """Everyone the gate allows for ``purpose`` on the export channel (``only``: of these people,
    a segment's members)."""
    if fmt not in {"csv", "parquet"}:
        raise InvalidInput(f"Unknown export format {fmt!r}; use csv or parquet.")
    gate = gate or gate_for(store, ws, datetime.now(UTC))
    sql = IdentitySql(store)
    everyone = [p for p in sql.iter_persons(ws) if only is None or p[0] in only]
    gate.prefetch(["person:" + p[0] for p in everyone])
    tally: dict[str, Refusal] = {}
    allowed: set[str] = set()
    for pid, *_ in everyone:
        v = gate.check("person:" + pid, purpose, EXPORT_CHANNEL)
        if v.allowed:
            allowed.add(pid)
            continue
        found = tally.get(v.rule)
        tally[v.rule] = Refusal(v.rule, 1, v.reason) if found is None else Refusal(
            v.rule, found.count + 1, found.example)
    people = [{"person_id": pid, "record_count": n, "first_seen": first, "last_seen": last,
               "traits": orjson.dumps(traits).decode()}
              for pid, traits, n, first, last in everyone if pid in allowed]
    mapping = [{"record_id": rid, "source_id": src, "person_id": pid}
               for rid, src, pid in sql.mapping(ws) if pid in allowed]
    folder.mkdir(parents=True, exist_ok=True)
    paths = {"people": folder / f"people.{fmt}", "mapping": folder / f"mapping.{fmt}"}
    _write(paths["people"], fmt, people, PEOPLE_COLUMNS)
    _write(paths["mapping"], fmt, mapping, MAPPING_COLUMNS)
    refusals = tuple(sorted(tally.values(), key=lambda r: (-r.count, r.rule)))
    return PeopleExport(paths, purpose, len(people), len(everyone) - len(people), refusals)
