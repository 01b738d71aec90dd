"""Definitions as data: precise errors naming the JSON path, the readable text form, and each
computed trait's value and explanation."""

from __future__ import annotations

from typing import Any

import pytest

from frontoffice.segments.catalog import check_segment, load
from frontoffice.segments.conditions import parse, text
from frontoffice.segments.evaluate import Person, compute, evaluate, next_change
from frontoffice.segments.model import DAY_MS, Event, InvalidDefinition, parse_trait
from frontoffice.segments.ports import Definition
from frontoffice.segments.projector import facts_of

NOW = 100 * DAY_MS


def ev(seq: int, name: str, days_ago: float, **props: Any) -> Event:
    return Event(seq, name, int(NOW - days_ago * DAY_MS), props)


EVENTS = [ev(1, "order", 40, total=100, category="shoes", channel="web"),
          ev(2, "order", 5, total=20, category="hats", channel="app"),
          ev(3, "order", 1, total=30, category="shoes", channel="app"),
          ev(4, "return", 1, total=30),
          ev(5, "order", 0.5, category="socks")]


@pytest.mark.parametrize(("doc", "path", "hint"), [
    ({"name": "x", "op": "cnt", "event": "order"}, "$.op", "use one of count"),
    ({"name": "X!", "op": "count", "event": "order"}, "$.name", "a-z, 0-9"),
    ({"name": "x", "op": "sum", "event": "order"}, "$.property", "the property sum reads"),
    ({"name": "x", "op": "count", "event": "order", "within_days": 0}, "$.within_days", "1 to 3650"),
    ({"name": "x", "op": "ratio", "event": "return"}, "$.denominator", "denominator filter"),
    ({"name": "x", "op": "count", "event": "order", "where": {"a": 1}}, "$.where", "string value"),
    ({"name": "x", "op": "count", "event": "order", "colour": "red"}, "$.colour", "unknown key"),
])
def test_an_invalid_trait_is_refused_with_its_json_path_and_what_to_write(doc: Any, path: str,
                                                                           hint: str) -> None:
    with pytest.raises(InvalidDefinition) as caught:
        parse_trait(doc)
    assert caught.value.path == path and hint in str(caught.value)
    assert caught.value.code == "invalid_definition"


@pytest.mark.parametrize(("doc", "path"), [
    ({"all": []}, "$.all"),
    ({"all": [{"did": "a"}, {"did": "b", "at_least": 0}]}, "$.all[1].at_least"),
    ({"any": [{"not": {"computed": "x", "op": "gt", "value": "3"}}]}, "$.any[0].not.value"),
    ({"first": "a", "then": "b"}, "$.within_hours"),
    ({"reachable": "pigeon"}, "$.reachable"),
    ({"colour": "red"}, "$"),
    ({"any": [{"commerce": "open_tab"}]}, "$.any[0].commerce"),
    ({"commerce": "bought_category"}, "$.value"),
    ({"commerce": "late_delivery", "value": "x"}, "$.value"),
])
def test_an_invalid_condition_names_the_path_of_the_fault(doc: Any, path: str) -> None:
    with pytest.raises(InvalidDefinition) as caught:
        parse(doc)
    assert caught.value.path == path


def test_commerce_conditions_read_back_as_text_and_hold_on_the_persons_commerce_facts() -> None:
    c = parse({"all": [{"commerce": "open_return"}, {"commerce": "bought_category", "value": "shoes"},
                       {"not": {"commerce": "late_delivery"}}]})
    assert text(c) == "all(has an open return, bought in category 'shoes', not suffered a late delivery)"
    facts = {"commerce:open_return": "R1", "commerce:bought_category:shoes": "1"}
    assert evaluate(c, Person([], {}, facts), 0) == (
        True, "has an open return: R1; bought in category 'shoes'; not (not: suffered a late delivery)")
    assert evaluate(c, Person([], {}, facts | {"commerce:late_delivery": "SH1"}), 0)[0] is False


def test_a_marketplace_buyer_identity_knows_makes_the_person_reachable_on_the_marketplace() -> None:
    facts = facts_of({}, [("marketplace_buyer", "mirakl:42"), ("order_ref", "O1")], set())
    assert facts == {"reach:marketplace_id": "1"}
    assert evaluate(parse({"reachable": "marketplace_id"}), Person([], {}, facts), 0)[0] is True


