"""Household look-alikes the graph keeps apart: a father and son of one name on the family email,
a store's phone typed on the receipts of shoppers who gave none."""

from __future__ import annotations

from dataclasses import replace

from frontoffice.identity.extract import record_name_keys
from frontoffice.identity.graph import Graph, Node
from frontoffice.identity.model import MatchEvidence
from frontoffice.identity.rules import GraphConfig, MatchEdge
from tests.unit.identity_core.support import ident, node


def named(record_id: str, seq: int, given: str, family: str, *identifiers: str, born: str = "") -> Node:
    keys = record_name_keys(given, family, "DE")
    return replace(node(record_id, seq, *identifiers), names=(keys,) if keys else (),
                   birth_dates=(born,) if born else ())


def build(*nodes: Node) -> Graph:
    live = Graph(GraphConfig())
    for n in nodes:
        live.add(n)
    assert live.partition() == Graph.rebuild(GraphConfig(), nodes).partition()  # live = rebuild
    return live


def test_father_and_son_of_one_name_stay_apart_on_the_family_email_by_their_birth_dates() -> None:
    family = "email:theschneiders@web.de"
    g = build(named("web:1", 1, "Felix", "Schneider", "anonymous_id:a1", family, born="1961-03-02"),
              named("pos:2", 2, "Felix", "Schneider", "anonymous_id:a2", family, born="1994-11-20"))
    assert g.person_of("web:1") != g.person_of("pos:2")
    assert any("birth dates differ" in c.evidence.detail for c in g.changes if c.kind == "conflict")


def test_one_person_with_the_same_birth_date_still_merges_on_a_shared_email() -> None:
    email = "email:felix.schneider@web.de"
    g = build(named("web:1", 1, "Felix", "Schneider", "anonymous_id:a1", email, born="1961-03-02"),
              named("pos:2", 2, "Felix", "Schneider", "anonymous_id:a2", email, born="1961-03-02"),
              named("pos:3", 3, "Felix", "Schneider", "anonymous_id:a3", email))
    assert g.person_of("web:1") == g.person_of("pos:2") == g.person_of("pos:3")


def test_a_store_phone_on_the_receipts_of_many_families_is_generic_and_joins_nobody() -> None:
    store = "phone:+494077763058"
    shoppers = [("Sven", "Schmidt"), ("Anna", "Becker"), ("Jonas", "Weber"), ("Lena", "Koch"),
                ("Paul", "Wagner"), ("Sven", "Schmidt")]
    g = build(*(named(f"pos:{i}", i, given, family, store) for i, (given, family) in enumerate(shoppers)))
    assert ident(store) in g.generic
    assert len({g.person_of(f"pos:{i}") for i in range(len(shoppers))}) == len(shoppers)


def test_a_household_landline_of_one_family_name_is_not_made_generic_by_its_spellings() -> None:
    home = "phone:+493012345678"
    g = build(named("pos:1", 1, "Jürgen", "Müller", home), named("pos:2", 2, "Juergen", "Mueller", home),
              named("pos:3", 3, "Jurgen", "Muller", home))
    assert ident(home) not in g.generic
    assert g.person_of("pos:1") == g.person_of("pos:2") == g.person_of("pos:3")


def test_a_call_quoting_an_order_joins_its_buyer_but_a_gift_recipient_under_another_name_does_not() -> None:
    order = "order_ref:ORD123456789"
    g = build(named("web:1", 1, "Anna", "Becker", "user_id:cus_1", "email:anna.becker@web.de"),
              node("web:2", 2, "user_id:cus_1", order),  # the checkout
              named("call:3", 3, "Anna", "Becker", "anonymous_id:call_3", "phone:+491701234567", order),
              named("call:4", 4, "Jonas", "Weber", "anonymous_id:call_4", "phone:+491707654321", order))
    assert g.person_of("web:1") == g.person_of("web:2") == g.person_of("call:3")
    assert g.person_of("call:4") != g.person_of("web:1")
    assert any("names differ" in c.evidence.detail and "order_ref" in c.evidence.detail
               for c in g.changes if c.kind == "conflict")


def test_an_order_quoted_from_many_mailboxes_is_generic_and_joins_nobody() -> None:
    order = "order_ref:PO2026001"  # an office's purchase order: three colleagues write about it
    g = build(*(node(f"mail:{i}", i, f"anonymous_id:m{i}", f"email:buyer{i}@firma.de", order)
                for i in range(4)))
    assert ident(order) in g.generic
    assert len({g.person_of(f"mail:{i}") for i in range(4)}) == 4


def _matched(*pairs: tuple[str, str]) -> list[MatchEdge]:
    return [MatchEdge(a, b, MatchEvidence("probabilistic", "name, street, postcode", 20.0)) for a, b in pairs]


