"""Region resolution: explicit region trait > address > phone > locale > IP; unknown → STRICTEST."""

from __future__ import annotations

import pytest

from frontoffice.consent import STRICTEST, Evidence, evidence_from_traits, resolve_region


@pytest.mark.parametrize(("evidence", "region", "source"), [
    (Evidence(region="KR", address_country="DE", phone="+81312345678"), "KR", "region_trait"),
    (Evidence(address_country="DE", phone="+81312345678", locale="ru-RU", ip_country="CN"), "EU", "address"),
    (Evidence(phone="+81312345678", locale="ru-RU", ip_country="CN"), "JP", "phone"),
    (Evidence(locale="ru-RU", ip_country="CN"), "RU", "locale"),
    (Evidence(ip_country="CN"), "CN", "ip"),
    (Evidence(address_country="US", address_subdivision="CA"), "US-CA", "address"),
    (Evidence(address_country="us", address_subdivision="US-CA"), "US-CA", "address"),
    (Evidence(address_country="BR"), "BR", "address"),
    (Evidence(address_country="NO"), "EU", "address"),
])
def test_the_first_source_that_settles_it_wins(evidence: Evidence, region: str, source: str) -> None:
    r = resolve_region(evidence)
    assert (r.region, r.source) == (region, source)
    assert r.pack.region == region


def test_a_us_phone_says_nothing_about_the_state_so_the_next_source_decides() -> None:
    r = resolve_region(Evidence(phone="+14155550100", locale="en-US", ip_country="US", ip_subdivision="CA"))
    assert (r.region, r.source) == ("US-CA", "ip")


def test_a_country_outside_every_pack_settles_on_strictest_without_falling_through() -> None:
    r = resolve_region(Evidence(address_country="CH", ip_country="DE"))
    assert (r.region, r.source) == (STRICTEST, "address")
    assert "CH has no rule pack" in r.reason
    texas = resolve_region(Evidence(address_country="US", address_subdivision="TX", ip_country="DE"))
    assert texas.region == STRICTEST


@pytest.mark.parametrize("evidence", [
    Evidence(),
    Evidence(locale="en", phone="not a phone", address_country="Germany"),
    Evidence(region="Narnia"),
])
def test_nothing_usable_means_the_strictest_pack(evidence: Evidence) -> None:
    r = resolve_region(evidence)
    assert r.region == STRICTEST and r.source is None
    assert r.reason.startswith("region unknown; strictest pack applies")


def test_evidence_is_read_from_segment_traits_and_context() -> None:
    ev = evidence_from_traits({"address": {"country": "US", "state": "CA"}, "phone": "+4915123456789"},
                              {"locale": "ja-JP", "location": {"country": "KR"}})
    assert ev == Evidence(None, "US", "CA", "+4915123456789", "ja-JP", "KR", None)
    assert resolve_region(ev).region == "US-CA"
