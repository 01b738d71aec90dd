"""The probabilistic tier in the live graph, on SQLite and PostgreSQL: micro-batch merges with
their weight, the grey zone in the review queue, accept and reject remembered across rebuilds."""

from __future__ import annotations

import orjson
import pytest

from frontoffice.errors import AlreadyExists
from frontoffice.identity import review_service as identity_review
from frontoffice.identity.live_match import MatchConfig
from frontoffice.identity.rules import person_id_for
from frontoffice.services import identity
from frontoffice.services.identity import IdentityHub
from frontoffice.storage.identity_review_sql import ReviewSql
from frontoffice.storage.identity_sql import IdentitySql
from frontoffice.storage.sql import SqlStore
from tests.integration.identity_review_support import LENA_POS, receipt, review_brand
from tests.integration.identity_support import Brand, identify


@pytest.fixture
def matched(store: SqlStore) -> tuple[Brand, IdentityHub]:
    b = review_brand(store)
    hub = IdentityHub(store)
    report = hub.match(b.workspace_id)
    assert (report.candidates, report.merged, report.queued) == (2, 1, 1), report
    return b, hub


def _person(store: SqlStore, b: Brand, source: str, mid: str) -> str:
    return IdentitySql(store).persons_of(b.workspace_id, [b.rid(source, mid)])[b.rid(source, mid)]


def test_a_store_receipt_joins_the_web_profile_with_its_match_weight_in_the_reason(
        store: SqlStore, matched: tuple[Brand, IdentityHub]) -> None:
    b, _ = matched
    web = person_id_for(b.rid("web", "w-ivanov"))
    assert _person(store, b, "pos", "R-ivanov") == web
    [merge] = [h for h in identity.history(store, b.workspace_id, web) if h["kind"] == "merged"]
    assert merge["evidence"]["rule"] == "probabilistic"
    weight = merge["evidence"]["weight"]
    assert weight >= 16
    assert merge["evidence"]["detail"].startswith(f"match weight {weight:.1f} from ")
    assert "birth date (exact)" in merge["evidence"]["detail"]
    assert "auto-merge at match weight >= 16" in merge["evidence"]["detail"]


def test_twins_land_in_the_review_queue_with_both_sides_and_the_explanation(
        store: SqlStore, matched: tuple[Brand, IdentityHub]) -> None:
    b, _ = matched
    [item] = identity_review.review_items(store, b.workspace_id)
    assert set(item["records"]) == {b.rid("web", "w-anna"), b.rid("pos", "R-lena")}
    assert {s["given_name"] for s in item["sides"]} == {"Anna", "Lena"}
    assert {s["birth_date"] for s in item["sides"]} == {"2001-04-04"}
    assert "given name (different)" in item["explanation"]
    assert "not merged automatically: given name differ" in item["explanation"]
    assert _person(store, b, "pos", "R-lena") != _person(store, b, "web", "w-anna")


def test_a_second_run_scores_only_new_records_and_queues_nothing_twice(
        store: SqlStore, matched: tuple[Brand, IdentityHub]) -> None:
    b, hub = matched
    assert hub.match(b.workspace_id).candidates == 0
    again = hub.match(b.workspace_id, rescore_all=True)
    assert again.candidates == 2 and again.queued == 0
    assert ReviewSql(store).count(b.workspace_id) == 1


def test_accepting_merges_the_two_people_and_says_who_accepted(
        store: SqlStore, matched: tuple[Brand, IdentityHub]) -> None:
    b, hub = matched
    [item] = identity_review.review_items(store, b.workspace_id)
    decided = identity_review.decide(store, hub, b.workspace_id, item["id"], True, "user kim")
    anna = person_id_for(b.rid("web", "w-anna"))
    assert decided["status"] == "accepted" and decided["current_person_ids"] == [anna, anna]
    [merge] = [h for h in identity.history(store, b.workspace_id, anna) if h["kind"] == "merged"]
    assert merge["evidence"]["detail"].startswith(
        f"accepted by user kim from review {item['id']}, match weight {item['match_weight']:.1f} from ")
    with pytest.raises(AlreadyExists, match="already accepted by user kim"):
        identity_review.decide(store, hub, b.workspace_id, item["id"], False, "user lee")
    hub.rebuild(b.workspace_id)  # the decision is in the log
    assert _person(store, b, "pos", "R-lena") == anna


