"""The consent gate on every outbound path, for an opt-in region (EU) and an opt-out region (US-CA, with a
GPC opt-out), on SQLite and PostgreSQL: exports (event log and people), decisions, messages, and the
fail-closed cases (unknown purpose, missing pack, consent store error, unknown person).

The people of the world:
  eu-yes   Germany, granted analytics, marketing_email and sale_or_sharing (explicitly)
  eu-no    Germany, never asked
  ca-ok    California, never opted out
  ca-gpc   California, browser sent GPC (binding for sale_or_sharing and targeted_advertising)
  ghost    no region evidence at all → the strictest pack
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest

from frontoffice.bulk.exporter import export_events
from frontoffice.consent import service as consent
from frontoffice.domain.events import EventRecord, Limits, normalise
from frontoffice.identity import service as identity
from frontoffice.identity.hub import IdentityHub
from frontoffice.outbound import service
from frontoffice.outbound.exports import catch_up_people, export_people
from frontoffice.outbound.store import OutboundStore, gate_for, sql_ports
from frontoffice.settings import Settings
from frontoffice.storage import open_store
from frontoffice.storage.port import AppendBatch
from frontoffice.storage.sql import SqlStore
from frontoffice.tenancy import service as tenancy
from tests.integration.test_consent_ledger import consent_db

__all__ = ["consent_db"]
NOW = datetime.now(UTC)
RECEIVED = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
LIMITS = Limits(Settings().max_event_bytes, Settings().max_json_depth)
_names = itertools.count(1)
DE = {"address": {"country": "DE"}}
CA = {"address": {"country": "US", "state": "CA"}}
PEOPLE: dict[str, dict[str, Any]] = {
    "eu-yes": {**DE, "email": "eu.yes@posteo-shop.de", "phone": "+4915112345678"},
    "eu-no": {**DE, "email": "eu.no@posteo-shop.de"},
    "ca-ok": {**CA, "email": "ca.ok@mailbox-ca.com"},
    "ca-gpc": {**CA, "email": "ca.gpc@mailbox-ca.com"},
    "ghost": {},
}


@dataclass
class World:
    store: SqlStore
    ws: str
    source_id: str
    people: dict[str, str]  # user id → person id
    name: str = ""

    def append(self, events: list[dict[str, Any]]) -> None:
        records = []
        for index, item in enumerate(events):
            result = normalise(item, index=index, batch={}, forced_type=None, source_id=self.source_id,
                               received_at=RECEIVED, limits=LIMITS)
            assert isinstance(result, EventRecord), result
            records.append(result)
        self.store.append([AppendBatch(self.ws, self.source_id, records)])

    def user_of(self, event_payload: dict[str, Any]) -> str:
        return str(event_payload.get("userId") or event_payload.get("subject", "").partition(":")[2])


def activity(user: str, n: int) -> dict[str, Any]:
    return {"type": "track", "event": "Product Viewed", "userId": user, "messageId": f"{user}-view-{n}",
            "properties": {"sku": f"SKU-{n}"}, "timestamp": f"2026-03-0{n}T10:00:00Z"}


def populate(world: World, people: dict[str, dict[str, Any]] = PEOPLE) -> None:
    events: list[dict[str, Any]] = []
    for user, traits in people.items():
        identify: dict[str, Any] = {"type": "identify", "userId": user, "traits": traits,
                                    "messageId": f"{user}-id", "timestamp": "2026-02-01T10:00:00Z"}
        if user == "ca-gpc":
            identify["context"] = {"gpc": True}
        events += [identify, activity(user, 1), activity(user, 2)]
    world.append(events)
    hub = consent.ConsentHub.of(world.store)
    hub.catch_up(world.ws)
    consent.record(world.store, hub, world.ws, consent.Capture(
        subject="user_id:eu-yes", explicit=True, at=datetime(2026, 2, 2, tzinfo=UTC),
        purposes={"analytics": "granted", "marketing_email": "granted", "sale_or_sharing": "granted"}), NOW)
    catch_up_people(world.store, world.ws)
    rows = world.store.query("SELECT kind, value, person_id FROM identity_index WHERE workspace_id = ? AND "
                             "kind = 'user_id'", (world.ws,))
    world.people = {str(value): str(pid) for _, value, pid in rows}


@pytest.fixture
def store(consent_db: str) -> Iterator[SqlStore]:
    s = open_store(consent_db)
    s.upgrade()
    yield s
    s.close()


def new_world(store: SqlStore) -> World:
    ws = tenancy.create_workspace(store, f"out-{next(_names)}", "EU")
    web, _ = tenancy.create_source(store, ws.id, "web", "web")
    return World(store, ws.id, web.id, {}, ws.name)


@pytest.fixture
def world(store: SqlStore) -> World:
    w = new_world(store)
    populate(w)
    return w


def exported_users(path: Path) -> set[str]:
    users = set()
    for line in path.read_bytes().splitlines():
        payload = orjson.loads(line)
        users.add(str(payload.get("userId") or payload["subject"].partition(":")[2]))
    return users


# -- exports ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(("purpose", "leaves"), [
    ("sale_or_sharing", {"eu-yes", "ca-ok"}),  # EU opt-in: only the grant; CA opt-out: all but GPC
    ("analytics", {"eu-yes", "ca-ok", "ca-gpc"}),  # CA needs no consent; GPC does not cover analytics
    ("targeted_advertising", {"ca-ok"}),  # nobody in the EU granted it; GPC refuses it in CA
])
def test_event_export_leaves_out_and_counts_people_not_allowed_for_the_purpose(
        world: World, tmp_path: Path, purpose: str, leaves: set[str]) -> None:
    out = tmp_path / f"{purpose}.ndjson"
    report = export_events(world.store, world.ws, out, purpose=purpose)
    assert exported_users(out) == leaves
    total = world.store.count_events(world.ws)
    assert report.count + report.refused == total and report.refused > 0
    assert sum(r.count for r in report.refusals) == report.refused
    assert all(r.example and r.rule for r in report.refusals)
    assert report.read_last_seq == world.store.last_seq(world.ws)


def test_event_export_refusals_name_the_rule_of_each_region(world: World, tmp_path: Path) -> None:
    report = export_events(world.store, world.ws, tmp_path / "s.ndjson", purpose="sale_or_sharing")
    rules = {r.rule for r in report.refusals}
    assert {"EU/sale_or_sharing/opt_in", "US-CA/sale_or_sharing/opt_out/gpc",
            "STRICTEST/sale_or_sharing/opt_in+explicit"} <= rules
    gpc = next(r for r in report.refusals if r.rule.endswith("/gpc"))
    assert "GPC" in gpc.example


def test_people_export_holds_only_allowed_people_and_their_records(world: World, tmp_path: Path) -> None:
    result = export_people(world.store, world.ws, tmp_path / "people", "csv", "sale_or_sharing")
    people_rows = result.paths["people"].read_text().splitlines()[1:]
    exported = {line.split(",")[0] for line in people_rows}
    assert exported == {world.people["eu-yes"], world.people["ca-ok"]}
    mapping = {line.split(",")[2] for line in result.paths["mapping"].read_text().splitlines()[1:]}
    assert mapping == exported
    assert result.people == 2 and result.refused == 3
    assert "eu.no@posteo-shop.de" not in result.paths["people"].read_text()


def test_an_export_of_a_purpose_that_does_not_cover_exports_leaves_nothing(world: World,
                                                                        tmp_path: Path) -> None:
    report = export_events(world.store, world.ws, tmp_path / "m.ndjson", purpose="marketing_email")
    assert report.count == 0 and (tmp_path / "m.ndjson").read_bytes() == b""
    assert {r.rule for r in report.refusals} == {"fail-closed/channel"}


# -- decisions --------------------------------------------------------------------------------------
CANDIDATES = [service.Candidate("email_offer_123", "marketing_email", "email"),
              service.Candidate("ad_audience", "targeted_advertising", "ads"),
              service.Candidate("nba", "profiling", "decision")]


@pytest.mark.parametrize(("person", "allowed"), [
    ("user_id:eu-yes", {"email_offer_123"}),
    ("email:eu.no@posteo-shop.de", set()),
    ("user_id:ca-ok", {"email_offer_123", "ad_audience", "nba"}),
    ("user_id:ca-gpc", {"email_offer_123", "nba"}),
    ("user_id:ghost", set()),
    ("user_id:nobody-at-all", set()),
])
def test_a_decision_allows_only_what_the_gate_allows_and_logs_every_reason(
        world: World, person: str, allowed: set[str]) -> None:
    result = service.decide(sql_ports(world.store), world.ws, person, CANDIDATES, NOW)
    assert {c.action for c, _ in result.allowed} == allowed
    assert {c.action for c, _ in result.refused} == {c.action for c in CANDIDATES} - allowed
    assert all(v.reason for _, v in [*result.allowed, *result.refused])
    logged = OutboundStore(world.store).logged(world.ws, result.decision_id)
    assert len(logged) == len(CANDIDATES)
    assert {row["action"] for row in logged if row["allowed"]} == allowed
    assert all(row["reason"] and row["rule"] for row in logged)


def test_the_gate_finds_a_person_by_any_identifier_and_by_person_id(world: World) -> None:
    gate = gate_for(world.store, world.ws, NOW)
    pid = world.people["eu-yes"]
    for ref in (pid, f"person_id:{pid}", "email:eu.yes@posteo-shop.de", "email:Eu.Yes@Posteo-Shop.de",
                "eu.yes@posteo-shop.de", "user_id:eu-yes", "phone:+4915112345678"):
        verdict = gate.check(ref, "marketing_email", "email")
        assert verdict.allowed and verdict.person == pid and verdict.region == "EU", ref


def test_a_refusal_captured_under_another_spelling_of_an_identifier_counts(world: World) -> None:
    """California marketing email is opt-out: an opt-out recorded for the email as the person typed it
    must stop mail found through their user id (identity holds the normalised email)."""
    gate = gate_for(world.store, world.ws, NOW)
    assert gate.check("user_id:ca-ok", "marketing_email", "email").allowed
    hub = consent.ConsentHub.of(world.store)
    consent.record(world.store, hub, world.ws, consent.Capture(
        subject="email:CA.OK@Mailbox-CA.com", purposes={"marketing_email": "denied"}), NOW)
    for ref in ("user_id:ca-ok", "email:ca.ok@mailbox-ca.com", world.people["ca-ok"]):
        verdict = gate_for(world.store, world.ws, NOW).check(ref, "marketing_email", "email")
        assert not verdict.allowed and verdict.rule == "US-CA/marketing_email/opt_out", ref


def test_a_merged_person_carries_every_refusal_of_the_people_it_absorbed(world: World) -> None:
    """ca-ok (no opt-out) and ca-gpc (GPC) merge by a person's decision; a marketing opt-out recorded on
    the absorbed person's id before the merge still holds, through every reference."""
    ids = world.people["ca-ok"], world.people["ca-gpc"]
    survivor = identity.merge(world.store, IdentityHub(world.store), world.ws, *ids, "same household account")
    absorbed = next(p for p in ids if p != survivor)
    hub = consent.ConsentHub.of(world.store)
    consent.record(world.store, hub, world.ws, consent.Capture(
        subject=f"person_id:{absorbed}", purposes={"marketing_email": "denied"}), NOW)
    gate = gate_for(world.store, world.ws, NOW)
    for ref in (survivor, absorbed, "user_id:ca-ok"):
        sale = gate.check(ref, "sale_or_sharing", "export")
        assert not sale.allowed and sale.rule.endswith("/gpc") and sale.person == survivor, ref
        mail = gate.check(ref, "marketing_email", "email")
        assert not mail.allowed and mail.rule == "US-CA/marketing_email/opt_out", ref
    assert not gate.check("user_id:ca-gpc", "sale_or_sharing", "export").allowed
    assert gate.check(survivor, "analytics", "web").allowed  # California needs no consent for analytics


