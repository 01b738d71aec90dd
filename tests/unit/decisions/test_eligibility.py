"""Every candidate passes consent, segment, stock, price, caps and the contact policy; each
refusal names its rule (decide on fakes)."""

from __future__ import annotations

from datetime import timedelta

from tests.unit.decisions.world import NOW, World, action, refused, shown


def test_an_action_whose_purpose_the_person_withdrew_on_the_channel_is_refused_by_consent() -> None:
    w = World()
    w.add(action("dress"), action("tip", kind="content", purpose="marketing_email", channels=["email"],
                                  product_id=None, skus=[]))
    w.consent.refused.add(("ann", "personalisation", "web"))
    decision = w.decide()
    assert refused(decision)["dress"] == "consent"
    assert "personalisation on web" in decision["refused"][0]["reason"]
    assert shown(decision) == []  # tip is an email action, refused by channel
    assert refused(decision)["tip"] == "channel"


def test_an_action_out_of_stock_for_the_persons_fulfilment_mode_is_refused_by_stock() -> None:
    w = World()
    w.add(action("dress"), action("coat"))
    w.stock.units[("coat-M", "ship")] = 0
    w.stock.units[("coat-M", "bopis")] = 3  # in a store, but ann has things shipped
    decision = w.decide()
    assert refused(decision) == {"coat": "stock"}
    assert "available to promise on web by ship" in decision["refused"][0]["reason"]
    assert shown(decision) == ["dress"]


def test_no_offer_is_made_on_a_product_with_an_open_price_conflict() -> None:
    w = World()
    w.add(action("dress", kind="offer"), action("coat"))
    w.prices.open["P-dress"] = "P-dress costs 40 EUR on web but 50 on app at the same time"
    decision = w.decide()
    assert refused(decision) == {"dress": "price"}
    assert "costs 40 EUR on web" in decision["refused"][0]["reason"]


def test_a_segment_action_is_only_for_the_segments_members() -> None:
    w = World()
    w.add(action("vip", kind="loyalty", product_id=None, skus=[], segment="vip"))
    assert refused(w.decide("ann")) == {"vip": "segment"}
    w.segments.members.add(("ann", "vip"))
    assert shown(w.decide("ann")) == ["vip"]


def test_an_action_outside_its_validity_window_is_refused() -> None:
    w = World()
    w.add(action("sale", valid_from=(NOW + timedelta(days=1)).isoformat()),
          action("old", valid_to=(NOW - timedelta(days=1)).isoformat()))
    assert refused(w.decide()) == {"sale": "validity", "old": "validity"}


def test_the_per_person_cap_counts_what_the_person_was_shown_in_its_window() -> None:
    w = World()
    w.add(action("dress", caps={"per_person": 2, "window_days": 7}))
    assert shown(w.decide(at=NOW)) == ["dress"]
    assert shown(w.decide(at=NOW + timedelta(hours=1))) == ["dress"]
    third = w.decide(at=NOW + timedelta(hours=2))
    assert refused(third) == {"dress": "cap"}
    assert "2 times in 7 days" in third["refused"][0]["reason"]
    assert shown(w.decide(at=NOW + timedelta(days=8))) == ["dress"]
    assert shown(w.decide("bob", at=NOW + timedelta(hours=3))) == ["dress"]  # caps are per person


def test_the_total_cap_counts_every_persons_decisions() -> None:
    w = World()
    w.add(action("dress", caps={"total": 1}))
    assert shown(w.decide("ann")) == ["dress"]
    assert refused(w.decide("bob")) == {"dress": "cap"}


def test_the_contact_policy_limits_messaging_decisions_a_day_but_not_the_website() -> None:
    w = World(contacts_per_day=1)
    w.add(action("dress"))
    assert shown(w.decide(channel="email")) == ["dress"]
    second = w.decide(channel="email", at=NOW + timedelta(hours=1))
    assert refused(second) == {"dress": "contact"}
    assert shown(w.decide(channel="web", at=NOW + timedelta(hours=1))) == ["dress"]
    assert shown(w.decide(channel="email", at=NOW + timedelta(hours=25))) == ["dress"]


def test_a_retired_action_is_never_a_candidate() -> None:
    from frontoffice.decisions import service
    from tests.unit.decisions.world import WS

    w = World()
    w.add(action("dress"), action("coat"))
    service.retire_action(w.store, WS, "coat", NOW)
    decision = w.decide()
    assert decision["candidates"] == 1 and shown(decision) == ["dress"]
