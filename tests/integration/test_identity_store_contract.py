"""The contract of identity's ports: the same assertions on the fake (tests/fakes/identity.py) and on
the real stores (IdentitySql, PeopleSql) on SQLite and PostgreSQL, so the fake cannot drift."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import nullcontext
from pathlib import Path
from typing import Any

import orjson
import pytest

from frontoffice.identity.people_store import PeopleSql
from frontoffice.identity.ports import PersonRow, ProjectionBatch, RecordRow
from frontoffice.identity.store import IdentitySql
from frontoffice.projection.contract import ProjectionMoved
from frontoffice.storage import open_store
from tests.fakes.identity import FakeIdentity
from tests.support.pg import fresh_database

WS = "ws_contract"


class _Real:
    """The real adapters shaped like the fake: the projection's tables and their reads
    (``IdentitySql``), and ``people``, the People port (``PeopleSql``)."""

    def __init__(self, tables: IdentitySql, people: PeopleSql) -> None:
        self._tables, self.people = tables, people

    def __getattr__(self, name: str) -> Any:
        return getattr(self._tables, name)


@pytest.fixture(params=["fake", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def tables(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    if request.param == "fake":
        yield FakeIdentity()
        return
    if request.param == "sqlite":
        shutil.copyfile(request.getfixturevalue("sqlite_template"), tmp_path / "frontoffice.db")
        urls: Any = nullcontext(f"sqlite:///{tmp_path / 'frontoffice.db'}")
    else:
        urls = fresh_database(request.getfixturevalue("pg_server"),
                              template=request.getfixturevalue("pg_template"))
    with urls as url:
        store = open_store(url)
        store.upgrade()
        yield _Real(IdentitySql(store), PeopleSql(store))
        store.close()


def record(rid: str, seq: int, pid: str, *identifiers: tuple[str, str]) -> RecordRow:
    data = {"i": [list(i) for i in identifiers], "t": [], "n": None}
    return RecordRow(rid, seq, "src_web", f"2026-01-0{seq}T10:00:00Z", pid, orjson.dumps(data))


def person(pid: str, count: int, *identifiers: tuple[str, str]) -> PersonRow:
    golden = {"email": {"value": identifiers[0][1]}, "name": {"value": pid.removeprefix("p_").title()}}
    return PersonRow(pid, golden if identifiers else {}, count, "2026-01-01T10:00:00Z",
                     "2026-01-02T10:00:00Z", tuple(sorted(identifiers)))


ANN, BO = ("email", "ann@posteo.de"), ("email", "bo@posteo.de")


def two_people(t: Any) -> None:
    t.apply(WS, ProjectionBatch(
        last_seq=2, last_decision=0,
        records=[record("r1", 1, "p_ann", ANN), record("r2", 2, "p_bo", BO)],
        persons=[person("p_ann", 1, ANN), person("p_bo", 1, BO)],
        outbox=[("person.updated", "p_ann", {"person_id": "p_ann"})]), (0, 0))


def merge_bo_into_ann(t: Any) -> None:
    t.apply(WS, ProjectionBatch(
        last_seq=3, last_decision=0, moved=[("r2", "p_ann")], persons=[person("p_ann", 2, ANN, BO)],
        removed=["p_bo"], redirects=[("p_bo", "p_ann")],
        history=[("merged", "p_ann", ["p_bo"], {"rule": "manual", "detail": "", "weight": None})]), (2, 0))


def test_an_empty_projection_has_no_checkpoint_and_knows_nobody(tables: Any) -> None:
    assert tables.checkpoint(WS) == (0, 0)
    assert tables.resolve_id(WS, "p_ann") is None
    assert tables.records(WS) == [] and list(tables.iter_persons(WS)) == []


def test_a_batch_writes_records_persons_and_their_identifiers(tables: Any) -> None:
    two_people(tables)
    assert tables.checkpoint(WS) == (2, 0)
    assert [r.record_id for r in tables.records(WS)] == ["r1", "r2"]
    assert [r.record_id for r in tables.records(WS, after_seq=1)] == ["r2"]
    assert tables.person(WS, "p_ann") == ({"email": {"value": "ann@posteo.de"}, "name": {"value": "Ann"}},
                                          1, "2026-01-01T10:00:00Z", "2026-01-02T10:00:00Z")
    assert tables.lookup(WS, *ANN) == ["p_ann"] and tables.identifiers(WS, "p_bo") == [BO]
    assert [r.record_id for r in tables.person_records(WS, "p_bo")] == ["r2"]
    assert tables.persons_of(WS, ["r1", "r2", "r9"]) == {"r1": "p_ann", "r2": "p_bo"}
    assert tables.mapping(WS) == [("r1", "src_web", "p_ann"), ("r2", "src_web", "p_bo")]
    assert [p[0] for p in tables.iter_persons(WS)] == ["p_ann", "p_bo"]
    assert [(o["type"], o["person_id"]) for o in tables.outbox(WS)] == [("person.updated", "p_ann")]
    assert tables.resolve_id(WS, "p_bo") == "p_bo"


def test_a_batch_built_on_a_checkpoint_that_moved_writes_nothing(tables: Any) -> None:
    two_people(tables)
    with pytest.raises(ProjectionMoved):
        tables.apply(WS, ProjectionBatch(last_seq=5, last_decision=0,
                                         persons=[person("p_cy", 1, ("email", "cy@posteo.de"))]), (0, 0))
    with pytest.raises(ProjectionMoved):
        tables.apply(WS, ProjectionBatch(last_seq=5, last_decision=0), (1, 0))
    assert tables.checkpoint(WS) == (2, 0) and tables.person(WS, "p_cy") is None


def test_a_merge_leaves_a_redirect_and_moves_records_and_identifiers(tables: Any) -> None:
    two_people(tables)
    merge_bo_into_ann(tables)
    assert tables.resolve_id(WS, "p_bo") == "p_ann"
    assert tables.people.merged_ids(WS, ["p_ann"]) == {"p_ann": {"p_bo"}}
    assert tables.person(WS, "p_bo") is None
    assert tables.lookup(WS, *BO) == ["p_ann"] and tables.identifiers(WS, "p_ann") == [ANN, BO]
    assert tables.persons_of(WS, ["r2"]) == {"r2": "p_ann"}
    assert [(h["kind"], h["person_id"], h["others"]) for h in tables.history(WS, ["p_bo"])] == [
        ("merged", "p_ann", ["p_bo"])]


def test_redirects_are_followed_through_any_chain_and_a_loop_leads_to_nobody(tables: Any) -> None:
    two_people(tables)
    merge_bo_into_ann(tables)
    chain = [("p_old3", "p_old2"), ("p_old2", "p_old1"), ("p_old1", "p_bo"), ("p_x", "p_y"), ("p_y", "p_x")]
    tables.apply(WS, ProjectionBatch(last_seq=4, last_decision=0, redirects=chain), (3, 0))
    assert tables.resolve_id(WS, "p_old3") == tables.people.resolve_id(WS, "p_old3") == "p_ann"
    assert tables.resolve_id(WS, "p_x") is None and tables.resolve_id(WS, "p_never") is None
    assert tables.people.merged_ids(WS, ["p_ann"]) == {"p_ann": {"p_bo", "p_old1", "p_old2", "p_old3"}}


def test_a_person_written_again_drops_the_redirect_of_its_id(tables: Any) -> None:
    two_people(tables)
    merge_bo_into_ann(tables)
    tables.apply(WS, ProjectionBatch(last_seq=4, last_decision=0, moved=[("r2", "p_bo")],
                                     persons=[person("p_ann", 1, ANN), person("p_bo", 1, BO)]), (3, 0))
    assert tables.resolve_id(WS, "p_bo") == "p_bo"
    assert tables.people.merged_ids(WS, ["p_ann"]) == {"p_ann": set()}
    assert tables.lookup(WS, *BO) == ["p_bo"]


def test_a_reset_forgets_the_whole_projection(tables: Any) -> None:
    two_people(tables)
    merge_bo_into_ann(tables)
    tables.reset(WS)
    assert tables.checkpoint(WS) == (0, 0) and tables.records(WS) == []
    assert tables.resolve_id(WS, "p_bo") is None and tables.outbox(WS) == []
    two_people(tables)  # and starts again from the beginning
    assert tables.checkpoint(WS) == (2, 0)


def test_the_people_port_answers_other_capabilities_without_their_reading_identity_tables(
        tables: Any) -> None:
    two_people(tables)
    merge_bo_into_ann(tables)
    assert tables.people.identifiers(WS, ["p_ann", "p_bo"], ["email"]) == {"p_ann": [ANN, BO]}
    assert tables.people.identifiers(WS, ["p_ann"], ["phone"]) == {}
    assert tables.people.holders(WS, "email", ["bo@posteo.de", "cy@posteo.de"]) == {"bo@posteo.de": {"p_ann"}}
    assert tables.people.golden(WS, ["p_ann", "p_bo"]) == {
        "p_ann": {"email": {"value": "ann@posteo.de"}, "name": {"value": "Ann"}}}
    assert tables.people.of_events(WS, [1, 2, 7]) == {1: "p_ann", 2: "p_ann"}
    assert tables.people.record_ids(WS, ["p_ann"]) == {"r1", "r2"}
    assert tables.people.record_ids(WS, ["p_bo"]) == set()
    assert list(tables.people.names(WS)) == [("p_ann", "Ann", "")]
