"""Moments beyond "entered a segment, send an e-mail", end to end on a real database with real HTTP
receivers (a webhook destination and an SMS provider, started here): a good rating opens a service
task in the inbox, calls the destination signed, and has next-best-action decide an offer; a
birthday comes at 09:00 where each person lives and goes out by SMS in their language, retried
and then confirmed by the provider's signed status callback; a segment's entries are synced to the
destination; everyone without consent is refused with the gate's rule, and every firing is logged."""

from __future__ import annotations

import hashlib
import hmac
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import orjson
import pyarrow.parquet as pq
import pytest
from fastapi import FastAPI

from frontoffice.bootstrap import Role, bootstrap
from frontoffice.consent import service as consent
from frontoffice.decisions.offers import DecisionOffers
from frontoffice.decisions.store import DecisionsStore
from frontoffice.destinations.store import DestinationStore
from frontoffice.domain.events import iso
from frontoffice.inbox.store import InboxStore
from frontoffice.inbox.tasks import InboxTasks
from frontoffice.outbound.exports import export_people
from frontoffice.outbound.mail import deliveries
from frontoffice.segments.adapters import SegmentsProjection, action_ports, provider_from
from frontoffice.segments.api import provider_router
from frontoffice.segments.audience import define_sync
from frontoffice.segments.capability import CAPABILITY
from frontoffice.segments.moments_service import define_moment
from frontoffice.segments.moments_store import MomentsStore
from frontoffice.settings import Settings
from tests.integration.segments_support import DAY_S, T0, new_world

HOUR_S = 3600.0
pytestmark = pytest.mark.anyio


