"""An erased person stays erased: late events over the HTTP collector (the app in-process, its
writer committing them) are dropped by the suppression list, and a replay of the batch or a
re-import of the original CSV finds only duplicates (the events are in the log, sealed under a
shredded key): nobody is re-created (SQLite, PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from frontoffice.bulk.importer import ImportJob, import_file
from frontoffice.bulk.mapping import load_mapping
from frontoffice.domain.events import Limits
from frontoffice.identity import service as identity
from frontoffice.identity.hub import IdentityHub
from frontoffice.settings import Settings
from frontoffice.storage import open_store
from frontoffice.tenancy import service as tenancy
from frontoffice.vault.keys import generate_master_key
from frontoffice.vault.rows import SUPPRESSED_REASON
from tests.integration.conftest import Api, basic, bearer

pytestmark = pytest.mark.anyio
LIMITS = Limits(Settings().max_event_bytes, Settings().max_json_depth)
CRM_MAP = """\
type: identify
message_id: {column: row_id}
user_id: {column: customer_no}
timestamp: {column: updated_at}
traits: {email: {column: mail}, phone: {column: phone}, firstName: {column: first}}
"""
CRM_CSV = (
    "row_id,customer_no,mail,phone,first,updated_at\n"
    "c1,cus_ann_4711,annegret.zwirbel@posteo.de,+49 151 40371958,Annegret,2026-01-01T08:00:00Z\n"
    "c2,cus_bo_1,bodil.keeperson@web.de,+49 160 5550123,Bodil,2026-01-01T08:00:00Z\n"
)


def _ann(mid: str, **extra: Any) -> dict[str, Any]:
    return {"type": "identify", "messageId": mid, "userId": "cus_ann_4711", "anonymousId": "anon-ann-93",
            "timestamp": "2026-01-02T10:00:00Z",
            "traits": {"email": "annegret.zwirbel@posteo.de", "firstName": "Annegret"}, **extra}


def _bo(mid: str) -> dict[str, Any]:
    return {"type": "track", "messageId": mid, "userId": "cus_bo_1", "event": "Viewed",
            "timestamp": "2026-01-02T11:00:00Z"}


@pytest.fixture(autouse=True)
def master_key(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """One master key for the app and the test's own store (set before either opens)."""
    monkeypatch.setenv("FRONTOFFICE_MASTER_KEY", generate_master_key())
    yield


def _tenant(api: Api) -> tuple[str, dict[str, str], dict[str, str]]:
    """Workspace "shop" with a web source: its id, the source's write-key header and a
    privacy admin's bearer header."""
    ws = api.workspace("shop")
    _, write_key = tenancy.create_source(api.container.store, ws.id, "web", "web")
    return ws.id, basic(write_key), bearer(api.token(ws.id, "privacy:admin"))


def _import(store: Any, ws: str, source: str, folder: Path, name: str) -> Any:
    path = folder / name
    path.write_text(CRM_CSV, encoding="utf-8")
    mapping_path = folder / "crm.map.yaml"
    mapping_path.write_text(CRM_MAP, encoding="utf-8")
    return import_file(store, ImportJob(path, ws, source, load_mapping(mapping_path), LIMITS))


