"""The policy check, per region × purpose, GPC, the strictest fallback and fail-closed cases."""

from __future__ import annotations

from datetime import timedelta

import pytest

from frontoffice.consent import STRICTEST, ConsentState, check, load_catalogue, load_packs, pack_for
from frontoffice.consent.decision import MODES
from frontoffice.consent.packs import RESIDENCY_MODES
from tests.unit.consent.support import CHANNEL_FOR, NOW, change, state

PURPOSES = ("essential", "analytics", "personalisation", "marketing_email", "marketing_sms", "marketing_push",
            "targeted_advertising", "sale_or_sharing", "profiling", "cross_border_transfer", "sensitive_data")
# The law, per region: - no consent needed · out opt-out · in opt-in · in! separate explicit consent.
EXPECTED = {
    "EU":    "-   in  in  in  in  in  in  in  in  -   in!",
    "US-CA": "-   -   -   out in  in  out out out -   out",
    "BR":    "-   in  in  in  in  in  in  in! out -   in!",
    "JP":    "-   out out in  in  in  out in  out in  in!",
    "KR":    "-   out in  in! in! in! in  in! out in! in!",
    "CN":    "-   in  in  in  in  in  in  in! in  in! in!",
    "RU":    "-   in  in  in  in  in  in  in! in! in! in!",
}
CASES = [(region, purpose, mode) for region, row in EXPECTED.items()
         for purpose, mode in zip(PURPOSES, row.split(), strict=True)]


def test_every_pack_covers_every_declared_purpose() -> None:
    assert set(PURPOSES) == set(load_catalogue().purposes)
    for pack in load_packs().values():
        assert set(pack.rules) == set(PURPOSES)


@pytest.mark.parametrize(("region", "purpose", "mode"), CASES)
def test_region_purpose_rule(region: str, purpose: str, mode: str) -> None:
    pack, channel = pack_for(region), CHANNEL_FOR[purpose]
    nothing = check(state(), pack, purpose, channel, NOW)
    granted = check(state(change(purpose, "granted")), pack, purpose, channel, NOW)
    explicit = check(state(change(purpose, "granted", explicit=True)), pack, purpose, channel, NOW)
    refused = check(state(change(purpose, "denied")), pack, purpose, channel, NOW)
    if purpose == "essential":
        assert nothing.allowed and refused.allowed
    elif mode == "-":
        assert nothing.allowed and granted.allowed and not refused.allowed
        assert "objected" in refused.reason
    elif mode == "out":
        assert nothing.allowed and granted.allowed and not refused.allowed
        assert "opt-out" in nothing.reason
    elif mode == "in":
        assert not nothing.allowed and granted.allowed and not refused.allowed
        assert nothing.reason == f"{region} requires opt-in for {purpose}; no grant on record"
    else:
        assert not nothing.allowed and not granted.allowed and explicit.allowed and not refused.allowed
        assert "separate explicit consent" in granted.reason
    assert nothing.rule.startswith(f"{region}/{purpose}/")


def test_a_withdrawal_after_a_grant_denies() -> None:
    s = state(change("marketing_email", "granted", days_ago=10),
              change("marketing_email", "withdrawn", days_ago=2))
    d = check(s, pack_for("EU"), "marketing_email", "email", NOW)
    assert not d.allowed and d.reason == "EU requires opt-in for marketing_email; the person withdrew it"


def test_gpc_is_binding_in_california() -> None:
    s = state(change("sale_or_sharing", "denied", method="gpc"))
    d = check(s, pack_for("US-CA"), "sale_or_sharing", "export", NOW)
    assert not d.allowed
    assert d.reason == "GPC signal is binding in US-CA; sale_or_sharing denied"
    assert d.rule.endswith("/gpc")


def test_a_newer_explicit_grant_overrides_an_earlier_gpc_refusal() -> None:
    s = state(change("sale_or_sharing", "denied", method="gpc", days_ago=5),
              change("sale_or_sharing", "granted", explicit=True, days_ago=1))
    assert check(s, pack_for("US-CA"), "sale_or_sharing", "export", NOW).allowed