def test_a_receipt_without_a_birth_date_does_not_join_a_parent_and_a_child_of_one_name() -> None:
    nodes = (named("crm:1", 1, "Felix", "Schneider", "anonymous_id:a1", born="1961-03-02"),
             named("pos:2", 2, "Felix", "Schneider", "anonymous_id:a2"),
             named("crm:3", 3, "Felix", "Schneider", "anonymous_id:a3", born="1994-11-20"))
    g = Graph(GraphConfig())
    for edge in _matched(("crm:1", "pos:2"), ("pos:2", "crm:3")):
        g.add_edge(edge)
    for n in nodes:  # the child's record arrives last, matched to the receipt
        g.add(n)
    assert g.person_of("crm:1") == g.person_of("pos:2") != g.person_of("crm:3")
    assert any("a generation apart: 1961-03-02 and 1994-11-20" in c.evidence.detail
               for c in g.changes if c.kind == "conflict")


def test_a_match_of_two_dated_records_was_weighed_by_the_match_and_is_not_refused_again() -> None:
    nodes = (named("crm:1", 1, "Felix", "Schneider", "anonymous_id:a1", born="1961-03-02"),
             named("crm:2", 2, "Felix", "Schneider", "anonymous_id:a2", born="1916-03-02"))
    g = Graph.rebuild(GraphConfig(), nodes, _matched(("crm:1", "crm:2")))
    assert g.person_of("crm:1") == g.person_of("crm:2")


def test_a_match_arriving_after_the_records_says_why_it_was_refused() -> None:
    g = build(named("crm:1", 1, "Felix", "Schneider", "anonymous_id:a1", born="1961-03-02"),
              named("pos:2", 2, "Felix", "Schneider", "anonymous_id:a2"),
              named("crm:3", 3, "Felix", "Schneider", "anonymous_id:a3", born="1994-11-20"))
    for edge in _matched(("crm:1", "pos:2"), ("pos:2", "crm:3")):
        g.add_edge(edge)
    assert g.person_of("crm:1") == g.person_of("pos:2") != g.person_of("crm:3")
    [refused] = [c for c in g.changes if c.kind == "conflict"]
    assert "a generation apart: 1961-03-02 and 1994-11-20" in refused.evidence.detail


def test_a_match_never_joins_two_people_with_a_mobile_each_but_a_landline_does_not_count() -> None:
    nodes = (named("pos:1", 1, "Karl", "Weise", "phone:+4917676894028"),  # the parent's mobile
             named("mka:2", 2, "Karl", "Weise", "phone:+491609852839"),  # the son's
             named("pos:3", 3, "Karl", "Weise", "phone:+4922112345678"))  # the home landline
    g = Graph.rebuild(GraphConfig(), nodes, _matched(("pos:1", "mka:2"), ("pos:1", "pos:3")))
    assert g.person_of("pos:1") == g.person_of("pos:3") != g.person_of("mka:2")
    relaxed = Graph.rebuild(GraphConfig(one_mobile=False), nodes, _matched(("pos:1", "mka:2")))
    assert relaxed.person_of("pos:1") == relaxed.person_of("mka:2")
    live = build(*nodes)
    live.add_edge(_matched(("pos:1", "mka:2"))[0])
    [refused] = [c for c in live.changes if c.kind == "conflict"]
    assert "two mobile numbers, none in common: +491609852839 and +4917676894028" in refused.evidence.detail


def test_a_nameless_event_on_an_email_two_people_use_joins_neither_of_them() -> None:
    family = "email:chohome@gmail.com"  # Eun-ah's receipt, then Si-jin's sign-up and his web profile
    nodes = (named("pos:1", 1, "Eun-ah", "Cho", "phone:+821064788073", family),
             node("web:2", 2, "anonymous_id:s2", "user_id:cus_sijin", family),
             named("web:3", 3, "Si-jin", "Cho", "anonymous_id:a3", "user_id:cus_sijin", family))
    g = build(*nodes)  # live: the sign-up joined Eun-ah until Si-jin's profile showed the email is shared
    assert g.person_of("web:2") == g.person_of("web:3") != g.person_of("pos:1")
    assert any(c.kind == "split" and "two people (eunah cho and sijin cho)" in c.evidence.detail
               for c in g.changes)
    replay = Graph.rebuild(GraphConfig(), nodes)
    assert ident(family) in replay.households
    assert any("cannot say which of them" in c.evidence.detail
               for c in replay.changes if c.kind == "conflict")


def test_an_email_with_one_persons_spellings_and_nicknames_stays_theirs_alone() -> None:
    own = "email:vanya.novikov98@list.ru"  # Ivan Novikov, Vanya Novikov and a typo: one person
    g = build(named("web:1", 1, "Ivan", "Novikov", own), named("pos:2", 2, "Vanya", "Novikov", own),
              named("pos:3", 3, "Ivna", "Novikov", own), node("web:4", 4, "anonymous_id:a4", own))
    assert not g.households
    assert len({g.person_of(r) for r in ("web:1", "pos:2", "pos:3", "web:4")}) == 1
