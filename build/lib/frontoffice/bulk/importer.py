"""Importing a file into one source's event log: exactly once, nothing silently dropped.

Every row is mapped to a Segment event and validated by the collector's own rules
(``domain.events.normalise``). Its messageId is the mapped one, or one derived from the
source and the mapped event's content, so re-running an import stores nothing twice and two
identical rows are one event. Rows are stored in chunks, one transaction each; a row that
cannot be imported is quarantined with its line number and the reason; with a residency check, a
row whose person's data must be stored in another country is refused with its line and the
reason. Every row read is counted as exactly one of imported, duplicate, quarantined,
suppressed (an erased person) or refused.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol

import orjson

from frontoffice.bulk.mapping import ConversionError, EventMapping
from frontoffice.bulk.readers import Row, RowReader, infer_format, open_reader
from frontoffice.domain.events import EventRecord, Limits, Rejection, iso, normalise, now
from frontoffice.errors import FrontofficeError, InvalidInput
from frontoffice.storage.port import AppendBatch, Store

CHUNK_ROWS = 1000
MAX_NOTES = 20
ORIGIN = "import"
Progress = Callable[[int, int], None]  # (position, total) in the reader's unit


@dataclass(frozen=True, slots=True)
class ImportJob:
    path: Path
    workspace_id: str
    source_id: str
    mapping: EventMapping | None
    limits: Limits
    format: str | None = None  # from the extension when None
    chunk_rows: int = CHUNK_ROWS


@dataclass(frozen=True, slots=True)
class RowNote:
    line: int
    outcome: str  # "quarantined", "duplicate" or "refused"
    detail: str


class Residency(Protocol):
    """Which events a workspace may store (``ResidencyGate`` in :mod:`frontoffice.residency.gate`)."""

    def check(self, workspace_id: str, records: Sequence[EventRecord],
              items: Sequence[Mapping[str, Any]], indices: Sequence[int],
              batch_context: Mapping[str, Any]) -> tuple[list[int], list[Rejection]]: ...


@dataclass(frozen=True, slots=True)
class ImportReport:
    file: str
    format: str
    rows_read: int
    imported: int
    repeated_in_file: int  # same messageId as an earlier row of this file
    already_stored: int  # the source had the messageId already (an earlier run)
    quarantined: int
    quarantined_before: int  # of ``quarantined``: already in quarantine from an earlier run
    blank_lines: int
    seconds: float
    notes: tuple[RowNote, ...]  # the first MAX_NOTES duplicates and quarantined rows
    notes_left_off: int
    suppressed: int = 0  # rows of erased people, dropped by the suppression list (not re-created)
    refused: int = 0  # rows whose person's data must be stored in another country (residency)

    @property
    def duplicates(self) -> int:
        return self.repeated_in_file + self.already_stored

    @property
    def balanced(self) -> bool:
        return (self.imported + self.duplicates + self.quarantined + self.suppressed + self.refused
                == self.rows_read)

    @property
    def rows_per_second(self) -> float:
        return self.rows_read / self.seconds if self.seconds > 0 else 0.0


def derived_message_id(source_id: str, event: dict[str, object]) -> str:
    """The same row of the same source always gets the same id: ``imp-`` + 32 hex digits."""
    canonical = orjson.dumps(event, option=orjson.OPT_SORT_KEYS)
    return "imp-" + hashlib.sha256(source_id.encode() + canonical).hexdigest()[:32]


def import_file(store: Store, job: ImportJob, *, on_progress: Progress | None = None,
                clock: Callable[[], datetime] = now, residency: Residency | None = None) -> ImportReport:
    """``store``: the workspace's own storage (its data location's). ``residency``: the
    collector's residency check; a row whose person's data must be stored in another country is
    refused with its line and the reason, and not quarantined, as the quarantine is in this
    storage too."""
    fmt = job.format or infer_format(job.path)
    if job.mapping is None and fmt != "ndjson":
        raise InvalidInput(
            f"A {fmt} import needs a mapping: pass --map mapping.yaml (see docs/import.md). "
            "Only NDJSON files of Segment events can be imported without one."
        )
    reader = open_reader(job.path, fmt)
    try:
        check_columns(reader, job.mapping)
        return _Importer(store, job, reader, on_progress, clock, residency).run()
    finally:
        reader.close()


def check_columns(reader: RowReader, mapping: EventMapping | None) -> None:
    """Every column the mapping reads must be in the file's header (CSV) or schema (Parquet)."""
    if mapping is None or reader.columns is None:
        return
    present = reader.columns
    for column, path in mapping.columns().items():
        count = present.count(column)
        if count == 1:
            continue
        name = reader.path.name
        if count > 1:
            raise InvalidInput(f"Mapping {mapping.origin}: {path} reads column {column!r}, which "
                               f"{name} has {count} times; rename the duplicates in the header.")
        raise InvalidInput(f"Mapping {mapping.origin}: {path} reads column {column!r}, which "
                           f"{name} does not have. Its columns are: {', '.join(present)}.")


def _raw_json(raw: object) -> bytes:
    def fallback(value: object) -> object:
        if isinstance(value, Decimal):
            return str(value)
        if isinstance(value, bytes):
            return value.decode("utf-8", "replace")
        return repr(value)

    try:
        return orjson.dumps(raw, default=fallback, option=orjson.OPT_NON_STR_KEYS)
    except TypeError:
        return orjson.dumps(repr(raw))


def _quarantine_key(reference: str, reason: str, payload: bytes) -> bytes:
    return hashlib.sha256(f"{reference}\0{reason}\0".encode() + payload).digest()[:16]