def test_a_rejected_pair_never_merges_automatically_not_even_on_a_shared_identifier_nor_after_rebuild(
        store: SqlStore, matched: tuple[Brand, IdentityHub]) -> None:
    b, hub = matched
    [item] = identity_review.review_items(store, b.workspace_id)
    identity_review.decide(store, hub, b.workspace_id, item["id"], False, "user kim", "twins")
    anna = person_id_for(b.rid("web", "w-anna"))
    hub = IdentityHub(store)  # another process: the reject is replayed from the log on warm start
    # Deterministic tier: Anna logs in with Lena's loyalty card; the records would join through it.
    b.send("web", identify("w-anna-card", "2026-03-01T09:00:00Z", user="cus_anna", loyaltyId="L-200",
                           firstName="Anna", lastName="Schmidt"))
    # Probabilistic tier: another receipt of Lena's (another card) joins Lena, and is not queued
    # with Anna again.
    b.send("pos", receipt("R-lena-2", "2026-03-02T09:00:00Z", {**LENA_POS, "loyaltyId": "L-201"}))
    report = hub.match(b.workspace_id)
    assert report.merged == 1 and report.queued == 0
    for rebuilt in (False, True):
        if rebuilt:
            hub.rebuild(b.workspace_id)
            again = hub.match(b.workspace_id, rescore_all=True)
            assert (again.merged, again.queued) == (0, 0)
        assert _person(store, b, "web", "w-anna") == _person(store, b, "web", "w-anna-card") == anna
        assert _person(store, b, "pos", "R-lena") == _person(store, b, "pos", "R-lena-2") != anna
    blocked = [h for h in identity.history(store, b.workspace_id, anna) if h["kind"] == "conflict"]
    assert any("a person decided these records are not the same person" in h["evidence"]["detail"]
               for h in blocked)
    [rejected] = identity_review.review_items(store, b.workspace_id, "rejected")
    assert rejected["decided_by"] == "user kim"


def test_decisions_are_events_of_the_log_in_the_identity_family(
        store: SqlStore, matched: tuple[Brand, IdentityHub]) -> None:
    b, hub = matched
    [item] = identity_review.review_items(store, b.workspace_id)
    identity_review.decide(store, hub, b.workspace_id, item["id"], False, "user kim")
    events = [e.record for e in store.events(b.workspace_id, limit=100) if e.record.family == "identity"]
    assert [e.type for e in events] == ["identity.match", "identity.reject"]
    assert orjson.loads(events[1].payload)["review_id"] == item["id"]


def test_the_worker_matches_once_the_log_is_quiet_and_enough_records_arrived(store: SqlStore) -> None:
    b = review_brand(store)
    hub = IdentityHub(store, MatchConfig(batch_records=4, interval_seconds=3600))
    assert hub.follow(b.workspace_id).events == 4  # the log was busy: resolve only
    assert ReviewSql(store).count(b.workspace_id) == 0
    assert hub.follow(b.workspace_id).events == 0  # quiet, 4 new records: a micro-batch
    assert ReviewSql(store).count(b.workspace_id) == 1
    assert _person(store, b, "pos", "R-ivanov") == person_id_for(b.rid("web", "w-ivanov"))
    b.send("pos", receipt("R-lena-2", "2026-03-02T09:00:00Z", {**LENA_POS, "loyaltyId": "L-201"}))
    hub.follow(b.workspace_id)
    hub.follow(b.workspace_id)  # one new record, the interval has not passed: not yet
    assert _person(store, b, "pos", "R-lena-2") == person_id_for(b.rid("pos", "R-lena-2"))
