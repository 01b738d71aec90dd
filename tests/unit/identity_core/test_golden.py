"""Survivorship: which value the golden record shows, and where it came from."""

from __future__ import annotations

from frontoffice.identity.golden import Rule, SurvivorshipConfig, golden
from frontoffice.identity.model import TraitValue

CHANNELS = {"web": "web", "pos": "pos", "mkt": "marketplace"}


def tv(name: str, value: object, source: str, at: str) -> TraitValue:
    return TraitValue(name, value, source, f"{source}:{at}", f"2026-01-{at}T00:00:00.000Z")


def test_the_most_recent_email_wins_and_keeps_its_provenance() -> None:
    out = golden([tv("email", "old@x.de", "web", "01"), tv("email", "new@x.de", "pos", "05")], CHANNELS,
                 SurvivorshipConfig())
    assert out["email"] == {"value": "new@x.de", "rule": "most_recent", "source_id": "pos",
                            "record_id": "pos:05", "observed_at": "2026-01-05T00:00:00.000Z"}


def test_a_name_comes_from_the_most_trusted_channel_even_when_older() -> None:
    out = golden([tv("lastName", "Mueller", "web", "01"), tv("lastName", "MUELLER M.", "mkt", "09")],
                 CHANNELS, SurvivorshipConfig())
    assert out["lastName"]["value"] == "Mueller"


def test_first_seen_and_non_empty_and_union_rules() -> None:
    config = SurvivorshipConfig(rules={"loyaltyId": Rule.FIRST_SEEN, "title": Rule.NON_EMPTY})
    out = golden([tv("loyaltyId", "L1", "pos", "01"), tv("loyaltyId", "L2", "pos", "03"),
                  tv("email", "a@x.de", "web", "01"), tv("email", "b@x.de", "web", "02"),
                  tv("email", "a@x.de", "pos", "03")], CHANNELS, config)
    assert out["loyaltyId"]["value"] == "L1"
    assert [v["value"] for v in out["emails"]["values"]] == ["a@x.de", "b@x.de"]
    assert out["emails"]["values"][0]["record_id"] == "web:01"


def test_invalid_values_never_reach_the_golden_record() -> None:
    out = golden([tv("invalid_email", {"value": "test@test.com", "reason": "generic"}, "web", "01")],
                 CHANNELS, SurvivorshipConfig())
    assert out == {}
