"""Mirakl buyer messages through the signed webhook, in process on SQLite: the buyer's Mirakl id
finds their golden record, the thread's order is attached, a redelivery is stored once and a
later message of the thread joins its ticket; a wrong signature is refused."""

from __future__ import annotations

import base64
import shutil
from pathlib import Path
from typing import Any

import orjson
import pytest
from click.testing import CliRunner

from frontoffice.cli.main import cli
from frontoffice.identity.hub import IdentityHub
from frontoffice.inbox.marketplace import sign
from frontoffice.inbox.store import InboxStore
from frontoffice.tenancy import service as tenancy
from tests.integration.conftest import Api
from tests.integration.identity_support import Brand

pytestmark = pytest.mark.anyio
SECRET = "mirakl-secret-0123456789"


@pytest.fixture
def database_url(sqlite_template: Path, tmp_path: Path) -> str:
    shutil.copyfile(sqlite_template, tmp_path / "frontoffice.db")
    return f"sqlite:///{tmp_path / 'frontoffice.db'}"


def thread(*messages: dict[str, Any]) -> dict[str, Any]:
    """A thread as Mirakl's M10 returns it (the fields the mapping reads, and some it ignores)."""
    return {"id": "9d5ce2a5-thread", "topic": {"type": "FREE_TEXT", "value": "Colis non reçu"},
            "entities": [{"id": "MK-1001-A", "type": "MMP_ORDER", "label": "MK-1001-A"}],
            "date_created": "2026-12-01T09:00:00Z", "messages": list(messages)}


def message(mid: str, body: str, sender: str = "CUSTOMER") -> dict[str, Any]:
    who = {"type": sender, "id": "cust-42", "display_name": "Claire D."} if sender == "CUSTOMER" else \
        {"type": sender, "display_name": "Shop"}
    return {"id": mid, "body": body, "date_created": f"2026-12-01T09:0{mid[-1]}:00Z", "from": who}


async def test_a_mirakl_buyer_message_joins_the_golden_record_and_the_thread_keeps_one_ticket(
        api: Api, database_url: str, tmp_path: Path) -> None:
    ws = api.workspace("acme")
    source, key = tenancy.create_source(api.container.store, ws.id, "mirakl", "marketplace")
    said = CliRunner().invoke(cli, ["--database-url", database_url, "--data-dir", str(tmp_path), "service",
                                    "secret", f"acme/{source.name}", "--secret", SECRET])
    assert said.exit_code == 0, said.output
    web, _ = tenancy.create_source(api.container.store, ws.id, "web", "web")
    Brand(api.container.store, ws.id, {"web": web.id}).send("web", {
        "type": "identify", "messageId": "i1", "timestamp": "2026-11-01T10:00:00Z", "userId": "cus_claire",
        "traits": {"email": "claire@posteo.fr", "marketplace": "mirakl", "marketplaceBuyerId": "cust-42"}})
    IdentityHub(api.container.store).catch_up(ws.id)
    auth = {"Authorization": "Basic " + base64.b64encode(f"{key}:".encode()).decode()}

    async def post(body: dict[str, Any], secret: str = SECRET) -> Any:
        raw = orjson.dumps(body)
        return await api.client.post("/inbox/v1/marketplace/mirakl", content=raw, headers={
            **auth, "X-Frontoffice-Signature": sign(secret, raw)})

    first = thread(message("m1", "Bonjour, je n'ai pas reçu ma commande."), message("m2", "Merci", "SHOP"))
    r = await post(first)
    assert r.status_code == 200, r.text
    [receipt] = r.json()["tickets"]
    again = await post(first)  # a redelivery
    later = await post(thread(message("m1", "Bonjour, je n'ai pas reçu ma commande."),
                              message("m3", "Toujours rien ?")))
    assert [t["ticket_id"] for t in later.json()["tickets"]] == [receipt["ticket_id"]] * 2
    assert again.json()["tickets"][0]["ticket_id"] == receipt["ticket_id"]
    inbox = InboxStore(api.container.store)
    ticket = inbox.ticket(ws.id, receipt["ticket_id"])
    assert ticket is not None and ticket.person_id is not None and ticket.channel == "marketplace"
    assert ticket.doc["orders"] == ["MK-1001-A"] and ticket.doc["subject"] == "Colis non reçu"
    assert [m.message_id for m in inbox.messages(ws.id, ticket.ticket_id)] == ["mirakl:m1", "mirakl:m3"]
    forged = await post(thread(message("m4", "x")), secret="another-secret-0123456789")
    assert forged.status_code == 401 and forged.json()["code"] == "bad_signature"