def test_gpc_is_not_the_stated_rule_where_it_is_not_binding() -> None:
    s = state(change("sale_or_sharing", "denied", method="gpc"))
    d = check(s, pack_for("JP"), "sale_or_sharing", "export", NOW)
    assert not d.allowed and "GPC" not in d.reason


def test_the_strictest_pack_is_at_least_as_strict_as_every_pack_on_every_dimension() -> None:
    packs = load_packs()
    top = packs[STRICTEST]
    for pack in packs.values():
        for purpose in PURPOSES:
            assert top.rules[purpose].strictness >= pack.rules[purpose].strictness
        assert top.gpc_binding >= pack.gpc_binding
        assert top.dsr.calendar_days <= pack.dsr.calendar_days
        assert top.retention.max_inactive_days <= pack.retention.max_inactive_days
        assert RESIDENCY_MODES.index(top.residency.mode) >= RESIDENCY_MODES.index(pack.residency.mode)
    assert all(r.mode in MODES for r in top.rules.values())


def test_the_strictest_pack_is_the_least_such_pack() -> None:
    packs = {k: v for k, v in load_packs().items() if k != STRICTEST}
    top = load_packs()[STRICTEST]
    for purpose in PURPOSES:
        assert top.rules[purpose].strictness == max(p.rules[purpose].strictness for p in packs.values())


@pytest.mark.parametrize("region", [None, "", "ZZ", "US-TX"])
def test_an_unknown_region_gets_the_strictest_pack(region: str | None) -> None:
    pack = pack_for(region)
    assert pack.region == STRICTEST
    d = check(state(change("marketing_email", "granted")), pack, "marketing_email", "email", NOW)
    assert not d.allowed and "separate explicit consent" in d.reason


def test_residency_keeps_russian_and_chinese_data_in_their_own_storage() -> None:
    assert (pack_for("RU").residency.mode, pack_for("RU").residency.storage) == ("local", "RU")
    assert (pack_for("CN").residency.mode, pack_for("CN").residency.storage) == ("local", "CN")
    assert pack_for("US-CA").residency.mode == "any"


def test_dsr_deadlines_per_region() -> None:
    got = {r: (p.dsr.deadline_days, p.dsr.business_days) for r, p in load_packs().items()}
    assert got["EU"] == (30, False) and got["US-CA"] == (45, False) and got["BR"] == (15, False)
    assert got["KR"] == (10, False) and got["RU"] == (10, True) and got[STRICTEST] == (10, False)


# --- fail closed ---------------------------------------------------------------------------------

def test_missing_state_is_denied() -> None:
    d = check(None, pack_for("US-CA"), "analytics", "web", NOW)
    assert not d.allowed and d.rule == "fail-closed/no-state"


def test_missing_pack_is_denied() -> None:
    d = check(ConsentState("p1"), None, "essential", "web", NOW)
    assert not d.allowed and d.rule == "fail-closed/no-pack"


def test_an_unknown_purpose_is_denied() -> None:
    d = check(ConsentState("p1"), pack_for("US-CA"), "telepathy", "web", NOW)
    assert not d.allowed and "unknown purpose 'telepathy'" in d.reason


def test_a_channel_the_purpose_does_not_cover_is_denied() -> None:
    s = state(change("marketing_email", "granted"))
    d = check(s, pack_for("EU"), "marketing_email", "sms", NOW)
    assert not d.allowed and d.rule == "fail-closed/channel"


def test_a_record_dated_after_the_check_time_is_not_trusted() -> None:
    s = state(change("analytics", "granted", days_ago=-1))
    d = check(s, pack_for("EU"), "analytics", "web", NOW)
    assert not d.allowed and "after the check time" in d.reason
    assert check(s, pack_for("EU"), "analytics", "web", NOW + timedelta(days=2)).allowed
