"""Capture adapters turn API payloads, Segment context, TCF/GPP strings and GPC into proof."""

from __future__ import annotations

import pytest

from frontoffice.consent import (
    ConsentStringError,
    Proof,
    check,
    effective,
    from_api,
    from_gpc,
    from_gpp,
    from_segment_context,
    from_tcf,
    pack_for,
    state_of,
)
from frontoffice.consent.gpp_encode import encode_gpp_string, encode_usnat
from frontoffice.consent.tcf import PublisherTC
from frontoffice.consent.tcf_encode import encode_tc_string
from frontoffice.errors import InvalidInput
from tests.unit.consent.support import NOW, SALT
from tests.unit.consent.vectors import tc, usnat

PROOF = Proof.of("p1", "web-banner", NOW, SALT, ip="203.0.113.7", user_agent="Mozilla/5.0",
                 notice_version="v3")


def by_purpose(changes: list) -> dict[str, str]:  # type: ignore[type-arg]
    return {c.purpose: c.status for c in changes}


def test_an_api_payload_records_each_purpose_with_its_proof() -> None:
    changes = from_api({"purposes": {"marketing_email": True, "profiling": "withdrawn"}, "method": "banner",
                        "explicit": True, "notice_version": "privacy-2026-10"}, PROOF)
    assert by_purpose(changes) == {"marketing_email": "granted", "profiling": "withdrawn"}
    c = changes[0]
    assert (c.method, c.explicit, c.notice_version) == ("banner", True, "privacy-2026-10")
    assert c.source == "web-banner"
    assert c.ip_hash and c.user_agent_hash and "203.0.113.7" not in (c.raw or "") + c.ip_hash
    assert "marketing_email" in (c.raw or "")


@pytest.mark.parametrize(("payload", "message"), [
    ({}, "non-empty 'purposes'"),
    ({"purposes": {"telepathy": True}}, "Unknown purpose"),
    ({"purposes": {"analytics": True}, "method": "tcf"}, "method must be 'api' or 'banner'"),
])
def test_bad_api_payloads_are_refused(payload: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        from_api(payload, PROOF)


def test_segment_category_preferences_map_to_purposes() -> None:
    context = {"consent": {"categoryPreferences": {"Analytics": True, "Advertising": False, "C0003": True,
                                                    "Strictly Necessary": True, "Weather": True}}}
    changes, ignored = from_segment_context(context, PROOF)
    assert by_purpose(changes) == {"analytics": "granted", "targeted_advertising": "denied",
                                   "sale_or_sharing": "denied", "personalisation": "granted"}
    assert ignored == ["Weather"]
    assert all(c.method == "tracking_event" for c in changes)
    assert from_segment_context({}, PROOF) == ([], [])


def test_tcf_purposes_map_to_ours_all_required_purposes_must_be_consented() -> None:
    text = encode_tc_string(tc(purposes_consent=frozenset({1, 3, 4, 8})))
    assert by_purpose(from_tcf(text, PROOF)) == {
        "analytics": "granted", "personalisation": "denied", "targeted_advertising": "granted",
        "profiling": "denied"}


def test_tcf_never_grants_profiling_and_prefers_the_publisher_segment() -> None:
    everything = frozenset(range(1, 12))
    publisher = PublisherTC(frozenset({1, 8}), frozenset(), 0, frozenset(), frozenset())
    text = encode_tc_string(tc(purposes_consent=everything, publisher_tc=publisher))
    assert by_purpose(from_tcf(text, PROOF)) == {
        "analytics": "granted", "personalisation": "denied", "targeted_advertising": "denied",
        "profiling": "denied"}
    assert "profiling" not in by_purpose(from_tcf(encode_tc_string(tc(purposes_consent=everything)), PROOF))


def test_a_cut_off_tc_string_records_nothing_and_says_why() -> None:
    with pytest.raises(ConsentStringError, match="truncated"):
        from_tcf(encode_tc_string(tc())[:20], PROOF)


def test_gpc_is_binding_in_california_only() -> None:
    changes, reason = from_gpc("1", pack_for("US-CA"), PROOF)
    assert by_purpose(changes) == {"sale_or_sharing": "denied", "targeted_advertising": "denied"}
    assert reason == "GPC signal is binding in US-CA"
    s = state_of("p1", changes)
    d = check(s, pack_for("US-CA"), "sale_or_sharing", "export", NOW)
    assert not d.allowed and d.reason == "GPC signal is binding in US-CA; sale_or_sharing denied"
    assert from_gpc("1", pack_for("EU"), PROOF)[0] == []
    assert "not binding in EU" in from_gpc("1", pack_for("EU"), PROOF)[1]
    assert from_gpc(None, pack_for("US-CA"), PROOF) == ([], "no GPC signal")


def test_a_repeated_gpc_signal_does_not_grow_the_ledger_and_an_explicit_grant_stands() -> None:
    first, _ = from_gpc("1", pack_for("US-CA"), PROOF)
    s = state_of("p1", first)
    assert effective(s, from_gpc("1", pack_for("US-CA"), PROOF, s)[0]) == []
    regrant = from_api({"purposes": {"sale_or_sharing": True}, "explicit": True},
                       Proof.of("p1", "app", NOW.replace(hour=13), SALT))
    s2 = state_of("p1", [*first, *regrant])
    again, _ = from_gpc("1", pack_for("US-CA"), Proof.of("p1", "web", NOW.replace(hour=14), SALT), s2)
    assert [c.purpose for c in again] == ["targeted_advertising"]


def test_gpp_usnat_opt_outs_sensitive_data_and_gpc_subsection() -> None:
    section = encode_usnat(usnat(sale_opt_out=1, targeted_advertising_opt_out=2,
                                 sensitive_data_processing=(0, 2, 1) + (0,) * 9, gpc=True))
    changes = from_gpp(encode_gpp_string({7: section}), pack_for("US-CA"), PROOF)
    assert [(c.purpose, c.status, c.method) for c in changes] == [
        ("sale_or_sharing", "denied", "gpp"), ("targeted_advertising", "granted", "gpp"),
        ("sensitive_data", "denied", "gpp"), ("sale_or_sharing", "denied", "gpc"),
        ("targeted_advertising", "denied", "gpc")]


def test_gpp_tcf_section_is_captured_like_a_tc_string() -> None:
    text = encode_gpp_string({2: encode_tc_string(tc(purposes_consent=frozenset({1, 8})))})
    changes = from_gpp(text, pack_for("EU"), PROOF)
    assert by_purpose(changes)["analytics"] == "granted"
    assert {c.method for c in changes} == {"gpp"}
