"""Segments' membership port wired into next-best-action's eligibility and the inbox's VIP
routing, on SQLite and PostgreSQL: an action for a segment goes to its members only, and a
non-member's refusal names the segment."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from frontoffice.decisions import service as decisions
from frontoffice.decisions.arbiter import Arbiter
from frontoffice.decisions.catalogue import Action
from frontoffice.decisions.decide import Ask, decide
from frontoffice.decisions.wiring import wire
from frontoffice.identity.hub import IdentityHub
from frontoffice.inbox.adapters import DecisionActions, SegmentMember
from frontoffice.segments import service as segments
from frontoffice.segments.adapters import projector_for
from frontoffice.segments.membership import MembershipSql
from frontoffice.segments.store import SegmentsStore
from frontoffice.settings import Settings
from frontoffice.storage import open_store
from frontoffice.storage.sql import SqlStore
from tests.integration.decisions_support import ACTIONS, shop
from tests.integration.identity_support import Brand

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)


@pytest.fixture
def store(database_url: str) -> Iterator[SqlStore]:
    s = open_store(database_url)
    yield s
    s.close()


def test_an_action_for_a_segment_goes_to_its_members_and_the_inbox_reads_the_same_membership(
        store: SqlStore) -> None:
    s = shop(store)
    web = store.source(s.ws, "web")
    assert web is not None
    Brand(store, s.ws, {"web": web.id}).send("web", {
        "type": "track", "event": "Loyalty Joined", "userId": "cus_ann", "messageId": "join-1",
        "timestamp": "2026-02-01T10:00:00Z", "properties": {}})
    IdentityHub(store).catch_up(s.ws)
    for name, event in (("vip", "Loyalty Joined"), ("lapsed", "Loyalty Left")):
        segments.define_segment(SegmentsStore(store), s.ws, {
            "name": name, "condition": {"did": event, "at_least": 1}}, NOW.isoformat())
    projector_for(store, NOW.timestamp).catch_up(s.ws)

    wired = wire(store, Settings())
    lapsed = {**ACTIONS[2], "action_id": "win-back", "segment": "lapsed"}
    for body in [*ACTIONS, lapsed]:
        decisions.save_action(wired.store, s.ws, Action.model_validate(body), NOW)
    arbiter = Arbiter(lambda _: wired.store)
    ann = decide(wired.ports, arbiter, s.ws, Ask(s.ann, "web", "test", 5), NOW, 2, record=False)
    assert "vip" in [a["action_id"] for a in ann["actions"]]
    assert "vip" not in {x["action_id"] for x in ann["refused"]}
    [refused] = [x for x in ann["refused"] if x["action_id"] == "win-back"]
    assert refused["rule"] == "segment"
    assert refused["reason"].startswith("not in segment lapsed: the person is not a member")

    vip = SegmentMember(MembershipSql(store))
    assert vip.member(s.ws, s.ann, "vip") and not vip.member(s.ws, s.bo, "vip")
    beside = DecisionActions(store, Settings()).for_person(s.ws, s.ann)
    by_mail = decide(wired.ports, arbiter, s.ws, Ask(s.ann, "email", "service", 3), NOW, 2, record=False)
    assert [a["action_id"] for a in beside] == [a["action_id"] for a in by_mail["actions"]]
