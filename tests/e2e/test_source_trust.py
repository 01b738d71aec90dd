"""A public write key cannot take over a customer's data export (issue 14, item 1), through the real
server on SQLite and PostgreSQL.

The web source's write key ships in every page, so anyone holds it. An attacker who knows a
customer's user id sends ``identify`` with that id, their own address and ``emailVerified: true``.
The brand's account service, a server-side source, had proven the customer's own address.
"""

from __future__ import annotations

import re
from typing import Any

import httpx

from frontoffice.dsr.store import DsrStore
from frontoffice.identity.hub import IdentityHub
from frontoffice.storage import open_store
from frontoffice.tenancy import service as tenancy
from tests.e2e.conftest import Live, accepted, basic, new_id

CUSTOMER = {"email": "ann.meier@mailbox.org", "emailVerified": True, "firstName": "Ann", "lastName": "Meier",
            "address": {"street": "Domstraße 1", "city": "Köln", "postalCode": "50667", "country": "DE"}}
ATTACKER = "mallory.k@posteo.net"


def identify(user_id: str, traits: dict[str, Any], ts: str) -> dict[str, Any]:
    return {"type": "identify", "userId": user_id, "traits": traits, "messageId": new_id(), "timestamp": ts}


def dsr_admin(live: Live) -> httpx.Client:
    store = open_store(live.database_url)
    try:
        _, secret = tenancy.create_token(store, live.tenant.workspace_id, "dpo", ["dsr:admin", "events:read"])
    finally:
        store.close()
    return httpx.Client(base_url=live.url, timeout=30, headers={"Authorization": f"Bearer {secret}"})


def resolve_and_read_outbox(live: Live, request_id: str | None = None) -> list[tuple[str, str, str]]:
    """Project the log into people (the worker's job; this server runs without it) and read the DSR
    outbox: the messages frontoffice sent, as (channel, recipient, body)."""
    store = open_store(live.database_url)
    try:
        IdentityHub(store).catch_up(live.tenant.workspace_id)
        if request_id is None:
            return []
        return [(m.channel, m.recipient, m.body)
                for m in DsrStore(store).messages(live.tenant.workspace_id, request_id)]
    finally:
        store.close()


def test_a_public_key_cannot_take_over_a_customers_data_export(fresh: Live) -> None:
    ws = fresh.tenant.workspace
    with fresh.api() as admin:
        created = admin.post(f"/api/v1/workspaces/{ws}/sources",
                             json={"name": "accounts", "channel": "web", "trust": "server"})
        assert created.status_code == 201, created.text
        assert created.json()["trust"] == "server"
        listed = {s["name"]: s["trust"] for s in admin.get(f"/api/v1/workspaces/{ws}/sources").json()}
        assert listed == {"accounts": "server", "web": "client"}  # the web source: its channel's default
    server_key = created.json()["write_key"]
    auth = {"Authorization": basic(server_key)}
    with httpx.Client(base_url=fresh.url, timeout=30, headers=auth) as accounts:
        accepted(accounts.post("/v1/identify", json=identify("cus_4711", CUSTOMER, "2026-10-01T10:00:00Z")))
    with fresh.collector() as web:  # the public key, as any visitor of the shop holds it
        accepted(web.post("/v1/identify", json=identify(
            "cus_4711", {"email": ATTACKER, "emailVerified": True}, "2026-11-20T10:00:00Z")))
    resolve_and_read_outbox(fresh)

    with dsr_admin(fresh) as dpo:
        base = f"/api/v1/workspaces/{ws}/dsr"
        opened = dpo.post(base, json={"kind": "access", "identifier_kind": "email", "identifier": ATTACKER})
        assert opened.status_code == 201, opened.text
        request = opened.json()
        outbox = resolve_and_read_outbox(fresh, request["id"])
        assert all(recipient != ATTACKER for _, recipient, _ in outbox), "the code went to the attacker"
        assert request["token_sent_to"] == "email:a***@m***.org"  # the customer's proven address
        trail = dpo.get(f"{base}/{request['id']}/audit").json()
        [sent] = [a["detail"] for a in trail if a["action"] == "token_sent"]
        [(claim, why)] = sent["ignored_claims"].items()
        assert claim == "email:m***@p***.net" and "client-side source 'web'" in why
        # without the code the attacker cannot verify, so nothing is executed or delivered
        wrong = dpo.post(f"{base}/{request['id']}/verify", json={"token": "ATTACKER22"})
        assert wrong.status_code == 403
        assert dpo.post(f"{base}/{request['id']}/execute").status_code == 409
        assert dpo.get(f"{base}/{request['id']}/artefact", params={"format": "json"}).status_code == 404

        people = f"/api/v1/workspaces/{ws}/people"
        found = dpo.get(f"{people}/lookup", params={"kind": "user_id", "value": "cus_4711"}).json()
        [pid] = found["person_ids"]
        traits = dpo.get(f"{people}/{pid}").json()["traits"]
        assert (traits["email"]["value"], traits["email"]["trust"]) == (CUSTOMER["email"], "server")
        assert {(v["value"], v["trust"]) for v in traits["emails"]["values"]} == {
            (CUSTOMER["email"], "server"), (ATTACKER, "client")}  # kept, unverified, ranked after

        # the server-side source still proves the customer's address: their own request goes through
        own = dpo.post(base, json={"kind": "access", "identifier_kind": "email",
                                   "identifier": CUSTOMER["email"]})
        assert own.status_code == 201 and own.json()["status"] == "verification_sent", own.text
        [(_, recipient, body)] = resolve_and_read_outbox(fresh, own.json()["id"])
        code = re.search(r"code: (\w+)", body)
        assert recipient == CUSTOMER["email"] and code is not None
        assert dpo.post(f"{base}/{own.json()['id']}/verify", json={"token": code.group(1)}).status_code == 200
        assert dpo.post(f"{base}/{own.json()['id']}/execute").status_code == 200
        report = dpo.get(f"{base}/{own.json()['id']}/artefact", params={"format": "json"}).json()
        assert report["profile"]["traits"]["lastName"]["value"] == "Meier"


def test_an_address_only_a_public_key_claimed_verified_gets_no_code_at_all(fresh: Live) -> None:
    with fresh.collector() as web:
        accepted(web.post("/v1/identify", json=identify(
            "cus_0815", {"email": ATTACKER, "emailVerified": True, "lastName": "Kurz"},
            "2026-11-20T10:00:00Z")))
    resolve_and_read_outbox(fresh)
    with dsr_admin(fresh) as dpo:
        base = f"/api/v1/workspaces/{fresh.tenant.workspace}/dsr"
        opened = dpo.post(base, json={"kind": "access", "identifier_kind": "email", "identifier": ATTACKER})
        assert opened.status_code == 201, opened.text
        assert opened.json()["status"] == "rejected" and "no verified contact" in opened.json()["reason"]
        assert resolve_and_read_outbox(fresh, opened.json()["id"]) == []
