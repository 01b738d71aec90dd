"""A person's merge and split, run on identity's fakes (the log, the tables, a hub): the same rules
tests/integration/test_identity_projection.py checks on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from frontoffice.domain.events import Limits, normalise_batch
from frontoffice.errors import InvalidInput
from frontoffice.identity import service
from frontoffice.identity.projector import Projector
from frontoffice.storage.port import AppendBatch
from tests.fakes.identity import FakeHub, FakeIdentity, FakeLog

WS, WEB = "ws_1", "src_web"


class World:
    def __init__(self) -> None:
        self.log, self.tables = FakeLog(), FakeIdentity()
        self.hub = FakeHub(self.log, self.tables)

    def send(self, mid: str, **traits: Any) -> str:
        """An identify event of ``traits``; the id of the person its record joined."""
        event = {"type": "identify", "messageId": mid, "anonymousId": f"anon-{mid}",
                 "timestamp": "2026-01-01T10:00:00Z", "traits": traits}
        accepted, rejected = normalise_batch([event], batch={}, forced_type=None, source_id=WEB,
                                      received_at=datetime.now(UTC),
                                      limits=Limits(max_event_bytes=32_768, max_json_depth=32))
        assert not rejected, rejected
        self.log.append([AppendBatch(WS, WEB, accepted)])
        self.hub.catch_up(WS)
        return self.person_of(mid)

    def person_of(self, mid: str) -> str:
        return self.tables.persons_of(WS, [f"{WEB}:{mid}"])[f"{WEB}:{mid}"]

    def merge(self, a: str, b: str) -> str:
        return service.merge(self.log, self.hub, WS, a, b, "the same customer")

    def people(self) -> tuple[list[Any], list[tuple[str, str, str]]]:
        return list(self.tables.iter_persons(WS)), self.tables.mapping(WS)


def test_a_merge_makes_two_people_one_and_the_absorbed_id_resolves_to_the_survivor() -> None:
    w = World()
    ann, bo = w.send("a1", email="ann@posteo.de"), w.send("b1", email="bo@posteo.de")
    survivor = w.merge(bo, ann)
    absorbed = ({ann, bo} - {survivor}).pop()
    assert survivor == ann  # the person of the oldest record keeps its id
    assert [pid for pid, *_ in w.tables.iter_persons(WS)] == [ann]
    assert w.tables.resolve_id(WS, absorbed) == survivor
    assert w.tables.lookup(WS, "email", "bo@posteo.de") == [survivor]
    merged = [o for o in w.tables.outbox(WS) if o["type"] == "person.merged"]
    assert [(o["person_id"], o["payload"]["merged"]) for o in merged] == [(survivor, [absorbed])]


def test_merging_a_person_with_themself_changes_nothing() -> None:
    w = World()
    ann = w.send("a1", email="ann@posteo.de")
    before = w.people()
    assert w.merge(ann, ann) == ann
    assert w.people() == before


def test_a_split_takes_the_named_records_off_into_a_person_of_their_own() -> None:
    w = World()
    ann = w.send("a1", email="ann@posteo.de", phone="+49 30 1234567")
    assert w.send("a2", email="ann@posteo.de") == ann
    ids = service.split(w.log, w.hub, WS, ann, [f"{WEB}:a2"], "a store customer, not Ann")
    assert len(ids) == 2 and ann in ids
    assert w.person_of("a1") == ann != w.person_of("a2")
    split = [o for o in w.tables.outbox(WS) if o["type"] == "person.split"]
    assert [sorted([o["person_id"], *o["payload"]["into"]]) for o in split] == [sorted(ids)]
    assert w.send("a3", email="ann@posteo.de") in ids  # new records still join one of them


def test_a_split_must_name_some_but_not_all_of_the_persons_records() -> None:
    w = World()
    ann = w.send("a1", email="ann@posteo.de")
    w.send("a2", email="ann@posteo.de")
    bo = w.send("b1", email="bo@posteo.de")
    with pytest.raises(InvalidInput, match="not records of"):
        service.split(w.log, w.hub, WS, ann, [f"{WEB}:b1"], "")
    with pytest.raises(InvalidInput, match="leave nothing"):
        service.split(w.log, w.hub, WS, ann, [f"{WEB}:a1", f"{WEB}:a2"], "")
    assert w.person_of("a2") == ann and w.person_of("b1") == bo


@pytest.mark.parametrize("merges", [1, 2, 6])
def test_an_id_resolves_through_any_number_of_merges(merges: int) -> None:
    # each merge absorbs the newest person into the next older one: p_n -> p_n-1 -> ... -> p_0
    w = World()
    ids = [w.send(f"m{n}", email=f"p{n}@posteo.de") for n in range(merges + 1)]
    live = ids[-1]
    for older in reversed(ids[:-1]):
        live = w.merge(live, older)
    assert live == ids[0]
    assert {w.tables.resolve_id(WS, pid) for pid in ids} == {ids[0]}
    assert w.tables.people.merged_ids(WS, [ids[0]]) == {ids[0]: set(ids[1:])}


def test_a_split_after_a_merge_gives_the_absorbed_person_back_its_id() -> None:
    w = World()
    ann, bo = w.send("a1", email="ann@posteo.de"), w.send("b1", email="bo@posteo.de")
    w.merge(bo, ann)
    assert w.tables.resolve_id(WS, bo) == ann
    assert sorted(service.split(w.log, w.hub, WS, ann, [f"{WEB}:b1"], "two people after all")) == sorted(
        [ann, bo])
    assert w.tables.resolve_id(WS, bo) == bo
    assert w.tables.people.merged_ids(WS, [ann, bo]) == {ann: set(), bo: set()}


def test_a_rebuild_replays_merges_and_splits_to_the_same_people() -> None:
    w = World()
    ann, bo = w.send("a1", email="ann@posteo.de"), w.send("b1", email="bo@posteo.de")
    cy = w.send("c1", email="cy@posteo.de")
    w.merge(bo, ann)
    service.split(w.log, w.hub, WS, ann, [f"{WEB}:a1"], "")
    w.merge(cy, w.person_of("b1"))
    live = w.people()
    w.hub.rebuild(WS)
    assert w.people() == live


def _identify(mid: str) -> AppendBatch:
    event = {"type": "identify", "messageId": mid, "anonymousId": f"anon-{mid}",
             "timestamp": "2026-01-01T10:00:00Z", "traits": {"email": f"{mid}@posteo.de"}}
    accepted, _ = normalise_batch([event], batch={}, forced_type=None, source_id=WEB,
                                  received_at=datetime.now(UTC),
                                  limits=Limits(max_event_bytes=32_768, max_json_depth=32))
    return AppendBatch(WS, WEB, accepted)


def test_a_pass_ends_at_the_head_of_the_log_as_it_began_and_the_next_takes_the_rest() -> None:
    """A log growing as fast as identity reads it must not keep the worker's other projections
    from their turn: what arrives during a pass waits for the next one."""
    log, tables = FakeLog(), FakeIdentity()
    log.append([_identify(f"m{i}") for i in range(3)])
    projector = Projector(log, tables, WS)

    def arrives(_: int) -> None:  # an event arrives while each page is applied (up to 10 in all)
        if log.last_seq(WS) < 10:
            log.append([_identify(f"late{log.last_seq(WS)}")])

    assert projector.catch_up(arrives, batch_size=1).events == 3  # none of those in this pass
    assert projector.catch_up(batch_size=100).events == 3
