"""The insights rules on plain data: how events become sliced facts, the tests on counts, and
what the detector flags (a real shift) and leaves alone (a weekday pattern, a slice like its
peers, a supplier whose product mix alone looks worse)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import numpy
import pytest

from frontoffice.insights.changepoint import adjusted, since, weekday_factors
from frontoffice.insights.detect import detect
from frontoffice.insights.rates import Series, Windows
from frontoffice.insights.rollup import fold
from frontoffice.insights.stats import cmh, q_values, rate_test
from tests.fakes.insights import FakeRefs

AT = "2026-10-01T12:00:00+00:00"


def shop() -> FakeRefs:
    refs = FakeRefs()
    fold(
        refs,
        "product.upserted",
        {
            "product_id": "P1",
            "category": "shoes",
            "supplier_ids": ["A", "B"],
            "variants": [{"sku": "P1-42", "size": "42"}],
        },
        AT,
    )
    fold(refs, "location.upserted", {"location_id": "ST2", "region": "south"}, AT)
    return refs


def order(order_id: str, supplier: str) -> dict[str, Any]:
    return {
        "order_id": order_id,
        "channel": "web",
        "placed_at": AT,
        "status": "confirmed",
        "lines": [{"line_no": 1, "sku": "P1-42", "qty": 2, "supplier_id": supplier, "location_id": "ST2"}],
    }


def test_a_return_is_sliced_by_its_order_lines_supplier_size_store_and_region() -> None:
    refs = shop()
    fold(refs, "order.created", order("O1", "B"), AT)
    (returns, by_reason) = fold(
        refs,
        "return.updated",
        {"return_id": "R1", "order_id": "O1", "line_no": 1, "sku": "P1-42", "qty": 1, "reason": "Damaged"},
        AT,
    )
    slices = dict(returns.slices)
    assert slices["supplier"] == "B" and slices["product_supplier_size"] == "P1|B|42"
    assert slices["store"] == "ST2" and slices["region"] == "south" and slices["category"] == "shoes"
    assert by_reason.metric == "returns:damaged" and returns.evidence == ("return:R1", "order:O1")


def test_an_order_or_a_return_seen_again_is_counted_once() -> None:
    refs = shop()
    assert fold(refs, "order.created", order("O1", "A"), AT)
    assert fold(refs, "order.updated", {**order("O1", "A"), "status": "fulfilled"}, AT) == []
    ret = {"return_id": "R1", "order_id": "O1", "line_no": 1, "sku": "P1-42", "qty": 1, "reason": "size"}
    assert fold(refs, "return.updated", ret, AT)
    assert fold(refs, "return.updated", {**ret, "status": "refunded"}, AT) == []


def listing(channel: str, price: float, promotion: str | None) -> dict[str, Any]:
    return {
        "listing_id": f"P1|{channel}|{promotion}",
        "product_id": "P1",
        "channel": channel,
        "currency": "EUR",
        "price": price,
        "promotion_id": promotion,
        "valid_from": "2026-10-01T00:00:00Z",
        "valid_to": "2026-10-31T00:00:00Z",
    }


def test_a_price_conflict_is_one_offer_at_two_prices_not_a_channel_exclusive_promotion() -> None:
    refs = shop()
    fold(refs, "listing.upserted", listing("web", 80, None), AT)
    assert fold(refs, "listing.upserted", listing("app", 80, None), AT) == []
    assert fold(refs, "listing.upserted", listing("app", 60, "AUTUMN"), AT) == []  # only the app runs it
    (conflict,) = fold(refs, "listing.upserted", listing("web", 68, "AUTUMN"), AT)
    assert conflict.metric == "price_conflicts" and dict(conflict.slices)["product"] == "P1"
    assert fold(refs, "listing.upserted", listing("web", 68, "AUTUMN"), AT) == []  # the same pair once


def test_a_late_reply_misses_the_agents_sla_and_the_first_solve_is_the_resolution_time() -> None:
    refs = FakeRefs()
    fold(
        refs,
        "ticket.opened",
        {
            "ticket_id": "T1",
            "channel": "chat",
            "at": AT,
            "team": "eu",
            "sla": {"first_response_due": "2026-10-01T14:00:00+00:00"},
        },
        AT,
    )
    fold(refs, "ticket.assigned", {"ticket_id": "T1", "agent_id": "ben", "team": "eu", "at": AT}, AT)
    facts = fold(
        refs, "message.sent", {"ticket_id": "T1", "author": "ben", "at": "2026-10-02T09:00:00+00:00"}, AT
    )
    missed = next(f for f in facts if f.metric == "sla_missed")
    assert dict(missed.slices)["agent"] == "ben" and missed.day == "2026-10-02"
    minutes = next(f for f in facts if f.metric == "first_response_minutes")
    assert minutes.value == 21 * 60
    solved = {"ticket_id": "T1", "changes": {"status": "solved"}, "at": "2026-10-02T12:00:00+00:00"}
    (resolved, resolution) = fold(refs, "ticket.updated", solved, AT)
    assert resolved.metric == "resolutions" and resolution.value == 24 * 60
    assert fold(refs, "ticket.updated", solved, AT) == []  # solved again after a reopen: still the first


def test_a_ticket_breaching_two_sla_rounds_counts_once_so_the_breach_rate_stays_at_most_one() -> None:
    refs = FakeRefs()
    fold(refs, "ticket.opened", {"ticket_id": "T1", "channel": "chat", "at": AT, "team": "eu"}, AT)
    facts = fold(refs, "ticket.assigned", {"ticket_id": "T1", "agent_id": "ben", "team": "eu", "at": AT}, AT)
    for due in ("first_response", "resolution"):  # both rounds of the one ticket breach
        facts += fold(refs, "sla.breached", {"ticket_id": "T1", "target": due, "at": AT}, AT)
    count = {m: sum(f.value for f in facts if f.metric == m) for m in ("sla_breaches", "tickets_assigned")}
    assert count == {"sla_breaches": 1, "tickets_assigned": 1}  # sla_breach_rate 1/1, not 2/1


def test_the_rate_test_tells_a_tenfold_rate_from_the_same_rate() -> None:
    assert rate_test(10, 100, 40, 400) > 0.3
    assert rate_test(10, 100, 4, 400) < 1e-4


def test_a_supplier_that_only_sells_more_of_a_size_returned_more_is_not_worse_size_by_size() -> None:
    # size S is returned 30% of the time from either supplier, size L 5%; A sells mostly S
    strata = [(30, 100, 6, 20), (1, 20, 5, 100)]
    pooled = rate_test(31, 120, 11, 120)
    p, odds = cmh(strata)
    assert pooled < 0.01  # pooled over sizes, A looks far worse
    assert p > 0.3 and 0.7 < odds < 1.4  # within each size it is not


def test_benjamini_hochberg_adjusts_by_rank() -> None:
    assert q_values([0.01, 0.04, 0.03, 0.5]) == pytest.approx([0.04, 0.04 * 4 / 3, 0.04 * 4 / 3, 0.5])


def test_the_shift_day_is_where_the_rate_rose() -> None:
    events = [1, 0, 1, 1, 0, 1, 0, 6, 5, 7, 6]
    assert since(events, [10] * len(events)) == 7
    assert since([5, 5, 5, 1, 1], [10] * 5) is None  # it fell: no rise to date


def days_back(end: str, n: int) -> list[str]:
    last = date.fromisoformat(end)
    return [(last - timedelta(days=i)).isoformat() for i in range(n - 1, -1, -1)]


def series(rates: dict[str, list[float]], units: int | list[int] = 100, end: str = "2026-10-11") -> Series:
    """Daily returns and units per supplier over 35 days ending ``end`` (2026-10-11 is a Sunday);
    ``units``: each day's, or one number for every day."""
    out: dict[tuple[str, str, str], dict[str, tuple[int, float, list[str]]]] = {}
    sold = units if isinstance(units, list) else [units] * 35
    for supplier, daily in rates.items():
        for day, rate, count in zip(days_back(end, 35), daily, sold, strict=True):
            returned = round(rate * count)
            ids = [f"return:{supplier}-{day}-{i}" for i in range(returned)]
            for dimension, value in (("supplier", supplier), ("all", "all")):
                for metric, total, evidence in (("returns", returned, ids), ("units", count, [])):
                    cell = out.setdefault((metric, dimension, value), {}).get(day, (0, 0.0, []))
                    out[(metric, dimension, value)][day] = (
                        cell[0] + 1,
                        cell[1] + total,
                        [*cell[2], *evidence],
                    )
    return out


