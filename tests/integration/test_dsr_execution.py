"""Executing verified DSRs on SQLite and PostgreSQL: the access report's content and escaping, a
rectification the golden record shows, restriction and objection refused by the one policy check,
and erasure through the privacy module."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from frontoffice.commerce import service as commerce
from frontoffice.commerce.projector import catch_up as commerce_catch_up
from frontoffice.commerce.store import CommerceStore
from frontoffice.dsr import service
from frontoffice.dsr.execute import DSR_SOURCE
from frontoffice.dsr.model import WrongState
from frontoffice.services import consent, identity, tenancy
from tests.integration.test_dsr_world import NOW, World, dsr_db, identify, store, world
from tests.unit.commerce import sample

__all__ = ["dsr_db", "store", "world"]

XSS = "<script>alert('x')</script>"


def ann(w: World, **extra: Any) -> None:
    w.send("accounts", identify("a1", user="ann", email="ann@mailbox.org", emailVerified=True,
                                phone="+49 151 23456789", firstName="Ann", lastName="Meier",
                                address={"country": "DE", "city": "Köln"}, **extra))
    w.send("web", {"type": "track", "event": XSS, "messageId": "a2", "userId": "ann",
                   "timestamp": "2026-10-02T10:00:00Z", "properties": {"note": XSS}})
    consent.record(w.store, w.hubs.consent, w.ws, consent.Capture("user_id:ann", {"marketing_email": True}),
                   NOW)


def shop_order(w: World, email: str) -> None:
    """The sample catalogue and one confirmed order of ``email``, projected."""
    shop, _ = tenancy.create_source(w.store, w.ws, "shop", "commerce")
    cs = CommerceStore(w.store)
    for kind, items in (("locations", sample.LOCATIONS), ("products", sample.PRODUCTS),
                        ("inventory", sample.STOCK)):
        commerce.ingest(cs, w.ws, shop.id, kind, items, sample.NOW)
    placed = sample.order(1, "confirmed", order_id="O-ANN", email=email)
    commerce.ingest(cs, w.ws, shop.id, "orders", [placed], sample.NOW)
    commerce_catch_up(cs, w.ws)


def test_the_access_report_holds_identifiers_traits_consent_and_events_and_escapes_html(world: World) -> None:
    ann(world)
    shop_order(world, "ann@mailbox.org")
    request_id = world.verified("access", "email", "ann@mailbox.org")
    done = world.execute(request_id)
    assert done.status.value == "completed" and done.outcome and done.outcome["artefacts"] == ["json", "html"]
    doc = orjson.loads(service.download(world.store, world.ws, request_id, "json", actor="dpo", now=NOW))
    assert {"kind": "email", "value": "ann@mailbox.org"} in doc["identifiers"]
    assert {"kind": "user_id", "value": "ann"} in doc["identifiers"]
    assert doc["profile"]["traits"]["lastName"]["value"] == "Meier"
    assert doc["profile"]["traits"]["lastName"]["source_id"] == world.brand.sources["accounts"]  # provenance
    assert doc["sources"][world.brand.sources["accounts"]] == {"name": "accounts", "channel": "web"}
    assert [e["event"] for e in doc["events"]] == [None, XSS]
    [subject] = [s for s in doc["consent"] if s["subject"] == "user_id:ann"]
    assert [(c["purpose"], c["status"]) for c in subject["history"]] == [("marketing_email", "granted")]
    assert [o["order_id"] for o in doc["commerce"]["orders"]] == ["O-ANN"]
    assert doc["commerce"]["traits"]["order_count"] == 1
    page = service.download(world.store, world.ws, request_id, "html", actor="dpo", now=NOW).decode()
    assert XSS not in page and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "ann@mailbox.org" in page and "Köln" in page and "<td>accounts (web)</td>" in page
    assert "<script" not in page and "default-src 'none'" in page


def test_a_rectification_wins_in_the_golden_record(world: World) -> None:
    ann(world)
    world.send("app", identify("a3", "2026-10-05T10:00:00Z", user="ann", lastName="Meyer"))
    request_id = world.verified("rectification", "email", "ann@mailbox.org",
                                {"traits": {"lastName": "Maier-Schmidt", "address": {"city": "Bonn"}}})
    done = world.execute(request_id)
    assert done.outcome and done.outcome["corrected"] == ["address", "lastName"]
    assert done.details == {}  # the corrected values live in the log, not in the request
    pid = identity.find(world.store, world.ws, "email:ann@mailbox.org")
    traits = identity.profile(world.store, world.ws, pid)["traits"]
    assert traits["lastName"]["value"] == "Maier-Schmidt"
    assert traits["address"]["value"] == {"city": "Bonn"}
    dsr_source = world.store.source(world.ws, DSR_SOURCE)
    assert dsr_source is not None and traits["lastName"]["source_id"] == dsr_source.id
    # the correction is an event of the log: a rebuild gives the same golden record
    world.hubs.identity.rebuild(world.ws)
    pid = identity.find(world.store, world.ws, "email:ann@mailbox.org")
    again = identity.profile(world.store, world.ws, pid)
    assert again["traits"]["lastName"]["value"] == "Maier-Schmidt"


def test_restriction_leaves_only_essential_purposes_and_names_the_request(world: World) -> None:
    ann(world)
    before = consent.check(world.store, world.ws, "user_id:ann", "marketing_email", "email", NOW).decision
    assert before.allowed
    request_id = world.verified("restriction", "email", "ann@mailbox.org")
    world.execute(request_id)
    for subject in ("user_id:ann", "email:ann@mailbox.org"):
        for purpose, channel in (("marketing_email", "email"), ("analytics", "web"),
                                 ("profiling", "decision")):
            decision = consent.check(world.store, world.ws, subject, purpose, channel, NOW).decision
            assert not decision.allowed, (subject, purpose)
            assert request_id in decision.reason and "restriction" in decision.reason
    assert consent.check(world.store, world.ws, "user_id:ann", "essential", "web", NOW).decision.allowed
    view = consent.subject_consent(world.store, world.ws, "user_id:ann")
    current = view.state.current["marketing_email"]
    assert (current.method, current.source) == ("dsr_restriction", f"dsr:{request_id}")


def test_objection_denies_the_objected_purposes_only(world: World) -> None:
    ann(world, region="US-CA")
    request_id = world.verified("objection", "email", "ann@mailbox.org")
    world.execute(request_id)
    denied = consent.check(world.store, world.ws, "user_id:ann", "sale_or_sharing", "export", NOW).decision
    assert not denied.allowed and request_id in denied.reason and "objection" in denied.reason
    profiling = consent.check(world.store, world.ws, "user_id:ann", "profiling", "decision", NOW)
    assert not profiling.decision.allowed
    analytics = consent.check(world.store, world.ws, "user_id:ann", "analytics", "web", NOW).decision
    assert analytics.allowed  # not objected to: US-CA needs no consent for first-party analytics


def test_an_unverified_request_cannot_be_executed(world: World) -> None:
    ann(world)
    opened = world.open("erasure", "email", "ann@mailbox.org")
    with pytest.raises(WrongState, match="only a verified request"):
        world.execute(opened.request.id)
    assert identity.lookup(world.store, world.ws, "email", "ann@mailbox.org")


def test_a_rectification_of_a_person_without_login_is_tied_through_their_email(world: World) -> None:
    world.send("accounts", identify("g1", anon="device-9", email="gus@mailbox.org", emailVerified=True,
                               firstName="Gus"))
    request_id = world.verified("rectification", "email", "gus@mailbox.org",
                                {"traits": {"firstName": "Gustav"}})
    world.execute(request_id)
    [pid] = identity.lookup(world.store, world.ws, "email", "gus@mailbox.org")
    profile = identity.profile(world.store, world.ws, pid)
    assert profile["traits"]["firstName"]["value"] == "Gustav" and profile["record_count"] == 2
