"""The deterministic tier's rules, one business case per test."""

from __future__ import annotations

from dataclasses import replace

from frontoffice.identity.extract import record_name_keys
from frontoffice.identity.graph import Graph, Node
from frontoffice.identity.model import IdKind, MatchEvidence
from frontoffice.identity.rules import GraphConfig, MatchEdge, person_id_for
from tests.unit.identity_core.support import ident, node


def graph(*nodes: object, config: GraphConfig | None = None) -> Graph:
    g = Graph(config or GraphConfig())
    for n in nodes:
        g.add(n)  # type: ignore[arg-type]
    return g


def same(g: Graph, a: str, b: str) -> bool:
    return g.person_of(a) == g.person_of(b)


def test_records_sharing_an_email_are_one_person_named_after_the_oldest_record() -> None:
    g = graph(node("web:1", 1, "user_id:u1", "email:ann@shop.de"), node("pos:2", 2, "email:ann@shop.de"))
    assert same(g, "web:1", "pos:2")
    assert g.person_of("pos:2") == person_id_for("web:1")


def test_anonymous_history_joins_the_person_when_the_anonymous_id_is_identified() -> None:
    g = graph(node("web:1", 1, "anonymous_id:a1"), node("web:2", 2, "anonymous_id:a1"),
              node("web:3", 3, "user_id:u1", "email:ann@shop.de"),
              node("web:4", 4, "anonymous_id:a1", "user_id:u1"))
    assert len({g.person_of(r) for r in ("web:1", "web:2", "web:3", "web:4")}) == 1
    merged = [c for c in g.changes if c.kind == "merged"]
    assert merged and "anonymous_id:a1" in merged[0].evidence.detail + "user_id:u1"


def test_a_merge_says_which_identifier_joined_which_records() -> None:
    g = graph(node("web:1", 1, "anonymous_id:a1"), node("app:2", 2, "user_id:u1"),
              node("web:3", 3, "anonymous_id:a1", "user_id:u1"))
    merged = [c for c in g.changes if c.kind == "merged"]
    assert len(merged) == 1
    assert merged[0].person_id == person_id_for("web:1")
    assert merged[0].others == (person_id_for("app:2"),)
    assert "shared by records" in merged[0].evidence.detail


def test_a_household_email_shared_by_three_logins_merges_none_of_them() -> None:
    family = "email:family@mail.ru"
    g = graph(node("web:1", 1, "user_id:mum", family), node("web:2", 2, "user_id:dad", family),
              node("web:3", 3, "user_id:kid", family))
    assert len({g.person_of(f"web:{i}") for i in (1, 2, 3)}) == 3
    assert ident(family) in g.generic


def test_two_logins_sharing_an_email_are_a_conflict_not_a_merge() -> None:
    g = graph(node("web:1", 1, "user_id:u1", "email:shared@x.de"),
              node("web:2", 2, "user_id:u2", "email:shared@x.de"))
    assert not same(g, "web:1", "web:2")
    conflicts = [c for c in g.changes if c.kind == "conflict"]
    assert conflicts and "different user_id values u1, u2" in conflicts[0].evidence.detail


def test_a_store_phone_typed_on_receipts_of_different_customers_merges_nobody() -> None:
    store_phone = "phone:+493012345678"
    g = graph(node("pos:1", 1, "anonymous_id:r1", "email:ann@x.de", store_phone),
              node("pos:2", 2, "anonymous_id:r2", "email:bob@y.de", store_phone),
              node("pos:3", 3, "anonymous_id:r3", "email:cem@z.de", store_phone))
    assert len({g.person_of(f"pos:{i}") for i in (1, 2, 3)}) == 3
    assert ident(store_phone) in g.generic