def quarantined_before(store: Store, workspace_id: str, source_id: str, file_name: str) -> set[bytes]:
    """Keys of the rows an earlier import of this file already quarantined, not to store twice."""
    prefix = f"{file_name}:"
    keys: set[bytes] = set()
    after = 0
    while page := store.quarantine(workspace_id, after_id=after, limit=1000, source_id=source_id):
        for entry in page:
            if entry.origin == ORIGIN and entry.reference.startswith(prefix):
                keys.add(_quarantine_key(entry.reference, entry.reason, entry.payload))
        after = page[-1].id
    return keys


class _Importer:
    def __init__(self, store: Store, job: ImportJob, reader: RowReader,
                 on_progress: Progress | None, clock: Callable[[], datetime],
                 residency: Residency | None) -> None:
        self.store, self.job, self.reader = store, job, reader
        self.on_progress, self.clock, self.residency = on_progress, clock, residency
        self.name = job.path.name
        self.before = quarantined_before(store, job.workspace_id, job.source_id, self.name)
        self.seen: dict[str, int] = {}  # messageId -> the line that first had it
        self.events: list[EventRecord] = []
        self.items: list[tuple[int, dict[str, Any]]] = []  # (line, event as mapped) per event
        self.rejections: list[Rejection] = []
        self.received_at = clock()
        self.rows_read = self.imported = self.repeated = self.already_stored = self.suppressed = 0
        self.quarantined = self.quarantined_before = self.refused = 0
        self.notes: list[RowNote] = []
        self.notes_left_off = 0

    def run(self) -> ImportReport:
        started = time.perf_counter()
        try:
            for row in self.reader:
                self.rows_read += 1
                self.take(row)
                if len(self.events) + len(self.rejections) >= self.job.chunk_rows:
                    self.flush()
        except FrontofficeError as exc:
            self.flush()
            raise InvalidInput(
                f"{exc} The {self.rows_read} rows before it were processed ({self.imported} "
                "imported); fix the file and re-run the import: rows already stored are skipped."
            ) from None
        self.flush()
        return ImportReport(
            file=self.name, format=self.reader.format, rows_read=self.rows_read,
            imported=self.imported, repeated_in_file=self.repeated,
            already_stored=self.already_stored, quarantined=self.quarantined,
            quarantined_before=self.quarantined_before, blank_lines=self.reader.blank_lines,
            seconds=time.perf_counter() - started, notes=tuple(self.notes),
            notes_left_off=self.notes_left_off, suppressed=self.suppressed, refused=self.refused,
        )

    def take(self, row: Row) -> None:
        if row.values is None:
            self.quarantine(row, row.problem or "unreadable row")
            return
        try:
            event = self.job.mapping.apply(row.values) if self.job.mapping else dict(row.values)
            if event.get("messageId") is None:
                event["messageId"] = derived_message_id(self.job.source_id, event)
        except ConversionError as exc:
            self.quarantine(row, str(exc))
            return
        except TypeError as exc:  # orjson: e.g. an integer beyond 64 bits
            self.quarantine(row, f"the event cannot be written as JSON: {exc}")
            return
        result = normalise(event, index=row.line, batch={}, forced_type=None,
                           source_id=self.job.source_id, received_at=self.received_at,
                           limits=self.job.limits)
        if isinstance(result, Rejection):
            self.quarantine(row, result.reason, result.message_id)
            return
        first = self.seen.get(result.message_id)
        if first is not None:
            self.repeated += 1
            self.note(row.line, "duplicate", f"same messageId as line {first} ({result.message_id})")
            return
        self.seen[result.message_id] = row.line
        self.events.append(result)
        self.items.append((row.line, event))

    def quarantine(self, row: Row, reason: str, message_id: str | None = None) -> None:
        self.quarantined += 1
        self.note(row.line, "quarantined", reason)
        payload = _raw_json(row.raw)
        if _quarantine_key(f"{self.name}:{row.line}", reason, payload) in self.before:
            self.quarantined_before += 1
            return
        self.rejections.append(Rejection(index=row.line, message_id=message_id, reason=reason,
                                         payload=payload))

    def note(self, line: int, outcome: str, detail: str) -> None:
        if len(self.notes) < MAX_NOTES:
            self.notes.append(RowNote(line, outcome, detail))
        else:
            self.notes_left_off += 1

    def flush(self) -> None:
        if self.events and self.residency is not None:
            kept, refused = self.residency.check(
                self.job.workspace_id, self.events, [item for _, item in self.items],
                [line for line, _ in self.items], {})
            for refusal in refused:
                self.refused += 1
                self.note(refusal.index, "refused", refusal.reason)
            self.events = [self.events[k] for k in kept]
        self.items = []
        if self.events or self.rejections:
            ws, src, received = self.job.workspace_id, self.job.source_id, iso(self.received_at)
            batches = [AppendBatch(ws, src, self.events, origin=ORIGIN, reference=self.name,
                                   received_at=received)] if self.events else []
            batches += [AppendBatch(ws, src, (), (r,), origin=ORIGIN,
                                    reference=f"{self.name}:{r.index}", received_at=received)
                        for r in self.rejections]
            results = self.store.append(batches)
            if self.events:
                self.imported += results[0].inserted
                self.already_stored += results[0].duplicates
                self.suppressed += len(results[0].suppressed)
            self.events, self.rejections = [], []
            self.received_at = self.clock()
        if self.on_progress is not None:
            self.on_progress(self.reader.position, self.reader.total)
