"""Importing CSV, Parquet and NDJSON files: exactly once, bad rows quarantined by line.

Runs on SQLite and on a real PostgreSQL (the ``store`` fixture).
"""

from __future__ import annotations

import re
from pathlib import Path

import orjson
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from frontoffice.bulk.importer import ImportJob, ImportReport, import_file
from frontoffice.bulk.mapping import load_mapping
from frontoffice.cli.main import cli
from frontoffice.domain.events import Limits
from frontoffice.domain.tenancy import Source, Status, Workspace
from frontoffice.errors import InvalidInput
from frontoffice.settings import Settings
from frontoffice.storage.sql import SqlStore
from frontoffice.tenancy import service as tenancy

LIMITS = Limits(Settings().max_event_bytes, Settings().max_json_depth)

ORDERS_MAP = """\
type: track
event: Order Completed
message_id: {column: receipt_id}
user_id: {column: customer_no}
timestamp: {column: purchased_at, format: "%d.%m.%Y %H:%M", timezone: Europe/Berlin}
traits: {email: {column: mail}, country: "DE"}
properties: {amount: {column: total, type: float, decimal: ","}}
"""

# line numbers are physical lines: the record of R5 spans lines 7-8, line 6 is blank
ORDERS_CSV = (
    b"receipt_id,customer_no,mail,total,purchased_at\n"           # 1
    b'R1,C1,a@example.de,"12,50",01.02.2024 10:00\n'               # 2 imported
    b"R2,C2,b@example.de,abc,01.02.2024 11:00\n"                   # 3 not a number
    b'R3,C3,c@example.de,"1,00",2024-02-01\n'                      # 4 wrong date layout
    b'R4,,,"3,00",01.02.2024 12:00\n'                              # 5 no userId (collector rule)
    b"\n"                                                          # 6 blank
    b'R5,C5,"multi\n'                                              # 7 imported (2 lines)
    b'line@example.de","2,00",01.02.2024 13:00\n'                  # 8
    b"R6,C6\n"                                                     # 9 too few fields
    b'R7,C7,\xff\xfe@example.de,"1,00",01.02.2024 14:00\n'         # 10 not UTF-8
    b'R1,C1,a@example.de,"12,50",01.02.2024 10:00\n'               # 11 repeats line 2
    b'R8,C8,h@example.de,"5,00",01.02.2024 15:00\n'                # 12 imported
)


@pytest.fixture
def target(store: SqlStore) -> tuple[Workspace, Source]:
    workspace = tenancy.create_workspace(store, "shop")
    source, _ = tenancy.create_source(store, workspace.id, "pos", "pos")
    return workspace, source


def write(path: Path, content: bytes | str) -> Path:
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def run(store: SqlStore, target: tuple[Workspace, Source], path: Path, mapping: str | None,
        *, limits: Limits = LIMITS, chunk_rows: int = 1000) -> ImportReport:
    loaded = None
    if mapping is not None:
        loaded = load_mapping(write(path.with_name(path.stem + ".map.yaml"), mapping))
    job = ImportJob(path, target[0].id, target[1].id, loaded, limits, chunk_rows=chunk_rows)
    return import_file(store, job)


def payloads(store: SqlStore, workspace: Workspace) -> list[dict[str, object]]:
    return [orjson.loads(e.record.payload) for e in store.events(workspace.id)]


def quarantine(store: SqlStore, workspace: Workspace) -> dict[str, tuple[str, object]]:
    return {q.reference: (q.reason, orjson.loads(q.payload))
            for q in store.quarantine(workspace.id)}


