"""Merging two people: most restrictive per purpose unless a newer explicit grant exists."""

from __future__ import annotations

from frontoffice.consent import merge_consent, state_of
from tests.unit.consent.support import NOW, change, state


def merged(a: list, b: list):  # type: ignore[no-untyped-def, type-arg]
    survivor, absorbed = state(*a, person="a"), state(*b, person="b")
    out = merge_consent(survivor, absorbed, NOW, "merge:a+b")
    return out, state_of("a", [*a, *out.changes])


def test_the_most_restrictive_consent_wins_and_the_conflict_is_recorded() -> None:
    out, s = merged([change("marketing_email", "granted", days_ago=1, person="a")],
                    [change("marketing_email", "denied", days_ago=30, person="b")])
    assert s.status("marketing_email") == "denied"
    (conflict,) = out.conflicts
    assert conflict.purpose == "marketing_email" and conflict.kept.status == "denied"
    assert "the grant is not explicit" in conflict.reason
    assert out.changes[0].method == "merge" and "merged from b" in (out.changes[0].raw or "")


def test_a_newer_explicit_grant_beats_an_older_refusal() -> None:
    out, s = merged([change("marketing_email", "denied", days_ago=30, person="a")],
                    [change("marketing_email", "granted", days_ago=1, explicit=True, person="b")])
    assert s.status("marketing_email") == "granted"
    assert "grant kept" in out.conflicts[0].reason


def test_an_older_explicit_grant_loses_to_a_newer_refusal() -> None:
    out, s = merged([change("analytics", "granted", days_ago=30, explicit=True, person="a")],
                    [change("analytics", "withdrawn", days_ago=2, person="b")])
    assert s.status("analytics") == "withdrawn"
    assert "not newer" in out.conflicts[0].reason


def test_purposes_only_one_side_knows_are_carried_over_without_conflict() -> None:
    out, s = merged([change("analytics", "granted", person="a")], [change("profiling", "denied", person="b")])
    assert (s.status("analytics"), s.status("profiling")) == ("granted", "denied")
    assert out.conflicts == ()


def test_agreeing_records_produce_no_conflict() -> None:
    out, s = merged([change("analytics", "denied", days_ago=5, person="a")],
                    [change("analytics", "withdrawn", days_ago=1, person="b")])
    assert out.conflicts == () and s.status("analytics") == "withdrawn"
