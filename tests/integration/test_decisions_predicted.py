"""Predicted traits on a real database: retrained from the workspace's orders, written to
segments with their provenance, read by a segment's condition (in real time and in its batch
SQL alike), and kept when segments evaluates the person again."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from frontoffice.commerce import service as commerce
from frontoffice.decisions.refresh import refresh
from frontoffice.decisions.wiring import wire
from frontoffice.identity import service as identity
from frontoffice.outbound.exports import catch_up_people
from frontoffice.segments import service as segments
from frontoffice.segments.adapters import projector_for
from frontoffice.segments.store import SegmentsStore
from frontoffice.settings import Settings
from frontoffice.storage import open_store
from frontoffice.storage.sql import SqlStore
from frontoffice.tenancy import service as tenancy
from tests.integration.identity_support import Brand, identify
from tests.unit.commerce.sample import setup

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)
REGULARS, LAPSED = range(6), range(6, 12)


@pytest.fixture
def store(database_url: str) -> Iterator[SqlStore]:
    s = open_store(database_url)
    yield s
    s.close()


def orders(n: int, days_ago: range) -> list[dict[str, object]]:
    return [{"event_id": f"o{n}-{d}", "version": 1, "order_id": f"O{n}-{d}", "status": "delivered",
             "channel": "web", "placed_at": (NOW - timedelta(days=d)).isoformat(),
             "currency": "EUR", "total": 60.0, "customer": {"email": f"c{n}@posteo.de"},
             "lines": [{"line_no": 1, "sku": "D-M", "qty": 1, "unit_price": 60.0}]}
            for d in days_ago]


def test_predicted_traits_reach_segments_with_their_provenance_and_survive_evaluation(
        store: SqlStore) -> None:
    cs, ws, src = setup(store)
    web, _ = tenancy.create_source(store, ws, "web", "web")
    Brand(store, ws, {"web": web.id}).send("web", *[
        identify(f"m{n}", "2025-01-01T10:00:00Z", user=f"c{n}", email=f"c{n}@posteo.de")
        for n in (*REGULARS, *LAPSED)])
    for n in REGULARS:  # every 30 days until last week
        commerce.ingest(cs, ws, src, "orders", orders(n, range(5, 300, 30)), NOW)
    for n in LAPSED:  # nothing for 200 days
        commerce.ingest(cs, ws, src, "orders", orders(n, range(210, 301, 30)), NOW)
    catch_up_people(store, ws)
    wired, data = wire(store, Settings()), SegmentsStore(store)
    done = refresh(wired.interactions, data, wired.store, ws, NOW)
    assert done["traits"]["written"] == ["buy_30d", "churn_90d", "buy_30d_dresses"], done
    [version] = wired.store.model_versions(ws, "traits")
    assert version.status == "promoted" and version.metrics["traits"]["buy_30d"]["auc"] == 1.0
    assert wired.store.model_versions(ws, "recs")[0].status == "promoted"

    people = {n: identity.find(store, ws, f"c{n}@posteo.de") for n in (*REGULARS, *LAPSED)}
    regular, lapsed = people[0], people[6]
    facts = data.predicted(ws, [regular, lapsed])
    assert float(facts[regular]["predicted:buy_30d"]) > 0.5 > float(
        facts[lapsed]["predicted:buy_30d"])
    [shown] = [v for v in data.values(ws, regular) if v["trait"] == "predicted:buy_30d"]
    assert shown["explain"] == {"predicted": "traits:v1", "at": "2026-03-01T12:00:00.000Z"}

    segments.define_segment(data, ws, {"name": "likely", "condition": {
        "predicted": "buy_30d", "op": "gte", "value": 0.5}}, NOW.isoformat())
    projector = projector_for(store, NOW.timestamp)
    projector.catch_up(ws)
    likely = {people[n] for n in REGULARS}
    assert {m["person_id"] for m in data.members(ws, "likely", 100)} == likely
    assert set(segments.batch(data, ws, int(NOW.timestamp() * 1000))["likely"]) == likely
    data.touch_all(ws, "a definition changed")  # everyone evaluated again
    projector.catch_up(ws)
    assert {m["person_id"] for m in data.members(ws, "likely", 100)} == likely
    assert data.predicted(ws, [regular]) == {regular: facts[regular]}