def test_csv_rows_become_events_validated_like_the_collector(
        store: SqlStore, target: tuple[Workspace, Source], tmp_path: Path) -> None:
    report = run(store, target, write(tmp_path / "orders.csv", ORDERS_CSV), ORDERS_MAP)

    assert (report.rows_read, report.imported, report.duplicates, report.quarantined) == (9, 3, 1, 5)
    assert report.balanced and report.blank_lines == 1
    events = payloads(store, target[0])
    assert [e["messageId"] for e in events] == ["R1", "R5", "R8"]
    first = events[0]
    assert first["type"] == "track" and first["event"] == "Order Completed"
    assert first["userId"] == "C1"
    assert first["timestamp"] == "2024-02-01T09:00:00.000Z"  # 10:00 in Berlin
    assert first["traits"] == {"email": "a@example.de", "country": "DE"}
    assert first["properties"] == {"amount": 12.5}
    assert "receivedAt" in first
    assert events[1]["traits"] == {"email": "multi\nline@example.de", "country": "DE"}


def test_bad_rows_are_quarantined_with_their_line_and_the_reason(
        store: SqlStore, target: tuple[Workspace, Source], tmp_path: Path) -> None:
    report = run(store, target, write(tmp_path / "orders.csv", ORDERS_CSV), ORDERS_MAP)

    stored = quarantine(store, target[0])
    assert sorted(stored) == ["orders.csv:10", "orders.csv:3", "orders.csv:4", "orders.csv:5",
                              "orders.csv:9"]
    assert stored["orders.csv:3"][0] == "column 'total' (properties.amount): 'abc' is not a number"
    assert stored["orders.csv:4"][0] == ("column 'purchased_at' (timestamp): '2024-02-01' does not "
                                         "match the format '%d.%m.%Y %H:%M'")
    assert stored["orders.csv:5"][0] == "userId or anonymousId is required"
    assert stored["orders.csv:9"][0] == "the row has 2 fields, the header has 5"
    assert "not valid UTF-8" in stored["orders.csv:10"][0]
    # the payload is the raw row: the cells by column, or the text when it is not a row
    assert stored["orders.csv:3"][1] == {"receipt_id": "R2", "customer_no": "C2",
                                         "mail": "b@example.de", "total": "abc",
                                         "purchased_at": "01.02.2024 11:00"}
    assert stored["orders.csv:9"][1] == "R6,C6"
    assert stored["orders.csv:10"][1] == 'R7,C7,\ufffd\ufffd@example.de,"1,00",01.02.2024 14:00'
    assert all(q.origin == "import" for q in store.quarantine(target[0].id))
    assert [(n.line, n.outcome) for n in report.notes] == [
        (3, "quarantined"), (4, "quarantined"), (5, "quarantined"), (9, "quarantined"),
        (10, "quarantined"), (11, "duplicate")]
    assert report.notes[-1].detail == "same messageId as line 2 (R1)"


def test_a_record_spanning_lines_is_reported_at_the_line_where_it_starts(
        store: SqlStore, target: tuple[Workspace, Source], tmp_path: Path) -> None:
    mapping = "type: identify\nuser_id: {column: u}\ntraits: {note: {column: note}}\n"
    csv = ('u,note\n'
           'u1,"two\nlines",extra\n'      # 2-3: a field too many
           'u2,ok\n'                       # 4
           'u3,"bad"quote\n'               # 5: not valid CSV
           'u4,"never closed\n'            # 6: swallows the rest of the file
           'u5,lost\n')                    # 7
    report = run(store, target, write(tmp_path / "notes.csv", csv), mapping)

    assert (report.rows_read, report.imported, report.quarantined) == (4, 1, 3)
    stored = quarantine(store, target[0])
    assert stored["notes.csv:2"] == (
        "the row has 3 fields, the header has 2 (the record spans lines 2-3)",
        'u1,"two\nlines",extra')
    assert stored["notes.csv:5"][0] == "not valid CSV: ',' expected after '\"'"
    assert stored["notes.csv:6"][0] == "not valid CSV: unexpected end of data (the record spans lines 6-7)"


