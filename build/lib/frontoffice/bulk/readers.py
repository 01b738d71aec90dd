"""Streaming rows out of CSV, NDJSON and Parquet files, never the whole file at once.

Each row carries its position for the quarantine (the 1-based physical line where a CSV
record or an NDJSON line starts; the 1-based row number in a Parquet file), its values, and
the row as read. A row that cannot be read as a row at all (a CSV record with the wrong
number of fields, a line that is not a JSON object, bytes that are not UTF-8) carries the
reason instead of values. A file that cannot be read at all raises ``InvalidInput``.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Protocol

import orjson

from frontoffice.errors import InvalidInput

FORMATS = ("csv", "parquet", "ndjson")
EXTENSIONS = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet", ".ndjson": "ndjson",
              ".jsonl": "ndjson"}
PARQUET_BATCH_ROWS = 1000
_UNDECODABLE = re.compile("[\udc80-\udcff]")


@dataclass(frozen=True, slots=True)
class Row:
    line: int
    values: dict[str, Any] | None  # None when the row could not be read; see ``problem``
    raw: object  # the row as read, kept for the quarantine
    problem: str | None = None


class RowReader(Protocol):
    path: Path
    format: str
    unit: str  # what ``position`` and ``total`` count: "bytes" or "rows"
    total: int
    blank_lines: int

    @property
    def columns(self) -> tuple[str, ...] | None:
        """The header or schema; None when rows bring their own keys (NDJSON)."""

    @property
    def position(self) -> int: ...
    def __iter__(self) -> Iterator[Row]: ...
    def close(self) -> None: ...


def infer_format(path: Path) -> str:
    fmt = EXTENSIONS.get(path.suffix.lower())
    if fmt is None:
        raise InvalidInput(
            f"Cannot tell the format of {path.name} from its extension; pass --format "
            f"{'|'.join(FORMATS)} (known extensions: {', '.join(EXTENSIONS)})."
        )
    return fmt


def open_reader(path: Path, fmt: str | None = None) -> RowReader:
    fmt = fmt or infer_format(path)
    if fmt == "csv":
        return CsvReader(path)
    if fmt == "ndjson":
        return NdjsonReader(path)
    if fmt == "parquet":
        return ParquetReader(path)
    raise InvalidInput(f"Unknown format {fmt!r}; use one of {', '.join(FORMATS)}.")


def _open_binary(path: Path) -> io.FileIO:
    try:
        return io.FileIO(path, "r")
    except OSError as exc:
        raise InvalidInput(f"Cannot open {path}: {exc.strerror}.") from None


def _repaired(text: str) -> str:
    """Text decoded with surrogateescape, with undecodable bytes shown as U+FFFD."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


class CsvReader:
    """UTF-8 (a BOM is skipped), header row first, RFC 4180 quoting; strict about quotes."""

    format = "csv"
    unit = "bytes"

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file = _open_binary(path)
        self.total = path.stat().st_size
        self.blank_lines = 0
        self._text = io.TextIOWrapper(io.BufferedReader(self._file, 1 << 16),
                                      encoding="utf-8-sig", errors="surrogateescape", newline="")
        self._pending: list[str] = []
        self._reader = csv.reader(self._lines(self._text), strict=True)
        self._line = 0  # physical lines consumed so far
        try:
            header = next(self._reader)
        except StopIteration:
            self.close()
            raise InvalidInput(f"{path.name} is empty; a CSV import needs a header row.") from None
        except csv.Error as exc:
            self.close()
            raise InvalidInput(f"{path.name}: the header row is not valid CSV: {exc}.") from None
        self._line = self._reader.line_num
        if _UNDECODABLE.search("".join(self._pending)):
            self.close()
            raise InvalidInput(f"{path.name}: the header row is not UTF-8; save the file as UTF-8.")
        self._pending.clear()
        if not header:
            self.close()
            raise InvalidInput(f"{path.name}: the first line is empty; a CSV import needs a "
                               "header row.")
        self.columns = tuple(name.strip() for name in header)

    def _lines(self, text: IO[str]) -> Iterator[str]:
        pending = self._pending
        for line in text:
            pending.append(line)
            yield line

    @property
    def position(self) -> int:
        return self._file.tell()

    def __iter__(self) -> Iterator[Row]:
        columns = self.columns
        width = len(columns)
        pending = self._pending
        reader = self._reader
        while True:
            start = self._line + 1
            try:
                fields = next(reader)
                problem = None
            except StopIteration:
                return
            except csv.Error as exc:
                fields, problem = [], f"not valid CSV: {exc}"
            self._line = reader.line_num
            text = "".join(pending)
            pending.clear()
            if problem is None and not fields:
                self.blank_lines += 1
                continue
            if problem is None and _UNDECODABLE.search(text):
                problem = "not valid UTF-8 text; save the file as UTF-8"
            if problem is None and len(fields) != width:
                problem = f"the row has {len(fields)} fields, the header has {width}"
            if problem is not None:
                if self._line > start:
                    problem += f" (the record spans lines {start}-{self._line})"
                yield Row(start, None, _repaired(text).rstrip("\r\n"), problem)
                continue
            values = dict(zip(columns, fields, strict=True))
            yield Row(start, values, values)

    def close(self) -> None:
        self._text.close()