def test_a_condition_reads_back_as_text() -> None:
    c = parse({"all": [{"did": "Order Completed", "at_least": 2, "within_days": 30},
                       {"did_not": "Refund Requested"},
                       {"first": "Cart Viewed", "then": "Order Completed", "within_hours": 24},
                       {"consent": "marketing", "channel": "email"}, {"reachable": "email"},
                       {"computed": "ltv", "op": "gte", "value": 100}, {"segment": "vip"}]})
    assert text(c) == ("all(did 'Order Completed' in the last 30 days at least 2 times, "
                       "did not 'Refund Requested', "
                       "did 'Cart Viewed' then 'Order Completed' within 24 hours, "
                       "consents to marketing on email, has email, computed ltv ≥ 100, in segment vip)")


@pytest.mark.parametrize(("doc", "value", "counted"), [
    ({"op": "count", "event": "order"}, 4, 4),
    ({"op": "count", "event": "order", "within_days": 7}, 3, 3),
    ({"op": "sum", "event": "order", "property": "total"}, 150, 3),
    ({"op": "min", "event": "order", "property": "total", "within_days": 30}, 20, 2),
    ({"op": "max", "event": "order", "property": "total"}, 100, 3),
    ({"op": "avg", "event": "order", "property": "total"}, 50, 3),
    ({"op": "first", "event": "order", "property": "category"}, "shoes", 4),
    ({"op": "last", "event": "order", "property": "channel"}, "app", 3),
    ({"op": "most_frequent", "event": "order", "property": "category"}, "shoes", 4),
    ({"op": "distinct", "event": "order", "property": "category"}, ["hats", "shoes", "socks"], 4),
    ({"op": "distinct_count", "event": "order", "property": "channel", "where": {"category": "shoes"}}, 2, 2),
    ({"op": "days_since", "event": "order"}, 0, 4),
    ({"op": "days_since", "event": "order", "where": {"category": "hats"}}, 5, 1),
    ({"op": "days_since_first", "event": "order"}, 40, 4),
    ({"op": "ratio", "event": "return", "denominator": {"event": "order"}}, 0.25, 5),
])
def test_each_computed_trait_counts_what_its_definition_says(doc: dict[str, Any], value: Any,
                                                             counted: int) -> None:
    found = compute(parse_trait({"name": "t", **doc}), EVENTS, NOW)
    assert (found.value, found.events) == (value, counted)


def test_a_windowed_answer_is_due_again_when_its_oldest_event_leaves_the_window() -> None:
    d = parse_trait({"name": "t", "op": "count", "event": "order", "within_days": 7})
    assert next_change([d.source], [], EVENTS, NOW) == EVENTS[1].at + 7 * DAY_MS + 1
    since = parse_trait({"name": "t", "op": "days_since", "event": "order"})
    assert next_change([], [(since.source, False)], EVENTS, NOW) == EVENTS[4].at + DAY_MS
    assert next_change([], [(since.source, True)], EVENTS, NOW) == EVENTS[0].at + 41 * DAY_MS


def test_a_membership_says_why_and_why_not() -> None:
    spend = parse_trait({"name": "spend", "op": "sum", "event": "order", "property": "total"})
    person = Person(EVENTS, {"spend": compute(spend, EVENTS, NOW)}, {"reach:email": "1"})
    rich = parse({"all": [{"computed": "spend", "op": "gte", "value": 100}, {"reachable": "email"}]})
    assert evaluate(rich, person, NOW) == (True, "computed spend is 150.0; has email")
    assert evaluate(parse({"consent": "marketing", "channel": "email"}), person, NOW) == (
        False, "consent to marketing on email: refused")


def _definition(kind: str, name: str, body: dict[str, Any]) -> Definition:
    return Definition(kind, name, 1, body, True, "2026-12-07T00:00:00.000Z")


def test_a_segment_cannot_read_an_unknown_trait_compare_a_number_with_text_or_form_a_cycle() -> None:
    cat = load([_definition("trait", "n", {"name": "n", "op": "count", "event": "e"})],
               [_definition("segment", "a", {"condition": {"segment": "b"}}),
                _definition("segment", "b", {"condition": {"did": "e"}})])
    assert [s.name for s in cat.segments] == ["b", "a"]  # what a segment reads comes first
    for doc, hint in (({"computed": "m", "op": "gt", "value": 1}, "no computed trait 'm'"),
                      ({"computed": "n", "op": "in", "value": ["1"]}, "is a number"),
                      ({"segment": "a"}, "would form a cycle")):
        with pytest.raises(InvalidDefinition, match=hint):
            check_segment("b", doc, cat)
    assert check_segment("c", {"segment": "a"}, cat) == parse({"segment": "a"})