def test_rerunning_an_import_stores_nothing_twice(
        store: SqlStore, target: tuple[Workspace, Source], tmp_path: Path) -> None:
    path = write(tmp_path / "orders.csv", ORDERS_CSV)
    run(store, target, path, ORDERS_MAP, chunk_rows=2)

    again = run(store, target, path, ORDERS_MAP)

    assert (again.rows_read, again.imported, again.already_stored, again.repeated_in_file) == (9, 0, 3, 1)
    assert (again.quarantined, again.quarantined_before) == (5, 5)
    assert again.balanced
    assert store.count_events(target[0].id) == 3
    assert store.count_quarantine(target[0].id) == 5  # bad rows are not quarantined twice


def test_an_interrupted_import_is_completed_by_running_it_again(
        store: SqlStore, target: tuple[Workspace, Source], tmp_path: Path) -> None:
    header, *rows = ORDERS_CSV.split(b"\n")
    path = write(tmp_path / "orders.csv", b"\n".join([header, *rows[:2]]) + b"\n")
    run(store, target, path, ORDERS_MAP)  # as far as the first chunk got

    write(path, ORDERS_CSV)
    report = run(store, target, path, ORDERS_MAP)

    assert (report.imported, report.already_stored) == (2, 1)
    assert [e["messageId"] for e in payloads(store, target[0])] == ["R1", "R5", "R8"]


def test_identical_rows_without_message_id_are_one_event(
        store: SqlStore, target: tuple[Workspace, Source], tmp_path: Path) -> None:
    mapping = "type: track\nevent: {column: action}\nuser_id: {column: user}\n"
    csv = "user,action\nu1,Opened\nu2,Opened\nu1,Opened\n"
    report = run(store, target, write(tmp_path / "clicks.csv", csv), mapping)

    assert (report.imported, report.repeated_in_file) == (2, 1)
    ids = [e["messageId"] for e in payloads(store, target[0])]
    assert all(re.fullmatch(r"imp-[0-9a-f]{32}", str(i)) for i in ids)
    assert report.notes[0].line == 4 and f"same messageId as line 2 ({ids[0]})" == report.notes[0].detail

    again = run(store, target, tmp_path / "clicks.csv", mapping)
    assert (again.imported, again.already_stored, again.repeated_in_file) == (0, 2, 1)


def test_an_event_over_the_size_limit_is_quarantined_like_at_the_collector(
        store: SqlStore, target: tuple[Workspace, Source], tmp_path: Path) -> None:
    mapping = "type: identify\nuser_id: {column: u}\ntraits: {bio: {column: bio}}\n"
    csv = f"u,bio\nshort,hello\nlong,{'x' * 400}\n"
    report = run(store, target, write(tmp_path / "bios.csv", csv), mapping,
                 limits=Limits(max_event_bytes=300, max_json_depth=32))

    assert (report.imported, report.quarantined) == (1, 1)
    reason, _ = quarantine(store, target[0])["bios.csv:3"]
    assert "over the 300-byte limit" in reason


def test_parquet_is_read_in_batches_with_typed_columns(
        store: SqlStore, target: tuple[Workspace, Source], tmp_path: Path) -> None:
    table = pa.table({
        "customer_no": pa.array([1001, 1002, None, 1004], pa.int64()),
        "mail": pa.array(["a@example.de", None, "c@example.de", "d@example.de"]),
        "total": pa.array([12.5, 3.0, 1.0, 7.25]),
        # nanoseconds, as pandas writes them; Python datetimes keep microseconds
        "bought_at": pa.array([t * 1_000_000 + 123 for t in (
            1_706_774_400_000, 1_706_778_000_000, 1_706_781_600_000, 1_706_785_200_000)],
            pa.timestamp("ns", tz="UTC")),
    })
    path = tmp_path / "orders.parquet"
    pq.write_table(table, path, row_group_size=2)
    mapping = ("type: track\nevent: Order Completed\nuser_id: {column: customer_no}\n"
               "timestamp: {column: bought_at}\ntraits: {email: {column: mail}}\n"
               "properties: {amount: {column: total, type: float}}\n")

    report = run(store, target, path, mapping)

    assert (report.rows_read, report.imported, report.quarantined) == (4, 3, 1)
    events = payloads(store, target[0])
    assert [e["userId"] for e in events] == ["1001", "1002", "1004"]
    assert events[0]["timestamp"] == "2024-02-01T08:00:00.000Z"
    assert events[0]["properties"] == {"amount": 12.5}
    assert "traits" not in events[1]  # a null cell is missing, not ""
    reason, raw = quarantine(store, target[0])["orders.parquet:3"]
    assert reason == "userId or anonymousId is required"
    assert isinstance(raw, dict) and raw["customer_no"] is None and raw["mail"] == "c@example.de"
    assert run(store, target, path, mapping).imported == 0


