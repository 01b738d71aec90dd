"""Erasure of a person whose ids were merged twice (A into B, then B into C), asked by A's id:
every id of the chain is found, and everything of all three is erased (SQLite, PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime

from frontoffice.consent import capability as consent
from frontoffice.identity import capability as identity_capability
from frontoffice.identity import service as identity
from frontoffice.identity.hub import IdentityHub
from frontoffice.identity.people_store import PeopleSql
from frontoffice.identity.rules import person_id_for
from frontoffice.privacy.erasure import erase_person
from frontoffice.storage.sql import SqlStore
from frontoffice.vault.sealing import ERASED_FAMILY
from tests.integration.identity_support import brand, identify

AT = datetime(2026, 3, 1, tzinfo=UTC)
IDENTIFIERS = (("user_id", "cus_cleo_7"), ("email", "cleo.ravensberg@posteo.de"),
               ("anonymous_id", "dev-bea-2"), ("email", "bea.lindqvist@posteo.de"),
               ("anonymous_id", "dev-ada-3"))


def _chain(store: SqlStore) -> tuple[str, str, str, str]:
    """Three people (C oldest, then B, then A), then A merged into B, then B merged into C."""
    b = brand(store)
    hub = IdentityHub(store)
    b.send("web", identify("c1", "2026-01-01T10:00:00Z", user="cus_cleo_7",
                           email="cleo.ravensberg@posteo.de"))
    b.send("app", identify("b1", "2026-01-02T10:00:00Z", anon="dev-bea-2",
                           email="bea.lindqvist@posteo.de"))
    b.send("app", identify("a1", "2026-01-03T10:00:00Z", anon="dev-ada-3"))
    hub.catch_up(b.workspace_id)
    c, bea, a = (person_id_for(b.rid(s, m)) for s, m in (("web", "c1"), ("app", "b1"), ("app", "a1")))
    assert len({c, bea, a}) == 3
    b.send("app", identify("a2", "2026-01-04T10:00:00Z", anon="dev-ada-3", email="bea.lindqvist@posteo.de"))
    hub.catch_up(b.workspace_id)
    assert identity.find(store, b.workspace_id, a) == bea  # A merged into B
    b.send("app", identify("b2", "2026-01-05T10:00:00Z", user="cus_cleo_7", anon="dev-bea-2"))
    hub.catch_up(b.workspace_id)
    assert identity.find(store, b.workspace_id, bea) == c  # B merged into C
    return b.workspace_id, a, bea, c


def test_an_id_merged_twice_resolves_through_the_whole_chain(store: SqlStore) -> None:
    ws, a, bea, c = _chain(store)
    people = PeopleSql(store)
    assert people.resolve_id(ws, a) == c
    assert people.merged_ids(ws, [c]) == {c: {a, bea}}
    assert people.resolve_id(ws, "p_0000000000000000") is None


def test_erasing_a_person_merged_twice_by_their_oldest_id_erases_everything(store: SqlStore) -> None:
    ws, a, bea, c = _chain(store)
    report = erase_person(store, ws, a, people=PeopleSql(store), reason="art. 17", requested_by="dpo", now=AT)
    assert report.person_id == c
    for table, column in (*identity_capability.BY_PERSON, *consent.BY_PERSON,
                          ("identity_redirects", "old_person_id")):
        left = store.query(f"SELECT {column} FROM {table} WHERE workspace_id = ?", (ws,))
        assert not {r[0] for r in left} & {a, bea, c}, table
    assert store.query("SELECT count(*) FROM identity_records WHERE workspace_id = ?", (ws,))[0][0] == 0
    assert store.query("SELECT count(*) FROM privacy_subject_keys WHERE workspace_id = ?", (ws,))[0][0] == 0
    assert {e.record.family for e in store.events(ws)} == {ERASED_FAMILY}
    wanted = {f"{kind}:{value}" for kind, value in IDENTIFIERS}
    assert store.suppressed_identifiers(ws, wanted) == wanted
    for kind, value in IDENTIFIERS:
        assert identity.lookup(store, ws, kind, value) == [], (kind, value)


def test_a_loop_of_redirects_leads_to_nobody_instead_of_hanging(store: SqlStore) -> None:
    ws = brand(store).workspace_id
    for old, into in (("p_loop_a", "p_loop_b"), ("p_loop_b", "p_loop_a")):
        store.execute("INSERT INTO identity_redirects (workspace_id, old_person_id, person_id) "
                      "VALUES (?, ?, ?)", (ws, old, into))
    people = PeopleSql(store)
    assert people.resolve_id(ws, "p_loop_a") is None
    assert people.merged_ids(ws, ["p_loop_a"]) == {"p_loop_a": {"p_loop_b"}}
