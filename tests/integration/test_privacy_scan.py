"""After an erasure, no file of the database holds the person's e-mail, phone or name.

Two people identify (e-mail, phone, name), track, order and give consent, and one bad input of
Ann's is quarantined; the identity, consent and commerce projections run (and ANALYZE, as
autovacuum would); the log is exported; Ann is erased; the log is exported again.
Then every byte of every database file is scanned: the SQLite data dir (main file, -wal, -shm,
journals) or the whole data directory of a PostgreSQL cluster started for this test (heap,
indexes, TOAST, statistics, WAL), plus the new export. Before the erasure the same scan finds
Ann everywhere (the test can fail); after it, nowhere — while Bo is still there and readable.
PostgreSQL and SQLite store text as UTF-8, so the UTF-8 bytes are what is searched.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest

from frontoffice.bulk.exporter import export_events
from frontoffice.commerce import service as commerce
from frontoffice.commerce.projector import catch_up as commerce_catch_up
from frontoffice.consent import service as consent
from frontoffice.domain.events import Rejection
from frontoffice.identity import service as identity
from frontoffice.identity.hub import IdentityHub
from frontoffice.identity.people_store import PeopleSql
from frontoffice.privacy.erasure import erase_person
from frontoffice.storage import open_store
from frontoffice.storage.port import AppendBatch
from frontoffice.storage.sql import SqlStore
from frontoffice.tenancy import service as tenancy
from frontoffice.vault.keys import generate_master_key
from tests.integration.identity_support import Brand, identify
from tests.support.pg import ROOT
from tests.unit.commerce.sample import NOW, order, setup

ANN = {"email": "annegret.zwirbel@posteo.de", "phone": "+49 151 40371958", "firstName": "Annegret",
       "lastName": "Zwirbelmeier"}
BO = {"email": "bodil.keeperson@web.de", "phone": "+49 160 5550123", "firstName": "Bodil",
      "lastName": "Keeperson"}
# How each value could sit in a file: as sent, and as the projections normalise it.
ANN_NEEDLES = ("annegret.zwirbel@posteo.de", "+49 151 40371958", "+4915140371958", "40371958",
               "Annegret", "annegret", "Zwirbelmeier", "zwirbelmeier", "cus_ann_4711", "anon-ann-93")
BO_NEEDLES = ("bodil.keeperson@web.de", "Keeperson")


@dataclass
class Target:
    url: str
    folder: Path  # every file under it is scanned


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def target(request: pytest.FixtureRequest, tmp_path: Path,
           monkeypatch: pytest.MonkeyPatch) -> Iterator[Target]:
    if request.param == "sqlite":
        yield Target(f"sqlite:///{tmp_path / 'data' / 'frontoffice.db'}", tmp_path / "data")
        return
    # A cluster of our own: its whole data directory can be scanned, and it runs with the
    # setting the procedure needs (wal_recycle=off: old WAL segments are unlinked, not reused).
    monkeypatch.setenv("FRONTOFFICE_MASTER_KEY", generate_master_key())
    # Under /tmp itself: the server runs as `postgres`, which cannot enter pytest's 0700 tmp_path.
    folder = Path(tempfile.mkdtemp(prefix="frontoffice-pg-scan-"))
    script = str(ROOT / "scripts" / "pg_test_server")
    env = {**os.environ, "PG_TEST_SERVER_OPTS": "-c wal_recycle=off -c max_connections=30",
           "PG_TEST_SERVER_DURABLE": "1"}  # full-page images in the WAL, as in production
    started = subprocess.run([script, "start", str(folder)], capture_output=True, text=True,
                             check=False, env=env)
    assert started.returncode == 0, started.stderr
    try:
        yield Target(started.stdout.strip(), folder / "data")
    finally:
        subprocess.run([script, "stop", str(folder)], check=False)


def found(folder: Path, needles: tuple[str, ...], *extra: Path) -> dict[str, list[str]]:
    """needle -> files holding its UTF-8 bytes (case-sensitive: needles list both cases)."""
    files = [p for p in folder.rglob("*") if p.is_file()] + list(extra)
    hits: dict[str, list[str]] = {}
    for path in files:
        try:
            data = path.read_bytes()
        except PermissionError:  # pragma: no cover - the scan must see everything
            pytest.fail(f"cannot read {path}")
        for needle in needles:
            if needle.encode() in data:
                hits.setdefault(needle, []).append(str(path.relative_to(path.anchor)))
    return hits


def populate(store: SqlStore) -> str:
    """Ann and Bo in every capability; returns the workspace id."""
    cs, ws, shop = setup(store)
    web, _ = tenancy.create_source(store, ws, "web", "web")
    brand = Brand(store, ws, {"web": web.id})
    brand.send("web",
               identify("a1", "2026-01-01T10:00:00Z", user="cus_ann_4711", anon="anon-ann-93", **ANN),
               {"type": "track", "messageId": "a2", "timestamp": "2026-01-01T10:05:00Z",
                "userId": "cus_ann_4711", "event": "Product Viewed", "properties": {"sku": "D-M"}},
               {"type": "page", "messageId": "a3", "timestamp": "2026-01-01T09:55:00Z",
                "anonymousId": "anon-ann-93", "name": "Home", "context": {"traits": {"email": ANN["email"]}}},
               identify("b1", "2026-01-02T10:00:00Z", user="cus_bo_1", **BO))
    bad = orjson.dumps({"type": "identify", "userId": "cus_ann_4711", "traits": {"email": ANN["email"]},
                        "timestamp": "not a time"})
    store.append([AppendBatch(ws, web.id, [], [Rejection(0, "a4", "timestamp is not a date-time", bad)])])
    commerce.ingest(cs, ws, shop, "orders", [
        {**order(1, "confirmed", order_id="O-ANN"),
         "customer": {"email": ANN["email"], "phone": ANN["phone"]}},
        {**order(1, "confirmed", order_id="O-BO"), "customer": {"email": BO["email"]}}], NOW)
    hub = consent.ConsentHub.of(store)
    for person in (ANN, BO):
        consent.record(store, hub, ws, consent.Capture(f"email:{person['email']}",
                                                       {"marketing_email": True}), NOW)
    IdentityHub(store).catch_up(ws)
    hub.catch_up(ws)
    commerce_catch_up(cs, ws)
    # As autovacuum would on real tables: the planner statistics now quote column values
    # (histogram bounds, most-common values) in pg_statistic, which the scrub must also clear.
    store.maintenance("ANALYZE")
    return ws


def test_an_erased_person_is_nowhere_in_the_database_files_or_later_exports(
        target: Target, tmp_path: Path) -> None:
    store = open_store(target.url)
    store.upgrade()
    try:
        ws = populate(store)
        export_events(store, ws, tmp_path / "before.ndjson", purpose="analytics")
        before = found(target.folder, ANN_NEEDLES)
        assert set(before) >= {"annegret.zwirbel@posteo.de", "Zwirbelmeier", "Annegret"}, before

        [ann] = identity.lookup(store, ws, "email", ANN["email"])
        report = erase_person(store, ws, ann, people=PeopleSql(store), reason="test: art. 17",
                              requested_by="test", now=datetime.now(UTC))
        after_export = tmp_path / "after.ndjson"
        export_events(store, ws, after_export, purpose="analytics")

        assert found(target.folder, ANN_NEEDLES, after_export) == {}
        assert report.subjects_shredded >= 3 and report.events_shredded >= 5
        assert report.warnings == ()  # the cluster runs with wal_recycle=off
        assert report.rows_purged["quarantine"] == 1 and store.count_quarantine(ws) == 0
        assert report.rows_purged["identity_persons"] == 1 and report.rows_purged["commerce_entities"] == 1

        # Bo is untouched: in the files, and readable through the store and the projections.
        assert set(found(target.folder, BO_NEEDLES)) == set(BO_NEEDLES)
        payloads = [orjson.loads(e.record.payload) for e in store.events(ws)]
        assert any(p.get("traits", {}).get("email") == BO["email"] for p in payloads)
        assert identity.lookup(store, ws, "email", BO["email"])
        assert identity.lookup(store, ws, "email", ANN["email"]) == []
        assert consent.subject_consent(store, ws, f"email:{BO['email']}").known
        erased = [e for e in store.events(ws) if e.record.family == "erased"]
        assert {e.record.message_id for e in erased} >= {"a1", "a2", "a3"}
    finally:
        store.close()
    assert found(target.folder, ANN_NEEDLES) == {}  # and after the store closed its files
