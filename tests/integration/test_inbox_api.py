"""The inbox's HTTP API in process, on SQLite, with the real classifier: a chat
message becomes a classified, routed ticket; agents reply, note, change and rate through it;
refusals are typed JSON that say what to do."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from frontoffice.api.app import create_app
from frontoffice.bootstrap import Container, Role, bootstrap
from frontoffice.settings import Settings
from tests.integration.conftest import Api

pytestmark = pytest.mark.anyio


@pytest.fixture(scope="module")
def container(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Container]:
    """One server container for the module (each test has a workspace of its own), on SQLite
    only: the same use cases run on PostgreSQL in test_inbox_mail.py."""
    folder = tmp_path_factory.mktemp("inbox-api")
    shutil.copyfile(sqlite_template, folder / "frontoffice.db")
    built = bootstrap(Settings.load({}, overrides={"database_url": f"sqlite:///{folder / 'frontoffice.db'}",
                                                   "data_dir": folder}), Role.SERVER)
    yield built
    built.close()


@pytest.fixture(scope="module")
def app(container: Container) -> Any:
    return create_app(container)


@pytest.fixture
async def api(container: Container, app: Any) -> AsyncIterator[Api]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://fo") as client:
        yield Api(client, container)


async def test_a_chat_message_becomes_a_classified_routed_ticket_agents_work_through(api: Api) -> None:
    ws = api.workspace("chat-shop")
    write = api.bearer(ws.id, "events:read", "events:write")
    base = f"/api/v1/workspaces/{ws.id}/inbox"
    r = await api.client.put(f"{base}/agents/yuki", headers=write,
                             json={"languages": ["ja", "en"], "capacity": 3, "team": "tokyo"})
    assert r.status_code == 200, r.text
    r = await api.client.post(f"{base}/messages", headers=write, json={
        "channel": "chat", "sender_kind": "email", "sender": "hana@posteo.jp",
        "text": "注文した靴がまだ届きません。いつ届きますか？", "message_id": "chat-1"})
    assert r.status_code == 201, r.text
    tid = r.json()["ticket_id"]
    assert r.json()["assigned_to"] == "yuki"
    again = await api.client.post(f"{base}/messages", headers=write, json={
        "channel": "chat", "sender_kind": "email", "sender": "hana@posteo.jp", "ticket_id": tid,
        "text": "急いでいます。", "message_id": "chat-2"})
    assert again.json()["ticket_id"] == tid and not again.json()["new"]

    r = await api.client.get(f"{base}/tickets/{tid}", headers=write)
    ticket = r.json()["ticket"]
    assert ticket["doc"]["understanding"]["language"] == "ja"
    assert ticket["doc"]["understanding"]["category"] == "where_is_my_order"
    assert ticket["team"] == "tokyo" and "speaks ja" in ticket["doc"]["assignments"][0]["reason"]

    r = await api.client.post(f"{base}/tickets/{tid}/replies", headers=write,
                              json={"agent": "yuki", "text": "明日お届け予定です。", "status": "solved"})
    assert r.status_code == 200 and r.json()["status"] == "solved"
    r = await api.client.post(f"{base}/tickets/{tid}/rating", headers=write, json={"score": 5})
    assert r.json()["doc"]["csat"]["score"] == 5
    r = await api.client.get(f"{base}/report", headers=write)
    assert r.json()["csat"]["per_channel"]["chat"] == {"ratings": 1, "satisfied": 1.0, "average": 5.0}


async def test_refusals_are_typed_json_that_say_what_to_do(api: Api) -> None:
    ws = api.workspace("refusals")
    write = api.bearer(ws.id, "events:read", "events:write")
    base = f"/api/v1/workspaces/{ws.id}/inbox"
    r = await api.client.post(f"{base}/messages", headers=write, json={
        "channel": "phone", "sender_kind": "phone", "sender": "+4915112345678",
        "text": "Call notes: wants invoice"})
    tid = r.json()["ticket_id"]
    await api.client.patch(f"{base}/tickets/{tid}", headers=write, json={"status": "solved"})
    await api.client.patch(f"{base}/tickets/{tid}", headers=write, json={"status": "closed"})
    r = await api.client.patch(f"{base}/tickets/{tid}", headers=write, json={"status": "open"})
    assert r.status_code == 409
    assert r.json() == {"code": "inbox_refused",
                        "message": "A closed ticket is final; open a new one."}
    r = await api.client.get(f"{base}/tickets/T0000", headers=write)
    assert r.status_code == 404 and "frontoffice service tickets" in r.json()["message"]
    other = api.workspace("globex")
    r = await api.client.get(f"{base}/tickets", headers=api.bearer(other.id, "events:read"))
    assert r.status_code == 403


async def test_an_erased_persons_tickets_are_purged_and_their_next_message_is_not_kept(api: Api) -> None:
    from frontoffice.identity import service as identity
    from frontoffice.identity.hub import IdentityHub
    from frontoffice.inbox.store import InboxStore
    from frontoffice.tenancy import service as tenancy
    from tests.integration.identity_support import Brand, identify

    ws = api.workspace("erasure")
    store = api.container.store
    web, _ = tenancy.create_source(store, ws.id, "web", "web")
    Brand(store, ws.id, {"web": web.id}).send("web", identify("i1", "2026-11-01T10:00:00Z", user="cus_ann",
                                                             email="ann@posteo.de"))
    IdentityHub(store).catch_up(ws.id)
    write = api.bearer(ws.id, "events:read", "events:write")
    base = f"/api/v1/workspaces/{ws.id}/inbox"
    said = {"channel": "chat", "sender_kind": "email", "sender": "ann@posteo.de", "text": "Hello"}
    r = await api.client.post(f"{base}/messages", headers=write, json=said)
    assert InboxStore(store).ticket(ws.id, r.json()["ticket_id"]) is not None
    [ann] = identity.lookup(store, ws.id, "email", "ann@posteo.de")
    erased = await api.client.post(f"/api/v1/workspaces/{ws.id}/persons/{ann}/erasure",
                                   json={"reason": "art. 17"}, headers=api.bearer(ws.id, "privacy:admin"))
    assert erased.status_code == 200, erased.text
    assert InboxStore(store).tickets(ws.id) == []  # purged with her
    again = await api.client.post(f"{base}/messages", headers=write, json={**said, "text": "Hi again"})
    assert again.json()["ticket_id"] is None and "erased" in again.json()["dropped"]
    assert InboxStore(store).tickets(ws.id) == []


async def test_a_rating_link_from_the_csat_mail_records_the_rating_without_sign_in(api: Api) -> None:
    from frontoffice.domain.events import now
    from frontoffice.inbox import csat, intake, service
    from frontoffice.inbox.wiring import desk_for
    from tests.fakes.inbox import FakeMailer, KeywordUnderstanding
    from tests.unit.inbox.mails import customer_mail

    ws = api.workspace("csat")
    desk = desk_for(api.container.settings, api.container.store, understand=KeywordUnderstanding(),
                    mail=FakeMailer())
    tid = intake.receive_email(desk, ws.id, customer_mail("hello"), now()).ticket_id or ""
    service.update(desk, ws.id, tid, {"status": "solved"}, "anna", now())
    token = service.ticket(desk, ws.id, tid).doc["csat_token"]
    r = await api.client.get(f"/inbox/v1/csat/{ws.id}/{token}", params={"score": 4})
    assert r.status_code == 200 and "Your rating (4/5) is recorded." in r.text
    assert service.ticket(desk, ws.id, tid).doc["csat"]["score"] == 4
    r = await api.client.get(f"/inbox/v1/csat/{ws.id}/not-a-token", params={"score": 4})
    assert r.status_code == 404 and "unknown or no longer valid" in r.text
    assert csat.ask(desk, ws.id, service.ticket(desk, ws.id, tid), now()) is None  # asked once


async def test_an_erased_persons_ticket_messages_and_notes_are_unreadable_in_the_log(api: Api) -> None:
    from frontoffice.identity import service as identity
    from frontoffice.identity.hub import IdentityHub
    from frontoffice.inbox.ports import SOURCE
    from frontoffice.tenancy import service as tenancy
    from tests.integration.identity_support import Brand, identify

    ws = api.workspace("shredded")
    store = api.container.store
    web, _ = tenancy.create_source(store, ws.id, "web", "web")
    Brand(store, ws.id, {"web": web.id}).send("web", identify("i1", "2026-11-01T10:00:00Z", user="cus_bo",
                                                             email="bo@posteo.de"))
    IdentityHub(store).catch_up(ws.id)
    write = api.bearer(ws.id, "events:read", "events:write")
    base = f"/api/v1/workspaces/{ws.id}/inbox"
    r = await api.client.post(f"{base}/messages", headers=write, json={
        "channel": "chat", "sender_kind": "email", "sender": "bo@posteo.de", "message_id": "m1",
        "text": "My address is Hauptstrasse 5"})
    tid = r.json()["ticket_id"]
    await api.client.post(f"{base}/tickets/{tid}/notes", headers=write,
                          json={"author": "anna", "text": "Bo moved to Hauptstrasse 5"})
    logged = [e.record for e in store.events_at(ws.id, range(1, store.last_seq(ws.id) + 1))
              if e.record.family == "inbox"]
    assert {r.type for r in logged} >= {"ticket.opened", "message.received", "note.added"}
    assert {r.type for r in logged if b"Hauptstrasse" in r.payload} == {"message.received", "note.added"}
    [ann] = identity.lookup(store, ws.id, "email", "bo@posteo.de")
    erased = await api.client.post(f"/api/v1/workspaces/{ws.id}/persons/{ann}/erasure",
                                   json={"reason": "art. 17"}, headers=api.bearer(ws.id, "privacy:admin"))
    assert erased.status_code == 200, erased.text
    received = store.event(ws.id, SOURCE, f"{tid}:in:m1")
    assert received is not None and received.record.type == "erased"
    after = [e.record for e in store.events_at(ws.id, range(1, store.last_seq(ws.id) + 1))]
    assert not [r for r in after if b"Hauptstrasse" in r.payload]
    assert not [r for r in after if r.family == "inbox" and r.type in ("message.received", "note.added")]


async def test_resend_and_cancel_from_a_ticket_reach_commerce_and_are_recorded(api: Api) -> None:
    from frontoffice.commerce import service as commerce
    from frontoffice.inbox.adapters import CustomersSql
    from tests.unit.commerce.sample import NOW, order, setup

    store = api.container.store
    cs, ws, shop = setup(store, "actions")
    commerce.ingest(cs, ws, shop, "orders", [order(1, "confirmed", order_id="O2", email="cy@posteo.de"),
                                             order(1, "fulfilled", order_id="O3", email="cy@posteo.de")], NOW)
    commerce.ingest(cs, ws, shop, "shipments", [{
        "event_id": "s9", "version": 1, "shipment_id": "S9", "order_id": "O3", "location_id": "WH",
        "carrier": "DHL", "line_nos": [1], "status": "failed", "promised_by": "2026-03-03T12:00:00Z"}], NOW)
    write = api.bearer(ws, "events:read", "events:write")
    base = f"/api/v1/workspaces/{ws}/inbox"
    r = await api.client.post(f"{base}/messages", headers=write, json={
        "channel": "chat", "sender_kind": "email", "sender": "cy@posteo.de", "text": "My parcel never came"})
    tid = r.json()["ticket_id"]
    resent = await api.client.post(f"{base}/tickets/{tid}/orders/O3/resend", headers=write,
                                   json={"agent": "anna"})
    assert resent.status_code == 201, resent.text
    assert resent.json()["shipment_id"] == "resend-O3"
    cancelled = await api.client.post(f"{base}/tickets/{tid}/orders/O2/cancel", headers=write,
                                      json={"reason": "ordered twice", "agent": "anna"})
    assert cancelled.status_code == 200, cancelled.text
    refused = await api.client.post(f"{base}/tickets/{tid}/orders/O3/cancel", headers=write,
                                    json={"reason": "x"})
    assert refused.status_code == 409 and "start a return instead" in refused.json()["message"]
    customers = CustomersSql(store)
    assert customers.order(ws, "O2")["status"] == "cancelled"  # type: ignore[index]
    shipments = customers.context(ws, None, ["email:cy@posteo.de"]).shipments
    assert {s["shipment_id"]: s["status"] for s in shipments} == {"S9": "failed", "resend-O3": "pending"}
    view = (await api.client.get(f"{base}/tickets/{tid}", headers=write)).json()
    assert [(a["action"], a["order_id"]) for a in view["ticket"]["doc"]["actions"]] == \
        [("resend", "O3"), ("cancel", "O2")]


async def test_sla_policies_and_calendars_are_set_over_http_and_a_bad_calendar_is_a_400_saying_why(
        api: Api) -> None:
    ws = api.workspace("sla")
    write = api.bearer(ws.id, "events:read", "events:write")
    base = f"/api/v1/workspaces/{ws.id}/inbox/sla"
    r = await api.client.put(f"{base}/policies/urgent-chat", headers=write, json={
        "priority": "urgent", "channel": "chat", "first_response_hours": 0.25, "next_response_hours": 0.5,
        "resolution_hours": 4})
    assert r.status_code == 200, r.text
    r = await api.client.put(f"{base}/calendars/munich", headers=write, json={
        "timezone": "Europe/Berlin", "country": "DE", "subdivision": "BY", "teams": ["de"]})
    assert r.status_code == 200, r.text
    bad = await api.client.put(f"{base}/calendars/x", headers=write,
                               json={"timezone": "UTC", "country": "DE", "subdivision": "XX"})
    assert bad.status_code == 400 and "No public holidays for 'DE'/'XX'" in bad.json()["message"]
    listed = (await api.client.get(base, headers=write)).json()
    assert [p["id"] for p in listed["policies"]] == ["urgent-chat"]
    assert [(c["id"], c["subdivision"], c["teams"]) for c in listed["calendars"]] == \
        [("munich", "BY", ["de"])]


async def test_an_agents_correction_retrains_the_workspace_model_its_next_classification_uses(
        api: Api) -> None:
    ws = api.workspace("retrain")
    write = api.bearer(ws.id, "events:read", "events:write")
    base = f"/api/v1/workspaces/{ws.id}/inbox"
    text = "Zorblax quux flimflam gizmo, wibble wobble"
    r = await api.client.post(f"{base}/messages", headers=write, json={
        "channel": "api", "sender_kind": "email", "sender": "zed@posteo.de", "text": text,
        "message_id": "odd-1"})
    assert r.status_code == 201, r.text

    async def category() -> str:
        found = await api.client.post(f"{base}/classify", headers=write, json={"texts": [text]})
        return str(found.json()["results"][0]["category"])

    wanted = "praise" if await category() != "praise" else "complaint"
    r = await api.client.post(f"{base}/messages/odd-1/correction", headers=write,
                              json={"by": "anna", "category": wanted, "sentiment": "positive"})
    assert r.status_code == 200, r.text
    r = await api.client.post(f"{base}/model", headers=write)
    assert r.json()["corrections"] == 1
    assert await category() == wanted