# -- messages ---------------------------------------------------------------------------------------
def send(world: World, request: service.MessageRequest, now: datetime = NOW) -> service.MessageResult:
    return service.send_message(sql_ports(world.store), world.ws, request, now)


def message(person: str, channel: str, purpose: str) -> service.MessageRequest:
    return service.MessageRequest(person, channel, purpose, "tpl-1", {"name": "x"})


def test_a_message_is_queued_only_when_the_gate_allows_it(world: World) -> None:
    queued = send(world, message("user_id:eu-yes", "email", "marketing_email"))
    assert queued.queued and queued.address == "eu.yes@posteo-shop.de"
    refused = send(world, message("user_id:eu-no", "email", "marketing_email"))
    assert not refused.queued and refused.code == "consent_refused"
    assert refused.verdict.rule == "EU/marketing_email/opt_in"
    ca = send(world, message("user_id:ca-ok", "email", "marketing_email"))
    assert ca.queued and ca.verdict.rule == "US-CA/marketing_email/opt_out"
    sms = send(world, message("user_id:ca-gpc", "sms", "marketing_sms"))
    assert sms.code == "consent_refused"  # SMS marketing is opt-in even in California
    outbox = OutboundStore(world.store).outbox(world.ws)
    assert [(m["person_id"], m["address"]) for m in outbox] == [
        (world.people["eu-yes"], "eu.yes@posteo-shop.de"), (world.people["ca-ok"], "ca.ok@mailbox-ca.com")]
    logged = OutboundStore(world.store).logged(world.ws)
    assert [(r["path"], r["allowed"]) for r in logged] == [
        ("message", True), ("message", False), ("message", True), ("message", False)]


