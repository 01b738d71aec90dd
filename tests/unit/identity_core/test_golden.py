"""Survivorship: which value the golden record shows, and where it came from."""

from __future__ import annotations

from frontoffice.identity.golden import Rule, SurvivorshipConfig, golden
from frontoffice.identity.model import TraitValue

CHANNELS = {"web": "web", "pos": "pos", "mkt": "marketplace"}
SERVER_SIDE = frozenset({"pos", "mkt"})  # the web source's key is public: client-side


def tv(name: str, value: object, source: str, at: str) -> TraitValue:
    return TraitValue(name, value, source, f"{source}:{at}", f"2026-01-{at}T00:00:00.000Z")


def test_the_most_recent_email_wins_and_keeps_its_provenance() -> None:
    out = golden([tv("email", "old@x.de", "web", "01"), tv("email", "new@x.de", "pos", "05")], CHANNELS,
                 SurvivorshipConfig(), server_side=SERVER_SIDE)
    assert out["email"] == {"value": "new@x.de", "rule": "most_recent", "source_id": "pos",
                            "record_id": "pos:05", "observed_at": "2026-01-05T00:00:00.000Z",
                            "trust": "server"}


def test_a_name_comes_from_the_most_trusted_channel_even_when_older() -> None:
    out = golden([tv("lastName", "Mueller", "web", "01"), tv("lastName", "MUELLER M.", "mkt", "09")],
                 CHANNELS, SurvivorshipConfig(), server_side=SERVER_SIDE)
    assert out["lastName"]["value"] == "Mueller"


def test_first_seen_and_non_empty_and_union_rules() -> None:
    config = SurvivorshipConfig(rules={"loyaltyId": Rule.FIRST_SEEN, "title": Rule.NON_EMPTY})
    out = golden([tv("loyaltyId", "L1", "pos", "01"), tv("loyaltyId", "L2", "pos", "03"),
                  tv("email", "a@x.de", "web", "01"), tv("email", "b@x.de", "web", "02"),
                  tv("email", "a@x.de", "pos", "03")], CHANNELS, config, server_side=SERVER_SIDE)
    assert out["loyaltyId"]["value"] == "L1"
    assert [(v["value"], v["trust"]) for v in out["emails"]["values"]] == [("a@x.de", "server"),
                                                                            ("b@x.de", "client")]
    assert out["emails"]["values"][0]["record_id"] == "web:01"


def test_invalid_values_never_reach_the_golden_record() -> None:
    out = golden([tv("invalid_email", {"value": "test@test.com", "reason": "generic"}, "web", "01")],
                 CHANNELS, SurvivorshipConfig(), server_side=SERVER_SIDE)
    assert out == {}


def test_a_newer_client_side_email_never_overrides_one_a_server_side_source_gave() -> None:
    out = golden([tv("email", "ann@shop.de", "pos", "01"), tv("email", "attacker@evil.test", "web", "09"),
                  tv("phone", "+4930123", "mkt", "02"), tv("phone", "+4930999", "web", "08")],
                 CHANNELS, SurvivorshipConfig(), server_side=SERVER_SIDE)
    assert (out["email"]["value"], out["email"]["source_id"], out["email"]["trust"]) == (
        "ann@shop.de", "pos", "server")
    assert out["phone"]["value"] == "+4930123"
    # the client-side address is kept, with its provenance, unverified and ranked after
    assert out["emails"]["values"][1] == {"value": "attacker@evil.test", "source_id": "web",
                                          "record_id": "web:09", "observed_at": "2026-01-09T00:00:00.000Z",
                                          "trust": "client"}


def test_a_proven_email_listed_after_a_client_side_one_still_ranks_first() -> None:
    out = golden([tv("email", "old-claim@x.de", "web", "01"), tv("email", "ann@shop.de", "pos", "05")],
                 CHANNELS, SurvivorshipConfig(), server_side=SERVER_SIDE)
    assert [(v["value"], v["trust"]) for v in out["emails"]["values"]] == [("ann@shop.de", "server"),
                                                                            ("old-claim@x.de", "client")]


def test_a_client_side_email_shows_when_no_server_side_source_gave_one() -> None:
    out = golden([tv("email", "a@x.de", "web", "01"), tv("email", "b@x.de", "web", "03")], CHANNELS,
                 SurvivorshipConfig(), server_side=SERVER_SIDE)
    assert (out["email"]["value"], out["email"]["trust"]) == ("b@x.de", "client")


def test_a_source_not_known_as_server_side_counts_as_client_side() -> None:
    out = golden([tv("email", "ann@shop.de", "pos", "01"), tv("email", "new@x.de", "gone", "05")],
                 CHANNELS, SurvivorshipConfig(), server_side=SERVER_SIDE)
    assert out["email"]["value"] == "ann@shop.de"