async def test_late_events_and_a_reimport_do_not_bring_an_erased_person_back(
        api: Api, database_url: str, tmp_path: Path) -> None:
    ws, write, privacy = _tenant(api)
    store = open_store(database_url)
    crm, _ = tenancy.create_source(store, ws, "crm", "import")
    first_import = _import(store, ws, crm.id, tmp_path, "crm.csv")
    assert first_import.imported == 2
    batch = {"batch": [_ann("h1"), _ann("h2", type="track", event="Viewed"), _bo("h3")]}
    sent = await api.client.post("/v1/batch", json=batch, headers=write)
    assert sent.status_code == 200 and sent.json()["accepted"] == 3

    IdentityHub(store).catch_up(ws)
    [ann] = identity.lookup(store, ws, "email", "annegret.zwirbel@posteo.de")
    erased = await api.client.post(f"/api/v1/workspaces/shop/persons/{ann}/erasure",
                                   json={"reason": "art. 17 request 42"}, headers=privacy)
    assert erased.status_code == 200, erased.text
    # one subject key (every event had her userId), sealing the CSV row and both events
    assert (erased.json()["subjects_shredded"], erased.json()["events_shredded"]) == (1, 3)
    assert erased.json()["person_id"] == ann
    events_after_erasure = store.count_events(ws)

    # The same batch again, plus Ann under a new device id, and Bo's new event.
    late = {"batch": [*batch["batch"], _ann("h4", userId=None, anonymousId="new-device"), _bo("h5")]}
    again = await api.client.post("/v1/batch", json=late, headers=write)
    assert again.status_code == 200
    body = again.json()
    # h5 new; h1, h2 and h3 were stored before (a replay is a duplicate, erased or not); Ann's
    # h4 dropped, answered like an accepted event: the public write key learns nothing of
    # the erasure (the drop is recorded below).
    assert (body["accepted"], body["duplicates"], body["rejected"]) == (2, 3, [])
    reimport = _import(store, ws, crm.id, tmp_path, "crm-again.csv")
    # both rows are already in the log (Ann's sealed under her shredded key): nothing new
    assert (reimport.suppressed, reimport.imported, reimport.already_stored) == (0, 0, 2)
    assert reimport.balanced
    assert store.count_events(ws) == events_after_erasure + 1  # h5

    IdentityHub(store).catch_up(ws)
    for kind, value in (("email", "annegret.zwirbel@posteo.de"), ("user_id", "cus_ann_4711"),
                        ("anonymous_id", "new-device"), ("anonymous_id", "anon-ann-93")):
        assert identity.lookup(store, ws, kind, value) == [], (kind, value)
    assert identity.lookup(store, ws, "user_id", "cus_bo_1")
    drops = store.query("SELECT message_id, reason FROM privacy_suppressed_events "
                        "WHERE workspace_id = ? ORDER BY id", (ws,))
    assert [r[0] for r in drops] == ["h4"]
    assert {r[1] for r in drops} == {SUPPRESSED_REASON}
    logged = store.query("SELECT person_id, reason, rows_purged FROM privacy_erasures")
    assert [(r[0], r[1]) for r in logged] == [(ann, "art. 17 request 42")]
    assert "annegret" not in str(logged).lower()
    store.close()


def _variant(mid: str, anonymous_id: str | None = None, user_id: str | None = None,
             **traits: Any) -> dict[str, Any]:
    event: dict[str, Any] = {"type": "identify", "messageId": mid, "timestamp": "2026-01-03T10:00:00Z",
                             "anonymousId": anonymous_id, "traits": traits}
    if user_id:
        event["userId"] = user_id
    return event


async def test_unicode_and_provider_variants_of_an_erased_persons_identifiers_recreate_nobody(
        api: Api, database_url: str) -> None:
    ws, write, privacy = _tenant(api)
    store = open_store(database_url)
    ann = {"type": "identify", "messageId": "a1", "userId": "cus_ann_4711", "anonymousId": "anon-ann-93",
           "timestamp": "2026-01-02T10:00:00Z",
           "traits": {"email": "annegret.zwirbel@gmail.com", "phone": "+49 151 40371958",
                      "address": {"country": "DE"}}}
    first = await api.client.post("/v1/batch", json={"batch": [ann]}, headers=write)
    assert first.status_code == 200
    IdentityHub(store).catch_up(ws)
    [pid] = identity.lookup(store, ws, "email", "annegret.zwirbel@gmail.com")
    erased = await api.client.post(f"/api/v1/workspaces/shop/persons/{pid}/erasure",
                                   json={"reason": "art. 17"}, headers=privacy)
    assert erased.status_code == 200, erased.text

    variants = [
        _variant("v1", "fresh-1", email="ＡＮＮＥＧＲＥＴ.zwirbel＠gmail.com"),
        _variant("v2", "fresh-2", email=" Annegret.Zwirbel+news@GoogleMail.com"),
        _variant("v3", "fresh-3", email="a.n.n.e.g.r.e.t.z.w.i.r.b.e.l@gmail.com"),
        _variant("v4", "fresh-4", phone="０１５１ ４０３７ １９５８", address={"country": "DE"}),
        _variant("v5", "fresh-5", phone="0049-151-40371958"),
        _variant("v6", "fresh-6", phone="(0151) 403 719 58", address={"country": "de"}),
        _variant("v7", user_id="ｃｕｓ＿ａｎｎ＿４７１１"),
        _variant("v8", "ａｎｏｎ－ａｎｎ－９３"),
    ]
    sent = await api.client.post("/v1/batch", json={"batch": variants}, headers=write)
    assert sent.status_code == 200, sent.text
    assert (sent.json()["accepted"], sent.json()["rejected"]) == (len(variants), [])
    drops = store.query("SELECT message_id FROM privacy_suppressed_events WHERE workspace_id = ?", (ws,))
    assert sorted(r[0] for r in drops) == [v["messageId"] for v in variants]
    IdentityHub(store).catch_up(ws)
    assert store.query("SELECT count(*) FROM identity_persons WHERE workspace_id = ?", (ws,))[0][0] == 0
    for kind, value in (("email", "annegret.zwirbel@gmail.com"), ("phone", "+4915140371958"),
                        ("user_id", "cus_ann_4711"), ("anonymous_id", "anon-ann-93")):
        assert identity.lookup(store, ws, kind, value) == [], (kind, value)
    store.close()