def test_ndjson_lines_are_segment_events_when_there_is_no_mapping(
        store: SqlStore, target: tuple[Workspace, Source], tmp_path: Path) -> None:
    lines = [
        '{"type":"track","event":"A","userId":"u1","messageId":"m1","timestamp":"2024-01-01T00:00:00Z"}',
        '{"type":"identify","userId":"u2","traits":{"plan":"pro"}}',
        "{not json",
        "[1, 2]",
        "",
        '{"type":"track","userId":"u3"}',
        '{"type":"track","event":"A","userId":"u1","messageId":"m1","timestamp":"2024-01-01T00:00:00Z"}',
    ]
    path = write(tmp_path / "events.ndjson", "\n".join(lines) + "\n")

    report = run(store, target, path, None)

    assert (report.rows_read, report.imported, report.duplicates, report.quarantined) == (6, 2, 1, 3)
    assert report.blank_lines == 1
    events = payloads(store, target[0])
    assert events[0]["messageId"] == "m1"
    assert str(events[1]["messageId"]).startswith("imp-")
    stored = quarantine(store, target[0])
    assert stored["events.ndjson:3"][0].startswith("not valid JSON")
    assert stored["events.ndjson:3"][1] == "{not json"
    assert stored["events.ndjson:4"] == ("not a JSON object but an array", [1, 2])
    assert stored["events.ndjson:6"][0] == "track needs a non-empty string 'event'"
    assert report.notes[-1].detail == "same messageId as line 1 (m1)"
    assert run(store, target, path, None).imported == 0


def test_ndjson_can_be_mapped_by_top_level_keys(
        store: SqlStore, target: tuple[Workspace, Source], tmp_path: Path) -> None:
    path = write(tmp_path / "shop.jsonl",
                 '{"kind":"track","what":"Bought","who":42,"props":{"sku":"A1","qty":2}}\n'
                 '{"kind":"identify","who":43}\n')
    mapping = ("type: {column: kind}\nevent: {column: what}\nuser_id: {column: who}\n"
               "properties: {column: props, type: json}\n")

    report = run(store, target, path, mapping)

    assert report.imported == 2
    first, second = payloads(store, target[0])
    assert (first["userId"], first["properties"]) == ("42", {"sku": "A1", "qty": 2})
    assert (second["type"], second["userId"]) == ("identify", "43")


def test_a_mapping_column_missing_from_the_file_stops_before_anything_is_stored(
        store: SqlStore, target: tuple[Workspace, Source], tmp_path: Path) -> None:
    path = write(tmp_path / "orders.csv", ORDERS_CSV)
    with pytest.raises(InvalidInput, match=re.escape(
            "properties.amount reads column 'totl', which orders.csv does not have. "
            "Its columns are: receipt_id, customer_no, mail, total, purchased_at.")):
        run(store, target, path, ORDERS_MAP.replace("column: total", "column: totl"))
    assert store.count_events(target[0].id) == store.count_quarantine(target[0].id) == 0


def test_csv_and_parquet_need_a_mapping(
        store: SqlStore, target: tuple[Workspace, Source], tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="A csv import needs a mapping: pass --map"):
        run(store, target, write(tmp_path / "orders.csv", ORDERS_CSV), None)


