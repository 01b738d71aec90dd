"""The consent gate of one decision answers its person from the decision's read of identity and
asks identity about anyone else."""

from __future__ import annotations

from frontoffice.decisions.consent_gate import OnePerson
from frontoffice.decisions.ports import Person
from tests.fakes.outbound import FakePeople


def test_the_decided_person_is_answered_from_the_read_and_anyone_else_from_identity() -> None:
    people = FakePeople()
    people.add("ann", {"country": "DE"}, [("email", "ann@x.de"), ("user_id", "u1")])
    people.add("bo", {"country": "FR"}, [("email", "bo@x.fr")])
    read = Person("ann", {"country": {"value": "AT"}}, (("email", "ann@x.de"), ("user_id", "u1")),
                  frozenset({"old-ann"}))
    one = OnePerson(people, "ws", read)
    people.erase("ann")  # identity changed after the read: the decision keeps what it read

    assert one.golden("ws", ["ann"]) == {"ann": {"country": {"value": "AT"}}}
    assert one.identifiers("ws", ["ann"], ["email"]) == {"ann": [("email", "ann@x.de")]}
    assert one.merged_ids("ws", ["ann"]) == {"ann": {"old-ann"}}
    assert one.resolve_id("ws", "ann") == "ann"
    assert one.golden("ws", ["bo"]) == {"bo": {"country": {"value": "FR"}}}
    assert one.identifiers("ws", ["ann", "bo"], ["email"]) == {"bo": [("email", "bo@x.fr")]}
    assert one.golden("other-ws", ["ann"]) == {}
