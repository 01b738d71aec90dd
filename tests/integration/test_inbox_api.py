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