@pytest.mark.parametrize(("content", "message"), [
    (b"", "empty.csv is empty; a CSV import needs a header row"),
    (b"\nu,v\n", "empty.csv: the first line is empty; a CSV import needs a header row"),
    (b"u,\xff\nx,y\n", "empty.csv: the header row is not UTF-8"),
])
def test_a_csv_without_a_usable_header_is_refused(
        store: SqlStore, target: tuple[Workspace, Source], tmp_path: Path, content: bytes,
        message: str) -> None:
    with pytest.raises(InvalidInput, match=re.escape(message)):
        run(store, target, write(tmp_path / "empty.csv", content), "type: identify\nuser_id: u\n")


def invoke(database_url: str, tmp_path: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        cli, ["--data-dir", str(tmp_path), "--database-url", database_url, *args])
    return result.exit_code, result.output


def test_import_command_prints_the_summary_and_is_idempotent(
        store: SqlStore, target: tuple[Workspace, Source], database_url: str, tmp_path: Path) -> None:
    path = write(tmp_path / "orders.csv", ORDERS_CSV)
    mapping = write(tmp_path / "orders.yaml", ORDERS_MAP)

    code, out = invoke(database_url, tmp_path, "import", str(path), "--source", "shop/pos",
                       "--map", str(mapping))

    assert code == 0, out
    assert re.search(r"rows read\s*│\s*9\b", out)
    assert re.search(r"imported\s*│\s*3\b", out)
    assert re.search(r"duplicates\s*│\s*1 \(1 repeated in the file, 0 already stored\)", out)
    assert re.search(r"quarantined\s*│\s*5\b", out)
    assert re.search(r"│ 3\s*│ quarantined │ column 'total' \(properties.amount\)", out)

    code, out = invoke(database_url, tmp_path, "import", str(path), "--source", "pos",
                       "--workspace", "shop", "--map", str(mapping), "--format", "csv")
    assert code == 0, out
    assert re.search(r"imported\s*│\s*0\b", out)
    assert store.count_events(target[0].id) == 3


def test_import_command_with_a_broken_mapping_exits_1_naming_the_key(
        store: SqlStore, target: tuple[Workspace, Source], database_url: str, tmp_path: Path) -> None:
    path = write(tmp_path / "orders.csv", ORDERS_CSV)
    mapping = write(tmp_path / "orders.yaml", ORDERS_MAP.replace("user_id:", "user_idd:"))

    code, out = invoke(database_url, tmp_path, "import", str(path), "--source", "pos",
                       "--map", str(mapping))

    assert code == 1
    assert "error: Mapping orders.yaml: user_idd: unknown key; did you mean 'user_id'?" in out
    assert store.count_events(target[0].id) == 0


def test_import_command_refuses_an_unknown_format_unknown_or_disabled_source(
        store: SqlStore, target: tuple[Workspace, Source], database_url: str, tmp_path: Path) -> None:
    path = write(tmp_path / "orders.txt", ORDERS_CSV)
    code, out = invoke(database_url, tmp_path, "import", str(path), "--source", "pos")
    assert code == 1 and "Cannot tell the format of orders.txt" in out
    code, out = invoke(database_url, tmp_path, "import", str(path), "--source", "web",
                       "--format", "ndjson")
    assert code == 1 and "No source 'web'" in out
    store.set_source_status(target[0].id, target[1].id, Status.DISABLED)
    code, out = invoke(database_url, tmp_path, "import", str(path), "--source", "pos",
                       "--format", "ndjson")
    assert code == 1 and "Source shop/pos is disabled" in out


def test_import_and_export_are_listed_in_help() -> None:
    runner = CliRunner()
    top = runner.invoke(cli, ["--help"])
    assert top.exit_code == 0
    assert re.search(r"^\s+import\s", top.output, re.M) and re.search(r"^\s+export\s", top.output, re.M)
    help_text = runner.invoke(cli, ["import", "--help"]).output
    for option in ("--source", "--map", "--workspace", "--format", "--chunk-rows"):
        assert option in help_text