def test_a_transactional_message_needs_no_consent_but_needs_the_channel_identifier(world: World) -> None:
    receipt = send(world, message("user_id:eu-no", "email", "essential"))
    assert receipt.queued and receipt.verdict.allowed
    no_phone = send(world, message("user_id:eu-no", "sms", "essential"))
    assert not no_phone.queued and no_phone.code == "no_channel_identifier"
    assert "phone" in no_phone.verdict.reason


def test_the_same_message_id_is_queued_once(world: World) -> None:
    req = service.MessageRequest("user_id:eu-yes", "email", "marketing_email", "tpl", {}, "order-1-mail")
    assert send(world, req).code == "queued"
    assert send(world, req).code == "duplicate"
    assert len(OutboundStore(world.store).outbox(world.ws)) == 1


# -- failing closed ---------------------------------------------------------------------------------
def test_an_unknown_purpose_is_refused_with_its_reason(world: World) -> None:
    verdict = gate_for(world.store, world.ws, NOW).check("user_id:ca-ok", "telepathy", "email")
    assert not verdict.allowed and verdict.rule == "fail-closed/unknown-purpose"
    assert "telepathy" in verdict.reason


def test_a_missing_region_pack_refuses_everyone(world: World) -> None:
    gate = gate_for(world.store, world.ws, NOW, packs={})
    for user in PEOPLE:
        verdict = gate.check(f"user_id:{user}", "essential", "email")
        assert not verdict.allowed and verdict.rule == "fail-closed/no-pack", user
        assert "no region pack" in verdict.reason


