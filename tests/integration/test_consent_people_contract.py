"""What consent asks identity's People port (identifiers, holders, changes): the same
assertions on the fake consent's unit tests use (tests/fakes/consent.py ``FakePeople``) and on the
real adapter over identity's projection, on SQLite and PostgreSQL."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from frontoffice.consent.ports import SUBJECT_ID_KINDS
from frontoffice.identity.hub import IdentityHub
from frontoffice.identity.people import People
from frontoffice.identity.people_store import PeopleSql
from frontoffice.identity.service import lookup
from frontoffice.storage import open_store
from tests.fakes.consent import FakePeople
from tests.integration.identity_support import brand
from tests.support.pg import fresh_database


@dataclass
class Merged:
    """Ann (user_id:ann) and her browser (anonymous_id:a-1) were two persons, then one."""

    people: People
    ws: str
    survivor: str
    absorbed: str


def _fake() -> Merged:
    people = FakePeople()
    people.add("ws_1", "p_ann", "user_id:ann")
    people.add("ws_1", "p_browser", "anonymous_id:a-1")
    people.merge("ws_1", "p_ann", "p_browser")
    return Merged(people, "ws_1", "p_ann", "p_browser")


def _real(url: str) -> Iterator[Merged]:
    store = open_store(url)
    try:
        b = brand(store)
        b.send("web", {"type": "identify", "userId": "ann", "messageId": "m1"},
               {"type": "page", "anonymousId": "a-1", "name": "Home", "messageId": "m2"})
        identity = IdentityHub(store)
        identity.catch_up(b.workspace_id)
        [ann], [browser] = lookup(store, b.workspace_id, "user_id", "ann"), lookup(store, b.workspace_id,
                                                                                   "anonymous_id", "a-1")
        assert ann != browser
        b.send("web", {"type": "identify", "userId": "ann", "anonymousId": "a-1", "messageId": "m3"})
        identity.catch_up(b.workspace_id)
        [survivor] = lookup(store, b.workspace_id, "user_id", "ann")
        yield Merged(PeopleSql(store), b.workspace_id, survivor, browser if survivor == ann else ann)
    finally:
        store.close()


@pytest.fixture(params=["fake", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def merged(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Merged]:
    if request.param == "fake":
        yield _fake()
    elif request.param == "sqlite":
        shutil.copyfile(request.getfixturevalue("sqlite_template"), tmp_path / "f.db")
        yield from _real(f"sqlite:///{tmp_path / 'f.db'}")
    else:
        with fresh_database(request.getfixturevalue("pg_server"),
                            template=request.getfixturevalue("pg_template")) as url:
            yield from _real(url)


def test_a_merged_person_holds_the_subject_keys_of_both(merged: Merged) -> None:
    found = merged.people.identifiers(merged.ws, [merged.survivor, merged.absorbed], SUBJECT_ID_KINDS)
    assert found == {merged.survivor: [("anonymous_id", "a-1"), ("user_id", "ann")]}
    assert merged.people.identifiers(merged.ws, [merged.survivor], ["user_id"]) == {
        merged.survivor: [("user_id", "ann")]}


def test_the_persons_holding_some_identifiers_are_found_at_once(merged: Merged) -> None:
    assert merged.people.holders(merged.ws, "user_id", ["ann", "nobody"]) == {"ann": {merged.survivor}}
    assert merged.people.holders(merged.ws, "anonymous_id", ["a-1"]) == {"a-1": {merged.survivor}}
    assert merged.people.holders(merged.ws, "email", ["nobody@example.com"]) == {}


def test_the_merge_is_in_the_changes_after_the_last_one_read(merged: Merged) -> None:
    changes = merged.people.changes(merged.ws, 0, 1000)
    assert [c.id for c in changes] == sorted(c.id for c in changes)
    [merge] = [c for c in changes if c.type == "person.merged"]
    assert merge.person_id == merged.survivor and merged.absorbed in merge.payload["merged"]
    assert merged.people.changes(merged.ws, changes[-1].id, 1000) == []
    assert merged.people.changes(merged.ws, 0, 1) == changes[:1]
