"""Moments end to end on a real database and a real SMTP server (aiosmtpd, started here): entering
a segment fires the moment through the consent gate, the e-mail arrives in the person's language,
a refusal is logged with its rule, and a server that is down is retried until it takes it."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import UTC, datetime
from email import message_from_bytes
from email.message import Message
from importlib import resources

import pytest
import yaml
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from frontoffice.consent import service as consent
from frontoffice.domain.events import iso
from frontoffice.dsr.report import access_document
from frontoffice.outbound.mail import SmtpMailer, deliveries
from frontoffice.outbound.store import OutboundStore
from frontoffice.segments.adapters import SegmentsProjection
from frontoffice.segments.capability import CAPABILITY
from frontoffice.segments.moments_service import define_moment, load_bundle
from frontoffice.segments.moments_store import MomentsStore
from frontoffice.storage import open_store
from frontoffice.storage.sql import SqlStore
from tests.integration.segments_support import DAY_S, T0, World, new_world


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        assert isinstance(envelope.content, bytes)
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


def render_html(section: dict[str, object]) -> str:
    assert CAPABILITY.report is not None and CAPABILITY.report.html is not None
    return CAPABILITY.report.html({"segments": section})


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def store(database_url: str) -> Iterator[SqlStore]:
    s = open_store(database_url)
    yield s
    s.close()


def test_entering_a_segment_sends_the_moments_mail_through_the_gate_and_retries_a_down_server(
        store: SqlStore) -> None:
    world: World = new_world(store)
    world.identify("ann", {"locale": "de-AT", "timezone": "Europe/Vienna"}, email="anna@posteo-shop.de",
                   firstName="Anna", lastName="Huber", address={"country": "AT"})
    world.identify("bob", email="bob@posteo-shop.de", address={"country": "DE"})
    world.project()
    hub = consent.ConsentHub.of(store)
    hub.catch_up(world.ws)
    consent.record(store, hub, world.ws, consent.Capture(
        subject="user_id:ann", explicit=True, at=T0, purposes={"marketing_email": "granted"}), T0)
    world.trait({"name": "spend", "op": "sum", "event": "Order Completed", "property": "total"})
    world.segment("big_spenders", {"computed": "spend", "op": "gte", "value": 100})
    define_moment(world.data, world.ws, {
        "name": "tier_up", "entered": "big_spenders", "cap": {"max": 1, "days": 365},
        "send": {"channel": "email", "template": "tier_up", "purpose": "marketing_email"},
        "quiet_hours": {"from": 22, "to": 7}}, iso(T0))
    port = free_port()
    projection = SegmentsProjection(store, SmtpMailer("127.0.0.1", port, "shop@example.com", timeout=2),
                                    lambda: world.clock[0])
    world.at(12 * 3600)  # noon in Vienna
    for user in ("ann", "bob"):
        world.track(user, "Order Completed", 3600, total=120)
    world.project()
    projection.catch_up(world.ws)  # the SMTP server is not up yet
    firings = {f["person_id"]: f for f in MomentsStore(store).firings(world.ws)}
    ann, bob = world.person("ann"), world.person("bob")
    assert firings[ann]["decision"] == "fired"
    assert (firings[bob]["decision"], firings[bob]["rule"]) == ("refused", "EU/marketing_email/opt_in")
    assert firings[bob]["reason"] == "EU requires opt-in for marketing_email; no grant on record"
    [first] = deliveries(store, world.ws, firings[ann]["message_id"])
    assert (first["status"], first["detail"]) == ("retrying", "ConnectionRefusedError")

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        projection.catch_up(world.ws)
    finally:
        controller.stop()
    [mail] = inbox.messages
    assert (mail["To"], mail["Subject"], mail["Content-Language"]) == (
        "anna@posteo-shop.de", "Neue Treuestufe erreicht", "de")
    assert mail.get_payload(decode=True).decode().startswith("Hallo Anna,")
    attempts = deliveries(store, world.ws, firings[ann]["message_id"])
    assert [d["status"] for d in attempts] == ["retrying", "sent"]
    projection.catch_up(world.ws)
    assert len(MomentsStore(store).firings(world.ws)) == 2  # nothing new entered: nothing fires again


def test_the_demo_moments_fire_on_a_first_anniversary_a_spend_threshold_and_a_third_good_rating(
        store: SqlStore) -> None:
    world = new_world(store)
    bundle = yaml.safe_load((resources.files("frontoffice.segments") / "data" / "demo.yaml").read_text())
    load_bundle(world.data, world.ws, bundle, iso(T0))
    world.identify("kim", {"locale": "ko", "timezone": "Asia/Seoul"}, email="kim@naver.com",
                   firstName="민준", lastName="김", address={"country": "KR"})
    world.project()
    hub = consent.ConsentHub.of(store)
    hub.catch_up(world.ws)
    consent.record(store, hub, world.ws, consent.Capture(
        subject="user_id:kim", explicit=True, at=T0, purposes={"marketing_email": "granted"}), T0)
    world.track("kim", "order.created", -365 * DAY_S + 3600, total=450)
    world.track("kim", "order.created", -3600, total=80)
    for i in range(3):
        world.track("kim", "Rating Given", -600 + i, score=5)
    world.at(2 * 3600)  # 11:00 in Seoul, outside the anniversary's quiet hours
    projection = SegmentsProjection(store, None, lambda: world.clock[0])
    world.project()
    projection.catch_up(world.ws)
    fired = {f["moment"]: f["decision"] for f in MomentsStore(store).firings(world.ws)}
    assert fired == {"anniversary_thanks": "fired", "tier_up": "fired", "rating_thanks": "fired"}
    outbox = OutboundStore(store).outbox(world.ws)
    assert sorted(m["template_id"] for m in outbox) == ["anniversary", "thank_you", "tier_up"]
    assert {m["variables"]["locale"] for m in outbox} == {"ko"}
    kim = world.person("kim")
    report = access_document(store, world.ws, kim, "req-1", datetime.now(UTC))["segments"]
    assert report["segments"] == ["first_anniversary", "gold_tier", "happy_raters"]
    assert {m["moment"] for m in report["moments"]} == {"anniversary_thanks", "tier_up", "rating_thanks"}
    assert "Membership history" in render_html(report)
    projection.rebuild(world.ws)
    projection.catch_up(world.ws)
    assert len(MomentsStore(store).firings(world.ws)) == 3  # a replay re-enters kim, firing nothing
    assert world.members("gold_tier") == {world.person("kim")}