def test_a_merge_made_before_a_value_proved_generic_is_undone_when_it_does() -> None:
    family = "email:home@mail.cn"
    g = graph(node("pos:1", 1, "anonymous_id:r1", "phone:+8613800000001", family),
              node("pos:2", 2, "anonymous_id:r2", "phone:+8613800000002", family))
    assert same(g, "pos:1", "pos:2")  # two phones on one email: could be one person
    g.add(node("pos:3", 3, "anonymous_id:r3", "phone:+8613800000003", family))
    assert len({g.person_of(f"pos:{i}") for i in (1, 2, 3)}) == 3
    splits = [c for c in g.changes if c.kind == "split"]
    assert splits and splits[0].person_id == person_id_for("pos:1")
    assert splits[0].others == (person_id_for("pos:2"),)


def test_twins_at_one_address_with_their_own_logins_stay_two_people() -> None:
    g = graph(node("web:1", 1, "user_id:twin-a", "phone:+491701111111"),
              node("web:2", 2, "user_id:twin-b", "phone:+491702222222"))
    assert not same(g, "web:1", "web:2")


def test_a_recycled_phone_number_does_not_join_its_old_and_new_owner() -> None:
    phone = "phone:+491705555555"
    g = graph(node("app:1", 1, "user_id:old-owner", phone), node("app:2", 50, "user_id:new-owner", phone))
    assert not same(g, "app:1", "app:2")


def test_a_different_national_id_blocks_an_automatic_merge() -> None:
    g = graph(node("crm:1", 1, "national_id:111", "email:a@b.de"),
              node("crm:2", 2, "national_id:222", "email:a@b.de"))
    assert not same(g, "crm:1", "crm:2")


def test_a_person_holds_at_most_the_configured_number_of_emails() -> None:
    config = GraphConfig(max_per_person={IdKind.EMAIL: 2})
    g = graph(node("w:1", 1, "user_id:u", "email:a@x.de"), node("w:2", 2, "user_id:u", "email:b@x.de"),
              node("w:3", 3, "email:c@x.de", "anonymous_id:z"), node("w:4", 4, "user_id:u", "anonymous_id:z"),
              config=config)
    assert same(g, "w:1", "w:2")
    assert not same(g, "w:1", "w:3")
    assert any("limit" in c.evidence.detail for c in g.changes if c.kind == "conflict")


def test_blocklisted_values_never_merge() -> None:
    config = GraphConfig(blocklist=frozenset({ident("email:info@brand.com")}))
    g = graph(node("w:1", 1, "email:info@brand.com"), node("w:2", 2, "email:info@brand.com"), config=config)
    assert not same(g, "w:1", "w:2")


def test_a_probabilistic_edge_merges_and_says_its_weight() -> None:
    g = graph(node("pos:1", 1, "anonymous_id:r1"), node("pos:2", 2, "anonymous_id:r2"))
    g.add_edge(MatchEdge("pos:1", "pos:2", MatchEvidence("probabilistic", "name, birth date", 14.2)))
    assert same(g, "pos:1", "pos:2")
    assert [c.evidence.weight for c in g.changes if c.kind == "merged"] == [14.2]


def test_a_probabilistic_edge_respects_the_login_conflict_but_a_manual_merge_overrides_it() -> None:
    g = graph(node("w:1", 1, "user_id:u1"), node("w:2", 2, "user_id:u2"))
    g.add_edge(MatchEdge("w:1", "w:2", MatchEvidence("probabilistic", "name", 20.0)))
    assert not same(g, "w:1", "w:2")
    g.add_edge(MatchEdge("w:1", "w:2", MatchEvidence("manual", "agent checked ids"), forced=True))
    assert same(g, "w:1", "w:2")


def test_a_split_gives_both_sides_their_own_stable_ids_and_is_remembered() -> None:
    g = graph(node("w:1", 1, "user_id:u1", "anonymous_id:a"), node("w:2", 2, "anonymous_id:a"),
              node("w:3", 3, "anonymous_id:a", "email:x@y.de"))
    assert same(g, "w:1", "w:3")
    g.separate({"w:3"}, {"w:1", "w:2"}, MatchEvidence("manual", "shared tablet"))
    assert g.person_of("w:1") == person_id_for("w:1")
    assert g.person_of("w:3") == person_id_for("w:3")
    g.add(node("w:4", 4, "anonymous_id:a", "email:x@y.de"))  # would join both sides again
    assert g.person_of("w:3") != g.person_of("w:1")
    assert g.person_of("w:4") in {g.person_of("w:1"), g.person_of("w:3")}


