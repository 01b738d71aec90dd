"""Secrets kept for others — commerce webhook secrets, destination signing secrets — are sealed
under the master key: their bytes are in no database file (SQLite file and WAL) and in no raw
column (PostgreSQL), yet webhooks still verify and deliveries still sign. Secrets a former
version stored in plain text keep working and are sealed when first read."""

from __future__ import annotations

from pathlib import Path

import pytest

from frontoffice.commerce.records import sign, signature_refusal
from frontoffice.commerce.store import CommerceStore
from frontoffice.destinations.store import DestinationStore
from frontoffice.storage import open_store
from frontoffice.storage.sealed_secrets import PREFIX
from frontoffice.storage.sql import SqlStore
from frontoffice.tenancy import service as tenancy
from frontoffice.vault.keys import WrongMasterKey, generate_master_key

WEBHOOK_SECRET = "whsec-Plain-Text-Must-Not-Leak-8d2f41"
BODY = b'[{"event_id": "e1"}]'


def _on_disk(database_url: str) -> bytes:
    """Every byte SQLite keeps for the database: the main file and its write-ahead log."""
    path = Path(database_url.removeprefix("sqlite:///"))
    return b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())


def _assert_nowhere(store: SqlStore, database_url: str, secret: str, column_sql: str) -> None:
    [(raw,)] = store.query(column_sql)
    assert secret not in str(raw) and str(raw).startswith(PREFIX)
    if store.dialect == "sqlite":
        assert secret.encode() not in _on_disk(database_url)


def _shop(store: SqlStore) -> tuple[str, str]:
    ws = tenancy.create_workspace(store, "acme")
    source, _ = tenancy.create_source(store, ws.id, "shop", "commerce")
    return ws.id, source.id


def test_a_webhook_secret_is_in_no_database_byte_and_still_verifies_signatures(
        store: SqlStore, database_url: str) -> None:
    ws, shop = _shop(store)
    CommerceStore(store).set_secret(ws, shop, WEBHOOK_SECRET)

    _assert_nowhere(store, database_url, WEBHOOK_SECRET, "SELECT secret FROM commerce_secrets")
    again = open_store(database_url)  # another process, same master key
    try:
        secret = CommerceStore(again).secret(shop)
    finally:
        again.close()
    assert secret == WEBHOOK_SECRET
    assert signature_refusal(secret, sign(WEBHOOK_SECRET, BODY), BODY) is None
    assert signature_refusal(secret, sign("guess", BODY), BODY) is not None


def test_a_destination_signing_secret_is_in_no_database_byte_and_still_signs(
        store: SqlStore, database_url: str) -> None:
    ws, _ = _shop(store)
    created = DestinationStore(store).create(ws, "crm", "https://hooks.example.com/in", "analytics")

    _assert_nowhere(store, database_url, created.secret, "SELECT secret FROM destinations")
    again = open_store(database_url)
    try:
        [listed] = DestinationStore(again).all(ws)
    finally:
        again.close()
    assert listed.secret == created.secret
    assert sign(listed.secret, BODY) == sign(created.secret, BODY)


def test_secrets_a_former_version_stored_in_plain_text_still_work_and_get_sealed(store: SqlStore) -> None:
    ws, shop = _shop(store)
    cs, destinations = CommerceStore(store), DestinationStore(store)
    cs.set_secret(ws, shop, "placeholder")
    dest = destinations.create(ws, "crm", "https://hooks.example.com/in", "analytics")
    store.execute("UPDATE commerce_secrets SET secret = ?", (WEBHOOK_SECRET,))
    store.execute("UPDATE destinations SET secret = ?", ("plain-signing-secret",))

    assert cs.secret(shop) == WEBHOOK_SECRET
    assert destinations.require(ws, dest.id).secret == "plain-signing-secret"

    # The columns are sealed now (older copies of the pages may linger in the WAL until it is
    # reused: rotating a secret that was ever stored in plain text is the advice).
    for table in ("commerce_secrets", "destinations"):
        [(sealed,)] = store.query(f"SELECT secret FROM {table}")
        assert str(sealed).startswith(PREFIX), table
    assert cs.secret(shop) == WEBHOOK_SECRET
    assert destinations.require(ws, dest.id).secret == "plain-signing-secret"


def test_a_sealed_secret_under_another_master_key_is_refused_with_what_to_do(
        store: SqlStore, database_url: str) -> None:
    ws, shop = _shop(store)
    CommerceStore(store).set_secret(ws, shop, WEBHOOK_SECRET)
    other = open_store(database_url)
    other.use_master_key(generate_master_key())
    try:
        with pytest.raises(WrongMasterKey, match="Restore the right key"):
            CommerceStore(other).secret(shop)
    finally:
        other.close()


def test_a_sealed_secret_copied_to_another_row_does_not_open(store: SqlStore) -> None:
    ws, shop = _shop(store)
    other, _ = tenancy.create_source(store, ws, "shop-2", "commerce")
    cs = CommerceStore(store)
    cs.set_secret(ws, shop, WEBHOOK_SECRET)
    cs.set_secret(ws, other.id, "the other secret")
    [(sealed,)] = store.query("SELECT secret FROM commerce_secrets WHERE source_id = ?", (shop,))
    store.execute("UPDATE commerce_secrets SET secret = ? WHERE source_id = ?", (sealed, other.id))
    with pytest.raises(WrongMasterKey):
        cs.secret(other.id)
