"""Streaming a workspace's event log out in seq order, as NDJSON or Parquet.

NDJSON holds each stored payload exactly as stored, one per line: importing the file with no
mapping into another source gives the same messageIds and payloads (only receivedAt becomes
the new arrival time). Every export says what it is for (a consent purpose): the outbound gate
checks that purpose on the ``export`` channel for the person of every event, and the events of
people not allowed are left out and counted per rule in the report, never silently. Parquet
adds the normalised columns for analytics tools. The file is
written under a temporary name and renamed when complete, so a failed export leaves no
half-written file behind; it is readable by its owner only (0600).
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, Protocol

from frontoffice.domain.events import StoredEvent
from frontoffice.errors import InvalidInput
from frontoffice.outbound.gate import EXPORT_CHANNEL, Refusal
from frontoffice.outbound.lookup import OutboundGate
from frontoffice.storage.port import Store
from frontoffice.storage.private_files import open_private
from frontoffice.storage.sql import SqlStore

EXPORT_FORMATS = ("ndjson", "parquet")
_EXTENSIONS = {".ndjson": "ndjson", ".jsonl": "ndjson", ".parquet": "parquet", ".pq": "parquet"}
PAGE_ROWS = 1000
ROW_GROUP_ROWS = 64 * 1024
PARQUET_COLUMNS = ("seq", "source_id", "message_id", "family", "type", "event", "user_id",
                   "anonymous_id", "timestamp", "received_at", "payload")


@dataclass(frozen=True, slots=True)
class ExportReport:
    file: str
    format: str
    count: int
    first_seq: int | None
    last_seq: int | None
    seconds: float
    purpose: str = ""
    refused: int = 0
    refusals: tuple[Refusal, ...] = ()
    read_last_seq: int | None = None  # last seq read, written or not: where to continue from


def _tally(tally: dict[str, Refusal], rule: str, reason: str) -> None:
    found = tally.get(rule)
    tally[rule] = Refusal(rule, 1, reason) if found is None else Refusal(rule, found.count + 1, found.example)


def export_format(path: Path, fmt: str | None) -> str:
    if fmt is not None:
        if fmt not in EXPORT_FORMATS:
            raise InvalidInput(f"Unknown export format {fmt!r}; use {' or '.join(EXPORT_FORMATS)}.")
        return fmt
    found = _EXTENSIONS.get(path.suffix.lower())
    if found is None:
        raise InvalidInput(f"Cannot tell the format of {path.name} from its extension; pass "
                           f"--format {'|'.join(EXPORT_FORMATS)}.")
    return found


def pages(store: Store, workspace_id: str, *, source_id: str | None = None, after_seq: int = 0,
          page_rows: int = PAGE_ROWS) -> Iterator[list[StoredEvent]]:
    """The log in seq order, one page at a time: memory stays at one page."""
    while page := store.events(workspace_id, after_seq=after_seq, limit=page_rows,
                               source_id=source_id):
        yield page
        after_seq = page[-1].seq


class _Sink(Protocol):
    def write(self, page: Sequence[StoredEvent]) -> None: ...
    def close(self) -> None: ...


class _NdjsonSink:
    def __init__(self, path: Path) -> None:
        self._file: IO[Any] = open_private(path)

    def write(self, page: Sequence[StoredEvent]) -> None:
        self._file.write(b"".join(e.record.payload + b"\n" for e in page))

    def close(self) -> None:
        self._file.close()


class _ParquetSink:
    def __init__(self, path: Path) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        self._pa = pa
        ts = pa.timestamp("ms", tz="UTC")
        self._schema = pa.schema([
            ("seq", pa.int64()), ("source_id", pa.string()), ("message_id", pa.string()),
            ("family", pa.string()), ("type", pa.string()), ("event", pa.string()),
            ("user_id", pa.string()), ("anonymous_id", pa.string()), ("timestamp", ts),
            ("received_at", ts), ("payload", pa.string()),
        ])
        self._file = open_private(path)
        self._writer = pq.ParquetWriter(self._file, self._schema, compression="zstd")
        self._columns: dict[str, list[Any]] = {name: [] for name in PARQUET_COLUMNS}

    def write(self, page: Sequence[StoredEvent]) -> None:
        c = self._columns
        for stored in page:
            r = stored.record
            c["seq"].append(stored.seq)
            c["source_id"].append(stored.source_id)
            c["message_id"].append(r.message_id)
            c["family"].append(r.family)
            c["type"].append(r.type)
            c["event"].append(r.event)
            c["user_id"].append(r.user_id)
            c["anonymous_id"].append(r.anonymous_id)
            c["timestamp"].append(datetime.fromisoformat(r.timestamp))
            c["received_at"].append(datetime.fromisoformat(r.received_at))
            c["payload"].append(r.payload.decode("utf-8"))
        if len(c["seq"]) >= ROW_GROUP_ROWS:
            self._flush()

    def _flush(self) -> None:
        if self._columns["seq"]:
            self._writer.write_table(self._pa.table(self._columns, schema=self._schema))
            self._columns = {name: [] for name in PARQUET_COLUMNS}

    def close(self) -> None:
        self._flush()
        self._writer.close()
        self._file.close()


def export_events(store: SqlStore, workspace_id: str, out: Path, *, purpose: str, fmt: str | None = None,
                  source_id: str | None = None, after_seq: int = 0,
                  on_progress: Callable[[int], None] | None = None,
                  page_rows: int = PAGE_ROWS, gate: OutboundGate | None = None) -> ExportReport:
    """Write the events after ``after_seq`` whose person allows ``purpose`` on the export channel to
    ``out``; ``on_progress`` gets the running count of events read."""
    fmt = export_format(out, fmt)
    gate = gate or OutboundGate(store, workspace_id, datetime.now(UTC))
    started = time.perf_counter()
    partial = out.with_name(out.name + ".partial")
    count, read, first, last, read_last = 0, 0, None, None, None
    tally: dict[str, Refusal] = {}
    try:
        sink: _Sink = _NdjsonSink(partial) if fmt == "ndjson" else _ParquetSink(partial)
    except OSError as exc:
        raise InvalidInput(f"Cannot write {out}: {exc.strerror}.") from None
    try:
        for page in pages(store, workspace_id, source_id=source_id, after_seq=after_seq,
                          page_rows=page_rows):
            verdicts = gate.check_events(page, purpose, EXPORT_CHANNEL)
            kept = [e for e, v in zip(page, verdicts, strict=True) if v.allowed]
            for v in verdicts:
                if not v.allowed:
                    _tally(tally, v.rule, v.reason)
            if kept:
                sink.write(kept)
                first = kept[0].seq if first is None else first
                last = kept[-1].seq
            count += len(kept)
            read += len(page)
            read_last = page[-1].seq
            if on_progress is not None:
                on_progress(read)
        sink.close()
    except BaseException:
        with contextlib.suppress(Exception):
            sink.close()
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, out)
    refusals = tuple(sorted(tally.values(), key=lambda r: (-r.count, r.rule)))
    return ExportReport(out.name, fmt, count, first, last, time.perf_counter() - started, purpose,
                        read - count, refusals, read_last)