WEEKDAYS = [0.04, 0.04, 0.04, 0.04, 0.04, 0.12, 0.12]  # weekends are returned three times as often


def test_a_weekday_pattern_alone_raises_no_flag() -> None:
    ending_saturday = series({"A": WEEKDAYS * 5, "B": WEEKDAYS * 5})
    assert detect(ending_saturday, "2026-10-11", Windows()) == []


def test_more_sales_on_the_weekend_with_its_higher_return_rate_is_no_shift() -> None:
    # weekends are returned five times as often; in the last week (a weekend sale) four times as
    # many units sell on Saturday and Sunday: pooled, the week's rate is 1.6 times its history's
    pattern = [0.04] * 5 + [0.20] * 2
    units = [100] * 28 + [100] * 5 + [400] * 2
    found = detect(series({"A": pattern * 5, "B": pattern * 5}, units), "2026-10-11", Windows())
    assert [(f.metric, f.dimension, f.slice) for f in found] == []


def test_ruptures_dates_a_known_level_shift_and_no_weekly_pattern() -> None:
    # 100 units a day, returned 4% on weekdays and 12% on weekends (Poisson noise, seeded); from
    # day 30 (a Wednesday) the rate triples
    rng = numpy.random.default_rng(7)
    expected = [(12.0 if d % 7 >= 5 else 4.0) for d in range(35)]
    calm = [int(rng.poisson(e)) for e in expected]
    shifted = [int(rng.poisson(e * (3 if d >= 30 else 1))) for d, e in enumerate(expected)]
    exposure, span = [100.0] * 35, days_back("2026-10-11", 35)
    assert (
        since(shifted, adjusted(exposure, span, weekday_factors(shifted[:28], exposure[:28], span[:28])))
        == 30
    )
    weighed = adjusted(exposure, span, weekday_factors(calm[:28], exposure[:28], span[:28]))
    assert since(calm, weighed) is None  # weekends alone are no shift
    assert since(calm, exposure) is not None  # unweighted, a weekend looks like one