def test_an_unknown_person_is_refused(world: World) -> None:
    gate = gate_for(world.store, world.ws, NOW)
    for ref in ("user_id:stranger", "email:who@mailbox-ca.com", "p_doesnotexist", "device_id:abc"):
        verdict = gate.check(ref, "essential", "email")
        assert not verdict.allowed and verdict.rule == "fail-closed/unknown-person", ref


def test_a_consent_store_error_refuses_every_path(store: SqlStore, consent_db: str, tmp_path: Path) -> None:
    """A database that lost a consent table: every check is a refusal, the export writes nothing."""
    world = new_world(store)
    populate(world)
    broken = open_store(consent_db)
    try:
        with broken.transaction() as cur:
            cur.execute("ALTER TABLE consent_subjects RENAME TO consent_subjects_gone")
        try:
            gate = gate_for(broken, world.ws, NOW)
            verdict = gate.check("user_id:ca-ok", "analytics", "web")
            assert not verdict.allowed and verdict.rule == "fail-closed/error"
            report = export_events(broken, world.ws, tmp_path / "x.ndjson", purpose="essential")
            assert report.count == 0 and report.refused == broken.count_events(world.ws)
            decision = service.decide(sql_ports(broken), world.ws, "user_id:ca-ok", CANDIDATES, NOW)
            assert decision.allowed == []
        finally:
            with broken.transaction() as cur:
                cur.execute("ALTER TABLE consent_subjects_gone RENAME TO consent_subjects")
    finally:
        broken.close()

