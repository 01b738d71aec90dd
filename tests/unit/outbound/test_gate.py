"""The pure outbound gate: merging a person's subjects, the region, and failing closed."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from frontoffice.consent.packs import load_packs
from frontoffice.consent.region import Evidence
from frontoffice.outbound.gate import decide, merge_states, merged_evidence, person_consent
from tests.unit.consent.support import NOW, change, state

PACKS = load_packs()
DE = Evidence(address_country="DE")
CA = Evidence(address_country="US", address_subdivision="CA")


def test_a_refusal_on_any_subject_beats_an_older_grant_on_another() -> None:
    grant = change("marketing_email", "granted", days_ago=5, explicit=True, person="email:a")
    states = {"email:a": state(grant, person="email:a"),
              "user_id:a": state(change("marketing_email", "denied", days_ago=2, person="user_id:a"),
                                 person="user_id:a")}
    pc = person_consent("p1", states, [DE], True, NOW)
    verdict = decide(pc, "marketing_email", "email", NOW, PACKS)
    assert not verdict.allowed and verdict.rule == "EU/marketing_email/opt_in" and "denied" in verdict.reason
    assert pc.conflicts and "most restrictive" in pc.conflicts[0]


def test_a_newer_explicit_grant_beats_an_older_refusal_but_a_bundled_one_does_not() -> None:
    refusal = change("analytics", "denied", days_ago=9, person="user_id:a")
    explicit = change("analytics", "granted", days_ago=1, explicit=True, person="email:a")
    bundled = change("analytics", "granted", days_ago=1, explicit=False, person="email:a")
    for grant, allowed in ((explicit, True), (bundled, False)):
        states = {"user_id:a": state(refusal, person="user_id:a"), "email:a": state(grant, person="email:a")}
        pc = person_consent("p1", states, [DE], True, NOW)
        assert decide(pc, "analytics", "web", NOW, PACKS).allowed is allowed
        assert pc.subjects == ("email:a", "user_id:a") and len(pc.conflicts) == 1


def test_merging_keeps_the_original_record_not_a_copy_dated_at_the_merge() -> None:
    old = change("profiling", "denied", days_ago=20, person="user_id:a")
    merged, _ = merge_states("p1", [state(old, person="user_id:a")], NOW)
    assert merged.current["profiling"] == old


def test_a_gpc_refusal_keeps_its_method_through_the_merge() -> None:
    gpc = change("sale_or_sharing", "denied", days_ago=3, method="gpc", person="anonymous_id:x")
    states = {"anonymous_id:x": state(gpc, person="anonymous_id:x")}
    verdict = decide(person_consent("p1", states, [CA], True, NOW), "sale_or_sharing", "webhook", NOW, PACKS)
    assert not verdict.allowed and verdict.rule.endswith("/gpc")


def test_the_golden_record_region_comes_first_and_no_evidence_is_the_strictest() -> None:
    assert merged_evidence([DE, CA]).address_country == "DE"
    assert merged_evidence([Evidence(), CA]).address_subdivision == "CA"
    pc = person_consent("p1", {}, [Evidence()], True, NOW)
    assert pc.region.region == "STRICTEST"
    assert not decide(pc, "analytics", "web", NOW, PACKS).allowed


def test_opt_out_regions_allow_a_known_person_without_records_and_opt_in_regions_refuse() -> None:
    for where, allowed in ((CA, True), (DE, False)):
        pc = person_consent("p1", {}, [where], True, NOW)
        assert decide(pc, "sale_or_sharing", "export", NOW, PACKS).allowed is allowed


def test_nobody_known_missing_pack_and_unknown_purpose_fail_closed_with_reasons() -> None:
    nobody = decide(person_consent("x", {}, [CA], False, NOW), "essential", "email", NOW, PACKS)
    assert not nobody.allowed and nobody.rule == "fail-closed/no-state"
    no_pack = decide(person_consent("p1", {}, [CA], True, NOW), "essential", "email", NOW, {})
    assert not no_pack.allowed and "US-CA" in no_pack.reason
    odd = decide(person_consent("p1", {}, [CA], True, NOW), "mind_reading", "email", NOW, PACKS)
    assert not odd.allowed and odd.rule == "fail-closed/unknown-purpose"


STATUSES = st.sampled_from(["granted", "denied", "withdrawn"])
RECORD = st.tuples(STATUSES, st.integers(1, 30), st.booleans())  # status, days ago, explicit


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.none(), RECORD), min_size=1, max_size=4),
       st.sampled_from(["analytics", "marketing_email", "sale_or_sharing"]), st.sampled_from([DE, CA]))
def test_a_merged_person_is_allowed_only_if_every_refusal_is_overridden_by_a_newer_explicit_grant(
        records: list[tuple[str, int, bool] | None], purpose: str, where: Evidence) -> None:
    states = {}
    for i, rec in enumerate(records):
        key = f"user_id:s{i}"
        changes = [] if rec is None else [
            change(purpose, rec[0], days_ago=rec[1], explicit=rec[2], person=key)]
        states[key] = state(*changes, person=key)
    channel = {"analytics": "web", "marketing_email": "email", "sale_or_sharing": "export"}[purpose]
    verdict = decide(person_consent("p", states, [where], True, NOW), purpose, channel, NOW, PACKS)
    held = [r for r in records if r is not None]
    refusals = [r for r in held if r[0] != "granted"]
    grants = [r for r in held if r[0] == "granted"]
    if verdict.allowed:
        for refusal in refusals:  # each refusal is outranked by a newer explicit grant
            assert any(g[2] and g[1] < refusal[1] for g in grants), (records, verdict)
    mode = PACKS["EU" if where is DE else "US-CA"].rules[purpose].mode
    if mode == "opt_in" and not grants:
        assert not verdict.allowed
    if not refusals and (grants or mode != "opt_in"):
        assert verdict.allowed, (records, verdict)
