"""The people change feed on SQLite and PostgreSQL: a merge, a split and an update each publish
exactly one event naming the right people, in the order they happened, paged by cursor."""

from __future__ import annotations

from typing import Any

import pytest

from frontoffice.errors import InvalidInput
from frontoffice.identity import review_service as identity_review
from frontoffice.identity.rules import person_id_for
from frontoffice.services import identity
from frontoffice.services.identity import IdentityHub
from frontoffice.storage.sql import SqlStore
from tests.integration.identity_support import brand, identify


def _since(store: SqlStore, ws: str, after: int) -> list[dict[str, Any]]:
    return identity_review.changes(store, ws, after, 100)


def _cursor(store: SqlStore, ws: str) -> int:
    rows = _since(store, ws, 0)
    return rows[-1]["id"] if rows else 0


def test_a_merge_a_split_and_an_update_each_publish_exactly_one_event_in_order(store: SqlStore) -> None:
    b = brand(store)
    hub = IdentityHub(store)
    ws = b.workspace_id
    b.send("web", identify("m1", "2026-01-01T10:00:00Z", user="cus_1", email="ann@posteo.de"))
    b.send("pos", identify("m2", "2026-01-01T11:00:00Z", anon="till-2", phone="+491701111111", country="DE"))
    hub.catch_up(ws)
    ann, other = person_id_for(b.rid("web", "m1")), person_id_for(b.rid("pos", "m2"))
    created = _since(store, ws, 0)
    assert sorted((c["type"], c["person_id"]) for c in created) == sorted(
        [("person.updated", ann), ("person.updated", other)])  # one batch: ordered by person id
    start = created[-1]["id"]

    b.send("web", identify("m3", "2026-01-02T10:00:00Z", user="cus_1", phone="+491701111111", country="DE"))
    hub.catch_up(ws)
    [merged] = _since(store, ws, start)
    assert merged["type"] == "person.merged" and merged["person_id"] == ann
    assert merged["payload"]["merged"] == [other] and merged["payload"]["record_count"] == 3
    assert merged["payload"]["evidence"]["rule"] == "shared-identifier"

    b.send("web", identify("m4", "2026-01-03T10:00:00Z", user="cus_1", firstName="Ann"))
    hub.catch_up(ws)
    [updated] = _since(store, ws, merged["id"])
    assert (updated["type"], updated["person_id"], updated["payload"]["record_count"]) == (
        "person.updated", ann, 4)

    identity.split(store, hub, ws, ann, [b.rid("pos", "m2")], "a store customer, not Ann")
    [split] = _since(store, ws, updated["id"])
    assert split["type"] == "person.split" and split["person_id"] == ann
    assert split["payload"]["into"] == [other]
    assert split["payload"]["record_counts"] == {ann: 3, other: 1}
    assert split["payload"]["evidence"]["detail"] == "a store customer, not Ann"

    ids = [c["id"] for c in _since(store, ws, 0)]
    assert ids == sorted(ids) and len(ids) == 5


def test_the_feed_pages_by_cursor_and_keeps_to_its_workspace(store: SqlStore) -> None:
    b, c = brand(store, "acme"), brand(store, "other")
    hub = IdentityHub(store)
    for i in range(5):
        b.send("web", identify(f"m{i}", f"2026-01-01T10:0{i}:00Z", user=f"cus_{i}"))
    c.send("web", identify("x", "2026-01-01T10:00:00Z", user="cus_x"))
    hub.catch_up(b.workspace_id)
    hub.catch_up(c.workspace_id)
    first = identity_review.changes(store, b.workspace_id, 0, 2)
    rest = identity_review.changes(store, b.workspace_id, first[-1]["id"], 100)
    # One batch of the projector: its five new people, each once (ordered by id within the batch).
    assert [r["person_id"] for r in first + rest] == sorted(person_id_for(b.rid("web", f"m{i}"))
                                                            for i in range(5))
    assert identity_review.changes(store, b.workspace_id, rest[-1]["id"], 100) == []
    with pytest.raises(InvalidInput, match="limit must be between 1 and 500"):
        identity_review.changes(store, b.workspace_id, 0, 0)