def _kind(value: object) -> str:
    return {list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number")


class NdjsonReader:
    """One JSON object per line; blank lines are skipped and counted."""

    format = "ndjson"
    unit = "bytes"
    columns: tuple[str, ...] | None = None

    def __init__(self, path: Path) -> None:
        self.path = path
        self._stream = io.BufferedReader(_open_binary(path), 1 << 16)
        self.total = path.stat().st_size
        self.blank_lines = 0
        self._position = 0

    @property
    def position(self) -> int:
        return self._position

    def __iter__(self) -> Iterator[Row]:
        for number, line in enumerate(self._stream, start=1):
            self._position += len(line)
            if not line.strip():
                self.blank_lines += 1
                continue
            try:
                value = orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                text = line.decode("utf-8", "replace").rstrip("\r\n")
                yield Row(number, None, text, f"not valid JSON: {exc}")
                continue
            if not isinstance(value, dict):
                yield Row(number, None, value, f"not a JSON object but {_kind(value)}")
                continue
            yield Row(number, value, value)

    def close(self) -> None:
        self._stream.close()


class ParquetReader:
    """Row groups streamed in batches of ``PARQUET_BATCH_ROWS``; positions are row numbers."""

    format = "parquet"
    unit = "rows"

    def __init__(self, path: Path) -> None:
        import pyarrow
        import pyarrow.parquet as pq

        self.path = path
        self.blank_lines = 0
        self._errors = (pyarrow.ArrowException, OSError, ValueError)
        try:
            self._file = pq.ParquetFile(path)
        except self._errors as exc:
            raise InvalidInput(f"{path.name} is not a readable Parquet file: {exc}") from None
        self.total = int(self._file.metadata.num_rows)
        schema = self._file.schema_arrow
        self.columns = tuple(str(name) for name in schema.names)
        # Python datetimes stop at microseconds: read nanosecond timestamps (pandas writes
        # them) truncated to microseconds rather than failing on the first odd nanosecond.
        fields = [f.with_type(pyarrow.timestamp("us", tz=f.type.tz))
                  if pyarrow.types.is_timestamp(f.type) and f.type.unit == "ns" else f
                  for f in schema]
        self._cast = pyarrow.schema(fields) if fields != list(schema) else None
        self._position = 0

    @property
    def position(self) -> int:
        return self._position

    def __iter__(self) -> Iterator[Row]:
        batches = self._file.iter_batches(batch_size=PARQUET_BATCH_ROWS)
        while True:
            try:
                batch = next(batches)
                if self._cast is not None:
                    batch = batch.cast(self._cast, safe=False)
                rows = batch.to_pylist()
            except StopIteration:
                return
            except self._errors as exc:
                raise InvalidInput(
                    f"{self.path.name}: cannot read the rows after row {self._position}: {exc}"
                ) from None
            for values in rows:
                self._position += 1
                yield Row(self._position, values, values)

    def close(self) -> None:
        self._file.close()
