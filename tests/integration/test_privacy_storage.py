"""The event log seals personal data at rest and reads it back transparently (SQLite, PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from frontoffice.consent import service as consent
from frontoffice.consent.store import ConsentStore
from frontoffice.domain.events import EventRecord
from frontoffice.identity import service as identity
from frontoffice.identity.hub import IdentityHub
from frontoffice.identity.people_store import PeopleSql
from frontoffice.privacy.erasure import erase_person
from frontoffice.storage.port import AppendBatch
from frontoffice.storage.sql import SqlStore
from frontoffice.tenancy import service as tenancy
from frontoffice.vault.sealing import TamperedRow
from tests.integration.identity_support import Brand, identify


def _brand(store: SqlStore) -> Brand:
    ws = tenancy.create_workspace(store, "shop")
    web, _ = tenancy.create_source(store, ws.id, "web", "web")
    return Brand(store, ws.id, {"web": web.id})


def test_payload_and_ids_are_sealed_in_the_table_and_read_back_unchanged(store: SqlStore) -> None:
    b = _brand(store)
    b.send("web", identify("m1", "2026-01-01T10:00:00Z", user="ann@posteo.de", anon="dev-1",
                           email="ann@posteo.de", firstName="Annegret"))
    [row] = store.query("SELECT user_id, anonymous_id, payload, subject_hash FROM events")
    assert b"ann@posteo.de" not in bytes(row[2]) and b"Annegret" not in bytes(row[2])
    assert "ann" not in str(row[0]) and "dev" not in str(row[1]) and row[3]
    [event] = store.events(b.workspace_id)
    assert (event.record.user_id, event.record.anonymous_id) == ("ann@posteo.de", "dev-1")
    assert b'"firstName":"Annegret"' in event.record.payload
    assert store.event(b.workspace_id, b.sources["web"], "m1") == event
    assert store.events_at(b.workspace_id, [event.seq]) == [event]


def test_a_tampered_row_is_refused_on_read_not_returned(store: SqlStore) -> None:
    b = _brand(store)
    b.send("web", identify("m1", "2026-01-01T10:00:00Z", user="cus_1", email="ann@posteo.de"))
    [(seq, payload)] = store.query("SELECT seq, payload FROM events")
    changed = bytearray(bytes(payload))
    changed[20] ^= 0xFF
    store.execute("UPDATE events SET payload = ? WHERE seq = ?", (bytes(changed), seq))
    with pytest.raises(TamperedRow, match="fails authentication"):
        store.events(b.workspace_id)


def test_rows_about_nobody_and_rows_written_before_sealing_read_as_stored(store: SqlStore) -> None:
    b = _brand(store)
    legacy = EventRecord("old", "tracking", "track", "x", "cus_9", None, None, None,
                         "2026-01-01T00:00:00.000Z", None, None, "2026-01-01T00:00:00.000Z",
                         b'{"userId":"cus_9"}')
    store.execute("INSERT INTO events (workspace_id, source_id, message_id, family, type, event, "
                  "user_id, timestamp, received_at, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                  (b.workspace_id, b.sources["web"], "old", "tracking", "track", "x", "cus_9",
                   legacy.timestamp, legacy.received_at, legacy.payload))
    stock = EventRecord("s1", "commerce", "inventory.adjusted", None, None, None, None, None,
                        "2026-01-01T00:00:00.000Z", None, None, "2026-01-01T00:00:00.000Z", b'{"sku":"A"}')
    store.append([AppendBatch(b.workspace_id, b.sources["web"], [stock])])
    assert [e.record for e in store.events(b.workspace_id)] == [legacy, stock]
    assert store.query("SELECT count(*) FROM events WHERE subject_hash IS NULL")[0][0] == 2


def test_the_consent_ledger_keeps_a_hashed_subject_and_still_answers_by_subject(store: SqlStore) -> None:
    b = _brand(store)
    hub = consent.ConsentHub.of(store)
    at = datetime(2026, 1, 1, tzinfo=UTC)
    capture = consent.Capture("email:ann@posteo.de", {"marketing_email": True})
    consent.record(store, hub, b.workspace_id, capture, at)
    subjects = [r[0] for r in store.query("SELECT subject FROM consent_ledger")]
    assert subjects and all(s.startswith("h:") and "ann" not in s for s in subjects)
    [row] = ConsentStore(store).ledger(b.workspace_id, "email:ann@posteo.de")
    assert row.change.person_key == "email:ann@posteo.de" and row.change.status == "granted"
    ledger = ConsentStore(store).ledger(b.workspace_id)
    assert [r.change.person_key for r in ledger] == ["email:ann@posteo.de"]
    assert consent.subject_consent(store, b.workspace_id, "email:ann@posteo.de").state.current


def test_erasing_rewrites_the_persons_rows_stored_in_clear_before_sealing_as_tombstones(
        store: SqlStore) -> None:
    b = _brand(store)
    payload = b'{"type":"identify","userId":"cus_9","traits":{"email":"old@posteo.de"}}'
    for mid, user in (("old", "cus_9"), ("other", "cus_10")):
        store.execute("INSERT INTO events (workspace_id, source_id, message_id, family, type, user_id, "
                      "timestamp, received_at, payload) VALUES (?, ?, ?, 'tracking', 'identify', ?, ?, ?, ?)",
                      (b.workspace_id, b.sources["web"], mid, user, "2026-01-01T00:00:00.000Z",
                       "2026-01-01T00:00:00.000Z", payload.replace(b"cus_9", user.encode())))
    IdentityHub(store).catch_up(b.workspace_id)
    [person] = identity.lookup(store, b.workspace_id, "user_id", "cus_9")
    report = erase_person(store, b.workspace_id, person, people=PeopleSql(store), reason="t",
                          requested_by="t", now=datetime(2026, 2, 1, tzinfo=UTC))
    assert report.rows_purged["events"] == 1
    old, other = store.events(b.workspace_id)
    assert (old.record.family, old.record.user_id, old.record.payload) == ("erased", None, b'{"erased":true}')
    assert other.record.user_id == "cus_10"


def _batch(b: Brand, message_id: str, user: str) -> AppendBatch:
    from frontoffice.domain.events import Limits, normalise_batch, now

    records, rejected = normalise_batch([identify(message_id, "2026-01-01T10:00:00Z", user=user,
                                                  email=f"{user}@posteo.de")],
                                        batch={}, forced_type=None, source_id=b.sources["web"],
                                        received_at=now(), limits=Limits(32_768, 32))
    assert not rejected
    return AppendBatch(b.workspace_id, b.sources["web"], records)


def _key(store: SqlStore, b: Brand) -> list[bytes]:
    return [bytes(r[0]) for r in store.query("SELECT wrapped_key FROM privacy_subject_keys "
                                             "WHERE workspace_id = ?", (b.workspace_id,))]


def test_a_draft_sealed_under_a_new_key_is_resealed_when_another_appender_stored_one_first(
        store: SqlStore) -> None:
    b = _brand(store)
    drafts = store.draft([_batch(b, "m1", "cus_1")])  # sealed outside the lock, key not stored
    store.append([_batch(b, "m2", "cus_1")])  # another appender stores cus_1's key meanwhile
    [winner] = _key(store, b)
    assert drafts[0][1].wrapped != {} and winner not in drafts[0][1].wrapped.values()
    assert store.append_drafts(drafts)[0].inserted == 1
    assert _key(store, b) == [winner]  # one key per subject, the first stored
    assert {e.record.message_id: e.record.user_id for e in store.events(b.workspace_id)} == {
        "m1": "cus_1", "m2": "cus_1"}


def test_a_draft_whose_key_was_shredded_meanwhile_is_sealed_under_a_key_the_database_holds(
        store: SqlStore) -> None:
    b = _brand(store)
    store.append([_batch(b, "m1", "cus_1")])
    [before] = _key(store, b)
    drafts = store.draft([_batch(b, "m2", "cus_1")])  # sealed under the stored key
    assert before in drafts[0][1].wrapped.values() and not drafts[0][1].fresh
    with store.transaction() as cur:
        store.vault.shred(cur, store.sql, b.workspace_id, set(drafts[0][1].wrapped))
    store.append_drafts(drafts)
    [after] = _key(store, b)
    assert after != before
    stored = store.event(b.workspace_id, b.sources["web"], "m2")
    assert stored is not None and stored.record.user_id == "cus_1"  # not sealed under the lost key


def test_a_key_stored_by_a_rolled_back_append_is_not_trusted_later(
        store: SqlStore, monkeypatch: pytest.MonkeyPatch) -> None:
    b = _brand(store)
    dialect = store._dialect
    real = dialect.insert_events

    def failing(*args: object, **kwargs: object) -> int:
        raise RuntimeError("disk full")

    monkeypatch.setattr(dialect, "insert_events", failing)
    with pytest.raises(RuntimeError):
        store.append([_batch(b, "m1", "cus_1")])  # the key was stored, then rolled back
    monkeypatch.setattr(dialect, "insert_events", real)
    assert _key(store, b) == []
    store.append([_batch(b, "m2", "cus_1")])
    assert len(_key(store, b)) == 1
    stored = store.event(b.workspace_id, b.sources["web"], "m2")
    assert stored is not None and stored.record.user_id == "cus_1"


def test_erasure_shreds_a_receipt_whose_user_id_the_graph_knows_as_a_loyalty_card(store: SqlStore) -> None:
    """A store receipt imported with the loyalty card number as its userId: the graph indexes it
    as a loyalty id, the event is sealed under the user id's key. Erasing the person must still
    shred that key (found through the person's own records)."""
    b = _brand(store)
    b.send("web", identify("w1", "2026-01-01T10:00:00Z", user="cus_ji", email="jiseo@nate.com",
                           name="Ji-seo Kim"))
    b.send("web", identify("R01-1", "2026-01-02T10:00:00Z", user="LY8864017996", anon="R01-1",
                           email="jiseo@nate.com", loyaltyId="LY8864017996", phone="010-7713-5794",
                           name="김지서"))
    IdentityHub(store).catch_up(b.workspace_id)
    [person] = identity.lookup(store, b.workspace_id, "email", "jiseo@nate.com")
    assert identity.lookup(store, b.workspace_id, "loyalty_id", "LY8864017996") == [person]
    erase_person(store, b.workspace_id, person, people=PeopleSql(store), reason="t", requested_by="t",
                 now=datetime(2026, 2, 1, tzinfo=UTC))
    assert {e.record.message_id: e.record.family for e in store.events(b.workspace_id)} == {
        "w1": "erased", "R01-1": "erased"}


def test_a_running_projector_forgets_an_erased_person_and_never_writes_them_back(store: SqlStore) -> None:
    from frontoffice.identity.ports import ErasedMeanwhile, ProjectionBatch
    from frontoffice.identity.projector import Projector
    from frontoffice.identity.store import IdentitySql

    b = _brand(store)
    b.send("web", identify("a1", "2026-01-01T10:00:00Z", user="cus_ann", email="ann@posteo.de"))
    b.send("web", identify("b1", "2026-01-01T11:00:00Z", user="cus_bo", email="bo@posteo.de"))
    worker = Projector(store, IdentitySql(store), b.workspace_id)  # long-lived, like the worker
    worker.catch_up()
    assert f"{b.sources['web']}:a1" in worker.records
    [ann] = identity.lookup(store, b.workspace_id, "email", "ann@posteo.de")
    erase_person(store, b.workspace_id, ann, people=PeopleSql(store), reason="t", requested_by="t",
                 now=datetime(2026, 2, 1, tzinfo=UTC))
    with pytest.raises(ErasedMeanwhile):  # a flush prepared before the erasure writes nothing
        IdentitySql(store).apply(b.workspace_id, ProjectionBatch(last_seq=99, last_decision=0),
                                 worker._persisted, worker._epoch)
    b.send("web", identify("b2", "2026-01-02T11:00:00Z", user="cus_bo", email="bo@posteo.de"))
    worker.catch_up()
    assert f"{b.sources['web']}:a1" not in worker.records  # reloaded: her record left memory too
    assert identity.lookup(store, b.workspace_id, "email", "ann@posteo.de") == []
    [bo] = identity.lookup(store, b.workspace_id, "email", "bo@posteo.de")
    assert len(worker.graph.members(bo)) == 2