def test_a_manual_reject_keeps_two_records_apart() -> None:
    g = Graph(GraphConfig())
    g.separate({"w:1"}, {"w:2"}, MatchEvidence("manual", "not the same"))
    g.add(node("w:1", 1, "email:a@b.de"))
    g.add(node("w:2", 2, "email:a@b.de"))
    assert not same(g, "w:1", "w:2")


def test_which_match_wins_does_not_depend_on_the_order_matches_arrived() -> None:
    """Found by the replay property: r2 matches both r0 and r1, which a person kept apart."""
    nodes = [node("r0", 1), node("r1", 2), node("r2", 3)]
    to_r0 = MatchEdge("r0", "r2", MatchEvidence("probabilistic", "name", 9.0))
    to_r1 = MatchEdge("r1", "r2", MatchEvidence("probabilistic", "name", 9.0))
    outcomes = set()
    for edges in ([to_r0, to_r1], [to_r1, to_r0]):
        g = Graph(GraphConfig())
        g.separate({"r0"}, {"r1"}, MatchEvidence("manual", "not the same"))
        for edge in edges:
            g.add_edge(edge)
        for n in nodes:
            g.add(n)
        outcomes.add(frozenset(g.partition().values()))
    assert outcomes == {frozenset({frozenset({"r0", "r2"}), frozenset({"r1"})})}


def named(record_id: str, seq: int, given: str, family: str, country: str, *identifiers: str) -> Node:
    keys = record_name_keys(given, family, country)
    return replace(node(record_id, seq, *identifiers), names=(keys,) if keys else ())


def test_siblings_on_a_family_email_stay_apart_because_their_names_differ() -> None:
    family = "email:rodriguezfamily@gmail.com"
    g = graph(named("pos:1", 1, "Maria", "Rodriguez", "US", "anonymous_id:r1", family),
              named("web:2", 2, "Joseph", "Rodriguez", "US", "anonymous_id:w2", family))
    assert not same(g, "pos:1", "web:2")
    assert any("names differ" in c.evidence.detail for c in g.changes if c.kind == "conflict")


def test_one_person_written_in_two_scripts_still_merges_on_a_shared_email() -> None:
    g = graph(named("pos:1", 1, "Ирина", "Иванова", "RU", "email:irina.ivanova@mail.ru"),
              named("web:2", 2, "Irina", "Ivanova", "RU", "email:irina.ivanova@mail.ru"))
    assert same(g, "pos:1", "web:2")


def test_a_login_is_not_subject_to_the_name_check() -> None:
    g = graph(named("web:1", 1, "Robert", "Jones", "US", "user_id:cus_1"),
              named("app:2", 2, "Bob", "Jones", "US", "user_id:cus_1"))
    assert same(g, "web:1", "app:2")


def test_sisters_whose_given_names_score_half_alike_stay_apart_on_a_household_phone() -> None:
    home = "phone:+13036713375"
    g = graph(named("pos:1", 1, "Patricia", "O'Brien", "US", "anonymous_id:p1", home),
              named("web:2", 2, "Mary", "O'Brien", "US", "anonymous_id:w2", home))
    assert not same(g, "pos:1", "web:2")


def test_a_nickname_and_its_formal_name_merge_on_a_shared_email() -> None:
    g = graph(named("pos:1", 1, "Bill", "Jones", "US", "anonymous_id:p1", "email:wjones@example.com"),
              named("web:2", 2, "William", "Jones", "US", "anonymous_id:w2", "email:wjones@example.com"))
    assert same(g, "pos:1", "web:2")
