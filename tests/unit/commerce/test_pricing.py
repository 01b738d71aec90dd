"""The price consistency monitor."""

from __future__ import annotations

from typing import Any

from frontoffice.commerce.pricing import conflicts


def listing(channel: str, price: float, promo: str | None = None, start: str = "2026-01-01",
            end: str = "2026-12-31") -> dict[str, Any]:
    return {"listing_id": f"P1|{channel}|{promo}|{start}", "product_id": "P1", "channel": channel,
            "currency": "USD", "list_price": 100.0, "price": price, "promotion_id": promo,
            "valid_from": f"{start}T00:00:00+00:00", "valid_to": f"{end}T23:59:59+00:00"}


def test_one_campaign_at_two_depths_is_flagged_with_both_listings() -> None:
    rows = [listing("instagram", 100), listing("facebook", 100),
            listing("instagram", 65, "FLASH", "2026-05-01", "2026-05-07"),
            listing("facebook", 75, "FLASH", "2026-05-01", "2026-05-07")]
    [found] = conflicts(rows)
    assert (found["low"]["channel"], found["high"]["channel"]) == ("instagram", "facebook")
    assert found["at"].startswith("2026-05-01") and found["difference_pct"] == 13.3


def test_prices_within_the_tolerance_are_consistent() -> None:
    assert conflicts([listing("web", 100), listing("app", 99.5)], tolerance=0.01) == []
    assert len(conflicts([listing("web", 100), listing("app", 95)], tolerance=0.01)) == 1


def test_a_channel_exclusive_promotion_is_not_a_conflict() -> None:
    rows = [listing("web", 100), listing("app", 100),
            listing("app", 80, "APP-ONLY", "2026-03-01", "2026-03-02")]
    assert conflicts(rows) == []


def test_listings_that_do_not_overlap_in_time_do_not_conflict() -> None:
    rows = [listing("web", 100, None, "2026-01-01", "2026-01-31"),
            listing("app", 80, None, "2026-02-01", "2026-02-28")]
    assert conflicts(rows) == []