async def test_a_signed_social_message_joins_the_golden_record_by_its_handle_and_threads_by_conversation(
        api: Api, database_url: str, tmp_path: Path) -> None:
    ws = api.workspace("acme")
    source, key = tenancy.create_source(api.container.store, ws.id, "instagram", "social")
    said = CliRunner().invoke(cli, ["--database-url", database_url, "--data-dir", str(tmp_path), "service",
                                    "secret", f"acme/{source.name}", "--secret", SECRET])
    assert said.exit_code == 0, said.output
    web, web_key = tenancy.create_source(api.container.store, ws.id, "web", "web")
    Brand(api.container.store, ws.id, {"web": web.id}).send("web", {  # the collector's social source
        "type": "identify", "messageId": "i1", "timestamp": "2026-11-01T10:00:00Z", "userId": "cus_dana",
        "anonymousId": "instagram:dana.k", "traits": {"email": "dana@posteo.de"}})
    IdentityHub(api.container.store).catch_up(ws.id)

    async def post(body: dict[str, Any], write_key: str = key, secret: str = SECRET) -> Any:
        raw = orjson.dumps(body)
        return await api.client.post("/inbox/v1/social", content=raw, headers={
            "Authorization": "Basic " + base64.b64encode(f"{write_key}:".encode()).decode(),
            "X-Frontoffice-Signature": sign(secret, raw)})

    def dm(mid: str, text: str) -> dict[str, Any]:
        return {"network": "Instagram", "handle": "@dana.k", "display_name": "Dana", "message_id": mid,
                "conversation_id": "t_10", "text": text}

    first = await post({"messages": [dm("d1", "Hi, where is my parcel?")]})
    assert first.status_code == 200, first.text
    later = await post({"messages": [dm("d1", "Hi, where is my parcel?"), dm("d2", "Any news?")]})
    [ticket_id] = {t["ticket_id"] for t in [*first.json()["tickets"], *later.json()["tickets"]]}
    inbox = InboxStore(api.container.store)
    ticket = inbox.ticket(ws.id, ticket_id)
    assert ticket is not None and ticket.channel == "social" and ticket.person_id is not None
    assert [m.message_id for m in inbox.messages(ws.id, ticket_id)] == ["social:instagram:d1",
                                                                        "social:instagram:d2"]
    forged = await post({"messages": [dm("d3", "x")]}, secret="another-secret-0123456789")
    assert forged.status_code == 401 and forged.json()["code"] == "bad_signature"
    wrong = await post({"messages": [dm("d3", "x")]}, write_key=web_key)
    assert wrong.status_code == 403 and "--channel social" in wrong.json()["message"]
    bad = await post({"messages": [{"network": "x", "handle": "y"}]})
    assert bad.status_code == 400 and "needs message_id, text" in bad.json()["message"]


def test_sla_policies_and_calendars_are_saved_from_the_command_line_and_a_bad_one_says_why(
        database_url: str, tmp_path: Path) -> None:
    from frontoffice.storage import open_store

    store = open_store(database_url)
    try:
        ws = tenancy.create_workspace(store, "acme")
    finally:
        store.close()
    base = ["--database-url", database_url, "--data-dir", str(tmp_path), "service"]
    runner = CliRunner()
    saved = runner.invoke(cli, [*base, "sla-policy", "vip-chat", "-w", "acme", "--channel", "chat",
                                "--segment", "vip", "--first-response-hours", "0.5",
                                "--next-response-hours", "1", "--resolution-hours", "8"])
    assert saved.exit_code == 0, saved.output
    tokyo = runner.invoke(cli, [*base, "calendar", "tokyo", "-w", "acme", "--timezone", "Asia/Tokyo",
                                "--country", "JP", "--hours", "09:00-18:00", "--team", "jp"])
    assert tokyo.exit_code == 0, tokyo.output
    wrong = runner.invoke(cli, [*base, "calendar", "mars", "-w", "acme", "--timezone", "Mars/Olympus"])
    assert wrong.exit_code != 0 and "Unknown time zone 'Mars/Olympus'" in wrong.output
    store = open_store(database_url)
    try:
        inbox = InboxStore(store)
        assert inbox.entity(ws.id, "sla_policy", "vip-chat") == {
            "id": "vip-chat", "priority": None, "channel": "chat", "segment": "vip",
            "first_response_hours": 0.5, "next_response_hours": 1.0, "resolution_hours": 8.0}
        assert [c["teams"] for c in inbox.entities(ws.id, "calendar")] == [["jp"]]
    finally:
        store.close()
