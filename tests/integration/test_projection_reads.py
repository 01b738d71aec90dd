"""Projections read only the families they project, on SQLite and PostgreSQL: the others are
never handed to them, their checkpoints pass them, and every event they read is still applied
when the runner skips them on passes of other families."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest

from frontoffice import worker
from frontoffice.bootstrap import Container, Role, bootstrap
from frontoffice.commerce import service as commerce
from frontoffice.commerce.records import record
from frontoffice.commerce.store import CommerceStore
from frontoffice.consent import service as consent
from frontoffice.consent.service import ConsentHub
from frontoffice.consent.store import ConsentStore
from frontoffice.decisions.outcome_events import OutcomeHub
from frontoffice.decisions.store import DecisionsStore
from frontoffice.domain.events import EventRecord, Limits, StoredEvent, iso, normalise
from frontoffice.identity.hub import IdentityHub
from frontoffice.projection.runner import Runner
from frontoffice.segments import service as segments
from frontoffice.segments.adapters import projector_for
from frontoffice.segments.store import SegmentsStore
from frontoffice.settings import Settings
from frontoffice.storage.port import AppendBatch
from frontoffice.storage.sql import SqlStore
from frontoffice.tenancy import service as tenancy
from tests.integration.segments_support import new_world

NOW = datetime(2026, 11, 1, tzinfo=UTC)
PRODUCT = {"event_id": "prd-d", "version": 1, "product_id": "D", "name": "Wrap Dress",
           "category": "dresses", "supplier_ids": ["S1"], "variants": [{"sku": "D-M", "size": "M"}]}


def tracked(source: str, n: int, **item: Any) -> EventRecord:
    found = normalise({"userId": "ann", "messageId": f"t{n}", "timestamp": iso(NOW), **item}, index=0,
                      batch={}, forced_type=None, source_id=source, received_at=NOW,
                      limits=Limits(32_000, 32))
    assert isinstance(found, EventRecord), found
    return found


def order(order_id: str) -> dict[str, Any]:
    return {"event_id": f"{order_id}-v1", "version": 1, "order_id": order_id, "status": "confirmed",
            "channel": "web", "placed_at": iso(NOW), "currency": "EUR", "total": 40.0,
            "customer": {"email": "ann@example.com", "user_id": "ann"},
            "lines": [{"line_no": 1, "sku": "D-M", "qty": 1, "unit_price": 40.0}]}


class Handed:
    """The store's log, remembering every event it hands out."""

    def __init__(self, store: SqlStore) -> None:
        self.store, self.handed = store, list[StoredEvent]()

    def events(self, workspace_id: str, *, after_seq: int = 0, limit: int = 1000,
               source_id: str | None = None, families: Collection[str] | None = None,
               types: Collection[str] | None = None, upto: int | None = None) -> list[StoredEvent]:
        found = self.store.events(workspace_id, after_seq=after_seq, limit=limit, source_id=source_id,
                                  families=families, types=types, upto=upto)
        self.handed += found
        return found

    def last_seq(self, workspace_id: str) -> int:
        return self.store.last_seq(workspace_id)


def test_outcomes_are_handed_only_tracked_events_and_their_checkpoint_passes_the_rest(
        store: SqlStore) -> None:
    ws = tenancy.create_workspace(store, "reads-outcomes", "EU").id
    web = tenancy.create_source(store, ws, "web", "web")[0].id
    store.append([AppendBatch(ws, "shop", [record("o1", "order.confirmed", {"order_id": "O1"}, NOW)]),
                  AppendBatch(ws, web, [tracked(web, 1, type="track", event="Product Clicked",
                                                properties={"decision_id": "dec_1"})]),
                  AppendBatch(ws, "shop", [record("o2", "order.confirmed", {"order_id": "O2"}, NOW)])])
    log, tables = Handed(store), DecisionsStore(store)
    OutcomeHub(log, tables, 30, lambda: NOW).catch_up(ws)
    assert [e.record.type for e in log.handed] == ["track"]
    assert tables.cursor(ws) == store.last_seq(ws)
    OutcomeHub(log, tables, 30, lambda: NOW).catch_up(ws)
    assert len(log.handed) == 1, "nothing is read again"