class Receiver:
    """An HTTP server on a free local port recording each POST; it answers ``answers`` in turn,
    then 202."""

    def __init__(self, answers: list[int]) -> None:
        self.posts: list[tuple[dict[str, str], bytes]] = []
        received, pending = self.posts, answers

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                received.append((dict(self.headers), self.rfile.read(int(self.headers["Content-Length"]))))
                self.send_response(pending.pop(0) if pending else 202)
                self.end_headers()
                self.wfile.write(b'{"id": "prov-1"}')

            def log_message(self, *args: Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def bodies(self) -> list[dict[str, Any]]:
        return [orjson.loads(body) for _, body in self.posts]


@pytest.fixture
def receivers() -> Iterator[tuple[Receiver, Receiver]]:
    hook, sms = Receiver([]), Receiver([503])
    yield hook, sms
    for r in (hook, sms):
        r.server.shutdown()
        r.server.server_close()


def signed(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


async def test_moments_open_tasks_call_webhooks_offer_and_text_birthdays_in_each_persons_zone(
        database_url: str, tmp_path: Path, receivers: tuple[Receiver, Receiver]) -> None:
    hook, sms = receivers
    settings = Settings.load({}, overrides={
        "database_url": database_url, "data_dir": tmp_path, "destinations_allow_hosts": "127.0.0.1",
        "message_provider_url": sms.url, "message_provider_secret": "prov-secret"})
    container = bootstrap(settings, Role.CLI)
    try:
        store = container.store
        world = new_world(store)
        world.identify("kim", {"locale": "ko", "timezone": "Asia/Seoul"}, firstName="민준", lastName="김",
                       phone="+82 10-1234-5678", birthDate="1990-11-02", address={"country": "KR"})
        world.identify("max", {"locale": "de", "timezone": "Europe/Berlin"}, firstName="Max",
                       lastName="Muster", phone="+49 151 23456789", birthDate="1985-11-02",
                       address={"country": "DE"})
        world.track("kim", "Rating Given", -HOUR_S, score=5)  # before the moments: it fires none
        world.project()
        hub = consent.ConsentHub.of(store)
        hub.catch_up(world.ws)
        consent.record(store, hub, world.ws, consent.Capture(
            subject="user_id:kim", explicit=True, at=T0, purposes={
                "marketing_sms": "granted", "profiling": "granted", "personalisation": "granted"}), T0)
        dests = DestinationStore(store, frozenset({"127.0.0.1"}))
        dest = dests.create(world.ws, "crm", hook.url, "profiling")
        world.trait({"name": "good_ratings", "op": "count", "event": "Rating Given", "where": {"score": "5"}})
        world.segment("happy", {"computed": "good_ratings", "op": "gte", "value": 1})
        sync = {"name": "crm_happy", "segment": "happy", "destination": "crm"}
        define_sync(world.data, world.ws, sync, iso(T0))
        rated = {"event": "Rating Given", "where": {"score": "5"}}
        for doc in ({"name": "rated_task", "event": rated, "task": {"template": "thank_you"}},
                    {"name": "rated_hook", "event": rated, "webhook": {"destination": "crm"}},
                    {"name": "rated_offer", "event": rated, "offer": {"channel": "email"}},
                    {"name": "bday", "date": {"kind": "birthday", "hour": 9},
                     "send": {"channel": "sms", "template": "birthday", "purpose": "marketing_sms"}}):
            define_moment(world.data, world.ws, doc, iso(T0))
        [wired] = CAPABILITY.projections(container.hubs, store)
        assert isinstance(wired, SegmentsProjection) and wired.actions.tasks and wired.actions.offers
        projection = SegmentsProjection(
            store, None, lambda: world.clock[0], provider=provider_from(settings),
            actions=action_ports(store, settings, InboxTasks(store), DecisionOffers(store, settings)))
        kim, max_ = world.person("kim"), world.person("max")

        world.at(3 * HOUR_S)  # 1 November, 12:00 in Seoul
        for user in ("kim", "max"):
            world.track(user, "Rating Given", 2 * HOUR_S, score=5)
        world.project()
        projection.catch_up(world.ws)
        firings = MomentsStore(store).firings(world.ws)
        assert sum(f["moment"] == "rated_task" and f["person_id"] == kim for f in firings) == 1
        fired = {(f["moment"], f["person_id"]): f for f in firings}
        assert {k[0] for k in fired if k[1] == kim and fired[k]["decision"] == "fired"} == {
            "rated_task", "rated_hook", "rated_offer", "sync:crm_happy"}
        ticket = InboxStore(store).ticket(world.ws, fired["rated_task", kim]["message_id"])
        assert ticket is not None and (ticket.channel, ticket.person_id, ticket.doc["subject"]) == (
            "task", kim, "감사합니다")
        assert DecisionsStore(store).decision(world.ws, fired["rated_offer", kim]["message_id"]) is not None
        assert (fired["rated_hook", max_]["decision"], fired["rated_hook", max_]["rule"]) == (
            "refused", "EU/profiling/opt_in")
        assert fired["sync:crm_happy", max_]["decision"] == "refused"
        assert all(h["X-Frontoffice-Signature"] == signed(dest.secret, body) for h, body in hook.posts)
        bodies = hook.bodies()
        assert [(b.get("moment"), b.get("sync"), b["person_id"]) for b in bodies] == [
            ("rated_hook", None, kim), (None, "crm_happy", kim)]
        assert (bodies[1]["change"], bodies[1]["why"]) == ("entered", "computed good_ratings is 2")
        assert not any(k[0] == "bday" for k in fired)  # nobody's birthday has come anywhere yet

        world.at(DAY_S)  # 2 November, 09:00 in Seoul, 01:00 in Berlin
        projection.catch_up(world.ws)
        projection.catch_up(world.ws)  # the provider answered 503 once: the next round sends it again
        bday = MomentsStore(store).firings(world.ws, "bday")
        assert [(f["person_id"], f["decision"], f["trigger"]) for f in bday] == [
            (kim, "fired", "birthday 2026-11-02")]
        message_id = bday[0]["message_id"]
        assert [d["status"] for d in deliveries(store, world.ws, message_id)] == ["retrying", "sent"]
        headers, raw = sms.posts[-1]
        assert headers["X-Frontoffice-Signature"] == signed("prov-secret", raw)
        payload = orjson.loads(raw)
        assert (payload["channel"], payload["locale"], payload["text"]) == (
            "sms", "ko", "김민준 님, 생일을 축하드립니다!")
        assert payload["to"].startswith("+8210") and payload["status_callback"].endswith(
            f"/outbound/v1/workspaces/{world.ws}/messages/{message_id}/status")

        world.at(DAY_S + 8 * HOUR_S)  # 09:00 in Berlin
        projection.catch_up(world.ws)
        [later] = MomentsStore(store).firings(world.ws, "bday", max_)
        assert (later["decision"], later["rule"]) == ("refused", "EU/marketing_sms/opt_in")

        path = f"/outbound/v1/workspaces/{world.ws}/messages/{message_id}/status"
        status = orjson.dumps({"status": "delivered", "detail": "handset confirmed"})
        app = FastAPI()  # the provider's router alone: the whole app costs seconds to build
        app.include_router(provider_router(container))
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://fo") as client:
            forged = await client.post(path, content=status, headers={"X-Frontoffice-Signature": "sha256=0"})
            answer = await client.post(path, content=status,
                                       headers={"X-Frontoffice-Signature": signed("prov-secret", status)})
        assert forged.status_code == 401 and forged.json()["code"] == "bad_signature"
        assert answer.status_code == 200
        assert answer.json() == {"message_id": message_id, "status": "delivered"}
        assert deliveries(store, world.ws, message_id)[-1]["detail"] == "provider: handset confirmed"

        members = {m["person_id"] for m in world.data.members(world.ws, "happy", 10)}
        done = export_people(store, world.ws, tmp_path / "out", "parquet", "profiling", only=members)
        assert (done.people, done.refused) == (1, 1)
        assert pq.read_table(done.paths["people"]).column("person_id").to_pylist() == [kim]
    finally:
        container.close()