def test_a_shift_is_flagged_with_since_when_the_evidence_and_both_comparisons() -> None:
    shifted = WEEKDAYS * 4 + [0.04, 0.04, 0.04, 0.20, 0.20, 0.30, 0.30]
    found = detect(series({"A": shifted, "B": WEEKDAYS * 5, "C": WEEKDAYS * 5}), "2026-10-11", Windows())
    a = next(f for f in found if f.dimension == "supplier")
    assert (a.metric, a.slice, a.since) == ("return_rate", "A", "2026-10-08")
    assert {c["against"] for c in a.comparisons} == {"history", "peers"}
    assert all(c["q_value"] < 0.01 and c["ratio"] > 2 for c in a.comparisons)
    assert a.evidence and all(e.startswith("return:A-2026-10-") for e in a.evidence)
    assert {f.slice for f in found if f.dimension == "supplier"} == {"A"}


def test_windows_are_whole_weeks() -> None:
    with pytest.raises(ValueError, match="whole weeks"):
        Windows(recent=10)


def test_a_shipment_and_its_late_alert_count_on_the_day_it_was_due() -> None:
    refs = shop()
    shipment = {
        "shipment_id": "S1",
        "order_id": "O1",
        "location_id": "ST2",
        "mode": "bopis",
        "status": "delivered",
        "promised_by": "2026-10-01T18:00:00+00:00",
        "delivered_at": "2026-10-02T10:00:00+00:00",
        "occurred_at": "2026-10-02T10:00:00+00:00",
    }
    (shipped,) = fold(refs, "shipment.updated", shipment, "2026-10-02T11:00:00+00:00")
    alert = {
        k: shipment[k] for k in ("shipment_id", "order_id", "location_id", "promised_by", "delivered_at")
    }
    (late,) = fold(refs, "shipment.late", alert, "2026-10-02T11:00:00+00:00")
    assert shipped.day == late.day == "2026-10-01"  # else a day could have more late than shipped
    assert dict(late.slices)["mode"] == "bopis" and late.metric == "deliveries_late"


def test_a_size_only_one_supplier_of_a_product_sells_is_compared_with_nothing_and_breaks_nothing() -> None:
    recent = days_back("2026-10-11", 7)
    cell = {d: (10, 10.0, [f"order:{d}"]) for d in recent}
    returned = {d: (3, 3.0, [f"return:{d}"]) for d in recent}
    data: Series = {
        ("units", "product_supplier_size", "P1|A|40"): cell,
        ("units", "product_supplier_size", "P1|A|42"): cell,
        ("units", "product_supplier_size", "P1|B|42"): cell,  # B never sold a 40
        ("returns", "product_supplier_size", "P1|A|40"): returned,
        ("returns", "product_supplier_size", "P1|A|42"): returned,
    }
    found = detect(data, "2026-10-11", Windows(7, 7))
    (supplier,) = [f for f in found if f.metric == "supplier_return_rate"]
    (comparison,) = supplier.comparisons
    assert supplier.slice == "P1|A" and comparison["compared_events"] == 0
    assert comparison["compared_exposure"] == 70  # B's 42s only: a 40 of A's has no counterpart