def test_consent_is_handed_only_consent_and_tracking_events_and_its_checkpoint_passes_the_rest(
        store: SqlStore) -> None:
    ws = tenancy.create_workspace(store, "reads-consent", "EU").id
    web = tenancy.create_source(store, ws, "web", "web")[0].id
    consented = {"consent": {"categoryPreferences": {"Advertising": True}}}
    store.append([AppendBatch(ws, "shop", [record("o1", "order.confirmed", {"order_id": "O1"}, NOW)]),
                  AppendBatch(ws, web, [tracked(web, 1, type="track", event="Signed Up", context=consented)]),
                  AppendBatch(ws, "shop", [record("o2", "order.confirmed", {"order_id": "O2"}, NOW)])])
    log, ledger = Handed(store), ConsentStore(store)
    ConsentHub(log, ledger).catch_up(ws)
    assert [e.record.family for e in log.handed] == ["tracking"]
    assert ledger.checkpoint(ws) == store.last_seq(ws)
    assert consent.subject_consent(store, ws, "user_id:ann").state.current, "the tracked consent applied"


@pytest.fixture
def container(database_url: str, tmp_path: Path) -> Iterator[Container]:
    settings = Settings.load({}, overrides={"database_url": database_url, "data_dir": tmp_path,
                                            "identity_match_interval_seconds": 0})
    made = bootstrap(settings, Role.CLI)
    yield made
    made.close()


def test_each_capability_applies_every_event_it_reads_when_the_runner_skips_it_on_other_passes(
        store: SqlStore, container: Container) -> None:
    ws = tenancy.create_workspace(store, "reads-runner", "EU").id
    web = tenancy.create_source(store, ws, "web", "web")[0].id
    shop = tenancy.create_source(store, ws, "shop", "commerce")[0].id
    data = SegmentsStore(store)
    dresses = {"commerce": "bought_category", "value": "dresses"}
    segments.define_segment(data, ws, {"name": "ordered", "condition": dresses}, iso(NOW))
    segments.define_segment(data, ws, {"name": "clicked", "condition": {"did": "Product Clicked"}}, iso(NOW))
    cs = CommerceStore(store)
    commerce.ingest(cs, ws, shop, "products", [PRODUCT], NOW)
    runner = Runner([(store, worker.projections(container.hubs, store))], lambda _: store, lambda: [ws],
                    lambda _: True, lambda: None)
    runner.run_workspace(ws, lambda _: None)  # at start: every projection
    passes: list[set[str] | None] = []

    def run_pass() -> None:
        for moved, families in runner.moved().items():
            passes.append(families)
            runner.run_workspace(moved, lambda _: None, families)

    ann_email = {"email": "ann@example.com"}
    store.append([AppendBatch(ws, web, [tracked(web, 1, type="identify", traits=ann_email)])])
    run_pass()
    commerce.ingest(cs, ws, shop, "orders", [order("O1")], NOW)
    run_pass()
    store.append([AppendBatch(ws, web, [tracked(web, 2, type="track", event="Product Clicked")])])
    run_pass()
    store.append([AppendBatch(ws, "insights", [EventRecord(
        "i1", "insights", "insight.flagged", None, None, None, None, None, iso(NOW), None, None, iso(NOW),
        orjson.dumps({"flag_id": "f1", "metric": "orders", "dimension": "channel", "slice": "web",
                      "raised_at": iso(NOW)}))])])
    run_pass()
    assert passes == [{"tracking"}, {"commerce"}, {"tracking"}, {"insights"}]
    assert [e.entity_id for e in cs.entities(ws, "order")] == ["O1"]
    [ann] = {m["person_id"] for m in data.members(ws, "clicked", 10)}
    assert {m["person_id"] for m in data.members(ws, "ordered", 10)} == {ann}
    assert data.cursor(ws) == store.last_seq(ws), "segments passed the insight without reading it"
    before = [(e.entity_id, e.doc) for e in cs.entities(ws, "order")]
    worker.rebuild(container.hubs, store, ws, only=("commerce", "segments"))
    assert [(e.entity_id, e.doc) for e in cs.entities(ws, "order")] == before
    assert {m["person_id"] for m in data.members(ws, "ordered", 10)} == {ann}


def test_segments_never_pass_an_event_identity_has_not_placed_yet(store: SqlStore) -> None:
    world = new_world(store)
    world.segment("probed", {"did": "Probe"})
    world.track("ann", "Probe", 0)
    projector = projector_for(store, lambda: world.clock[0])
    projector.catch_up(world.ws)  # the worker's identity pass ended just before the event came
    IdentityHub(store).catch_up(world.ws)
    projector.catch_up(world.ws)
    assert world.members("probed") == {world.person("ann")}
