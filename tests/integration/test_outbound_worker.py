"""End to end: the real `frontoffice serve` (with its projection worker) delivers collected events to a
real local receiver by itself — those of people who allow the destination's purpose, signed — and
never those of people who do not. SQLite and PostgreSQL."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from pathlib import Path

import httpx
import pytest

from frontoffice.destinations.delivery import SIGNATURE_HEADER
from frontoffice.destinations.store import DestinationStore
from frontoffice.storage import open_store
from frontoffice.tenancy import service as tenancy
from tests.integration.test_outbound_destinations import Receiver, receiver
from tests.support.server import ServerProcess, make_tenant

pytestmark = pytest.mark.e2e
__all__ = ["receiver"]


def test_the_worker_delivers_allowed_events_and_records_refusals(database_url: str, tmp_path: Path,
                                                                 receiver: Receiver) -> None:
    tenant = make_tenant(database_url, "acme")
    store = open_store(database_url)
    try:
        _, admin = tenancy.create_token(store, tenant.workspace_id, "outbound-admin",
                                        ["destinations:admin", "consent:write"])
    finally:
        store.close()
    server = ServerProcess(database_url, tmp_path, serve_args=(),  # with the projection worker
                           env_extra={"FRONTOFFICE_DESTINATIONS_ALLOW_HOSTS": "127.0.0.1"})
    server.start()
    try:
        api = f"{server.url}/api/v1/workspaces/acme"
        auth = {"Authorization": f"Bearer {admin}"}
        created = httpx.post(f"{api}/destinations", headers=auth, timeout=10, json={
            "name": "partner", "url": receiver.url, "purpose": "sale_or_sharing",
            "event_types": ["track"]})
        assert created.status_code == 201, created.text
        secret = created.json()["secret"]
        r = httpx.post(f"{api}/consent", headers=auth, timeout=10, json={
            "subject": "user_id:eu-yes", "purposes": {"sale_or_sharing": "granted"}, "explicit": True})
        assert r.status_code == 200, r.text
        key = {"Authorization": "Basic " + base64.b64encode(f"{tenant.write_key}:".encode()).decode()}
        batch = []
        de, ca = {"address": {"country": "DE"}}, {"address": {"country": "US", "state": "CA"}}
        for user, traits in (("eu-yes", de), ("eu-no", de), ("ca-ok", ca), ("ca-gpc", ca)):
            gpc = {"context": {"gpc": True}} if user == "ca-gpc" else {}
            batch.append({"type": "identify", "userId": user, "traits": traits})
            batch.append({"type": "track", "userId": user, "event": "Order Completed",
                          "properties": {"total": 10}, **gpc})
        r = httpx.post(f"{server.url}/v1/batch", headers=key, json={"batch": batch}, timeout=10)
        assert r.status_code == 200, r.text

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not _settled(database_url, tenant.workspace_id):
            time.sleep(0.2)
        assert sorted(receiver.users()) == ["ca-ok", "eu-yes"]
        for headers, body in receiver.received:
            expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
            assert headers[SIGNATURE_HEADER.lower()] == expected
    finally:
        server.stop()
    store = open_store(database_url)
    try:
        dest = DestinationStore(store).require(tenant.workspace_id, "partner")
        refused = DestinationStore(store).deliveries(tenant.workspace_id, dest.id, "refused")
        assert sorted(r.rule for r in refused) == [
            "EU/sale_or_sharing/opt_in", "US-CA/sale_or_sharing/opt_out/gpc"]
    finally:
        store.close()


def _settled(database_url: str, ws: str) -> bool:
    """Every track event has an outcome (2 delivered + 2 refused)."""
    store = open_store(database_url)
    try:
        rows = store.query("SELECT count(*) FROM destination_deliveries WHERE workspace_id = ?", (ws,))
        return int(rows[0][0]) >= 4
    finally:
        store.close()
