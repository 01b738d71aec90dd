"""Exporting the event log to NDJSON and Parquet, and importing an export elsewhere.

Runs on SQLite and on a real PostgreSQL (the ``store`` fixture).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from frontoffice.bulk.exporter import PARQUET_COLUMNS, export_events
from frontoffice.bulk.importer import ImportJob, import_file
from frontoffice.cli.main import cli
from frontoffice.commerce import service as commerce
from frontoffice.domain.events import EventRecord, Limits, normalise
from frontoffice.domain.tenancy import Source, Workspace
from frontoffice.errors import InvalidInput
from frontoffice.outbound.exports import catch_up_people
from frontoffice.settings import Settings
from frontoffice.storage.port import AppendBatch
from frontoffice.storage.sql import SqlStore
from frontoffice.tenancy import service as tenancy
from tests.unit.commerce import sample

LIMITS = Limits(Settings().max_event_bytes, Settings().max_json_depth)
RECEIVED = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)
ESSENTIAL = "essential"  # what these exports are for: needs no consent, but the gate still runs

COLLECTED: list[dict[str, object]] = [
    {"type": "track", "event": "Order Completed", "userId": "u1", "messageId": "web-1",
     "properties": {"total": 12.5, "items": [{"sku": "A1", "qty": 2}]},
     "context": {"ip": "203.0.113.9", "locale": "de-DE"}},
    {"type": "identify", "anonymousId": "anon-7", "traits": {"email": "a@example.de"},
     "originalTimestamp": "2024-03-01T11:59:58.000Z", "sentAt": "2024-03-01T11:59:59.000Z"},
    {"type": "page", "userId": "u1", "name": "Checkout", "timestamp": "2024-03-01T11:00:00Z",
     "integrations": {"All": False}},
    {"type": "alias", "previousId": "anon-7", "userId": "u1", "messageId": "web-4"},
]


def collect(store: SqlStore, source: Source, events: list[dict[str, object]]) -> None:
    """Stores events the way the collector does: normalise, then append."""
    records = []
    for index, item in enumerate(events):
        result = normalise(item, index=index, batch={}, forced_type=None, source_id=source.id,
                           received_at=RECEIVED, limits=LIMITS)
        assert isinstance(result, EventRecord), result
        records.append(result)
    store.append([AppendBatch(source.workspace_id, source.id, records)])


@pytest.fixture
def shop(store: SqlStore) -> tuple[Workspace, Source, Source]:
    workspace = tenancy.create_workspace(store, "shop")
    web, _ = tenancy.create_source(store, workspace.id, "web", "web")
    app, _ = tenancy.create_source(store, workspace.id, "app", "app")
    collect(store, web, COLLECTED[:2])
    collect(store, app, [{"type": "track", "event": "App Opened", "userId": "u9",
                          "messageId": "app-1"}])
    collect(store, web, COLLECTED[2:])
    catch_up_people(store, workspace.id)  # the gate judges people the projections know
    return workspace, web, app


def lines(path: Path) -> list[bytes]:
    return path.read_bytes().splitlines()


def test_ndjson_export_is_every_stored_payload_in_seq_order(
        store: SqlStore, shop: tuple[Workspace, Source, Source], tmp_path: Path) -> None:
    out = tmp_path / "log.ndjson"
    report = export_events(store, shop[0].id, out, purpose=ESSENTIAL, page_rows=2)

    stored = store.events(shop[0].id)
    assert report.count == 5 and (report.first_seq, report.last_seq) == (stored[0].seq, stored[-1].seq)
    assert lines(out) == [e.record.payload for e in stored]
    assert [orjson.loads(line)["messageId"] for line in lines(out)][:3] == [
        "web-1", stored[1].record.message_id, "app-1"]
    assert not (tmp_path / "log.ndjson.partial").exists()


def test_export_after_a_seq_and_of_one_source(
        store: SqlStore, shop: tuple[Workspace, Source, Source], tmp_path: Path) -> None:
    stored = store.events(shop[0].id)
    later = export_events(store, shop[0].id, tmp_path / "later.ndjson", purpose=ESSENTIAL,
                          after_seq=stored[1].seq)
    assert lines(tmp_path / "later.ndjson") == [e.record.payload for e in stored[2:]]
    assert later.count == 3

    export_events(store, shop[0].id, tmp_path / "app.ndjson", purpose=ESSENTIAL, source_id=shop[2].id)
    assert [orjson.loads(line)["messageId"] for line in lines(tmp_path / "app.ndjson")] == ["app-1"]

    empty = export_events(store, shop[0].id, tmp_path / "none.ndjson", purpose=ESSENTIAL,
                          after_seq=stored[-1].seq)
    assert empty.count == 0 and (tmp_path / "none.ndjson").read_bytes() == b""


def test_parquet_export_has_the_normalised_columns_and_the_payload(
        store: SqlStore, shop: tuple[Workspace, Source, Source], tmp_path: Path) -> None:
    out = tmp_path / "log.parquet"
    export_events(store, shop[0].id, out, purpose=ESSENTIAL)

    table = pq.read_table(out)
    assert tuple(table.schema.names) == PARQUET_COLUMNS
    assert table.schema.field("timestamp").type == pa.timestamp("ms", tz="UTC")
    assert table.schema.field("seq").type == pa.int64()
    rows = table.to_pylist()
    stored = store.events(shop[0].id)
    assert [r["seq"] for r in rows] == [e.seq for e in stored]
    assert [r["payload"] for r in rows] == [e.record.payload.decode() for e in stored]
    first = rows[0]
    assert (first["source_id"], first["message_id"], first["family"], first["type"], first["event"],
            first["user_id"], first["anonymous_id"]) == (
        shop[1].id, "web-1", "tracking", "track", "Order Completed", "u1", None)
    assert first["received_at"] == RECEIVED
    assert rows[1]["anonymous_id"] == "anon-7" and rows[1]["event"] is None
    page = rows[3]
    assert page["timestamp"] == datetime(2024, 3, 1, 11, 0, tzinfo=UTC)


def test_an_ndjson_export_imported_elsewhere_keeps_ids_and_payloads(
        store: SqlStore, shop: tuple[Workspace, Source, Source], tmp_path: Path) -> None:
    out = tmp_path / "shop.ndjson"
    export_events(store, shop[0].id, out, purpose=ESSENTIAL)
    brand = tenancy.create_workspace(store, "brand-b")
    archive, _ = tenancy.create_source(store, brand.id, "archive", "import")

    report = import_file(store, ImportJob(out, brand.id, archive.id, None, LIMITS))

    assert (report.rows_read, report.imported, report.quarantined) == (5, 5, 0)
    before = [orjson.loads(e.record.payload) for e in store.events(shop[0].id)]
    after = [orjson.loads(e.record.payload) for e in store.events(brand.id)]
    assert [a["messageId"] for a in after] == [b["messageId"] for b in before]
    for old, new in zip(before, after, strict=True):
        assert new["receivedAt"] != old["receivedAt"]
        assert list(new) == list(old)  # same fields in the same order
        assert {k: v for k, v in new.items() if k != "receivedAt"} == \
            {k: v for k, v in old.items() if k != "receivedAt"}
    assert import_file(store, ImportJob(out, brand.id, archive.id, None, LIMITS)).imported == 0


def test_export_to_a_missing_folder_fails_cleanly(
        store: SqlStore, shop: tuple[Workspace, Source, Source], tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="Cannot write"):
        export_events(store, shop[0].id, tmp_path / "missing" / "log.ndjson", purpose=ESSENTIAL)
    with pytest.raises(InvalidInput, match=re.escape("pass --format ndjson|parquet")):
        export_events(store, shop[0].id, tmp_path / "log.csv", purpose=ESSENTIAL)


def invoke(database_url: str, tmp_path: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        cli, ["--data-dir", str(tmp_path), "--database-url", database_url, *args])
    return result.exit_code, result.output


def test_export_command_writes_ndjson_and_parquet_and_reimports(
        store: SqlStore, shop: tuple[Workspace, Source, Source], database_url: str,
        tmp_path: Path) -> None:
    code, out = invoke(database_url, tmp_path, "export", "--workspace", "shop", "--purpose", ESSENTIAL,
                       "--out", str(tmp_path / "shop.ndjson"))
    assert code == 0, out
    assert "exported 5 events" in out
    last = store.events(shop[0].id)[-1].seq
    assert re.search(rf"--after\s+{last}", out)

    code, out = invoke(database_url, tmp_path, "export", "--workspace", "shop", "--source", "web",
                       "--purpose", ESSENTIAL, "--out", str(tmp_path / "web.data"), "--format", "parquet")
    assert code == 0, out
    assert pq.read_table(tmp_path / "web.data").num_rows == 4

    brand = tenancy.create_workspace(store, "brand-b")
    tenancy.create_source(store, brand.id, "archive", "import")
    code, out = invoke(database_url, tmp_path, "import", str(tmp_path / "shop.ndjson"),
                       "--source", "brand-b/archive")
    assert code == 0, out
    assert re.search(r"imported\s*│\s*5\b", out)
    assert store.count_events(brand.id) == 5


def test_export_command_needs_a_known_workspace(database_url: str, tmp_path: Path) -> None:
    code, out = invoke(database_url, tmp_path, "export", "--workspace", "nope", "--purpose", ESSENTIAL,
                       "--out", str(tmp_path / "x.ndjson"))
    assert code == 1 and "No workspace 'nope'" in out
    assert not (tmp_path / "x.ndjson").exists()


def test_export_help_lists_the_options() -> None:
    result = CliRunner().invoke(cli, ["export", "--help"])
    assert result.exit_code == 0
    for option in ("--workspace", "--source", "--out", "--format", "--after", "--purpose"):
        assert option in result.output


LISTING = {"event_id": "lst-1", "version": 1, "product_id": "D", "channel": "web", "currency": "EUR",
           "list_price": 80.0, "price": 65.0, "valid_from": "2026-03-01T00:00:00Z",
           "valid_to": "2026-04-01T00:00:00Z"}


def test_stock_and_listing_events_are_exported_for_analytics_and_unknown_people_fail_closed(
        store: SqlStore, tmp_path: Path) -> None:
    """Events about no person (locations, products, stock, listings) are not personal data: the
    consent gate has nothing to decide and they are exported. An event naming a person nobody
    knows (a userId, an order's customer e-mail) still fails closed."""
    cs, ws, shop = sample.setup(store)
    commerce.ingest(cs, ws, shop, "listings", [LISTING], sample.NOW)
    commerce.ingest(cs, ws, shop, "orders", [sample.order(1, "pending", email="zoe@example.com")],
                    sample.NOW)
    web, _ = tenancy.create_source(store, ws, "web", "web")
    collect(store, web, [{"type": "track", "event": "Viewed", "userId": "ghost", "messageId": "g-1"}])

    out = tmp_path / "analytics.ndjson"
    report = export_events(store, ws, out, purpose="analytics")

    exported = [orjson.loads(line)["event_id"] for line in lines(out)]
    assert exported == ["loc-wh", "loc-st", "prd-d", "stk-1", "stk-2", "lst-1"]
    assert report.count == 6 and report.refused == 2
    assert [(r.rule, r.count) for r in report.refusals] == [("fail-closed/unknown-person", 2)]
