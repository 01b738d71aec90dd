"""A refusal recorded by a data-subject request (restriction, objection) stays in force until
the person explicitly grants again: a banner re-sending routine preferences does not lift it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import reduce

from frontoffice.consent.ledger import ConsentChange, ConsentState, apply, new_change, state_of

T0 = datetime(2026, 5, 1, tzinfo=UTC)


def change(status: str, minutes: int, method: str, *, explicit: bool = False) -> ConsentChange:
    return new_change("user_id:ann", "marketing_email", status, source="test",
                      at=T0 + timedelta(minutes=minutes), method=method, explicit=explicit)


def both_ways(*changes: ConsentChange) -> ConsentChange:
    folded = state_of("user_id:ann", changes)
    applied = reduce(apply, changes, ConsentState("user_id:ann"))
    assert folded.current == applied.current
    return folded.current["marketing_email"]


def test_a_banner_grant_after_a_dsr_restriction_does_not_lift_it() -> None:
    restricted = change("denied", 1, "dsr_restriction")
    banner = change("granted", 2, "banner")
    assert both_ways(change("granted", 0, "banner"), restricted, banner) == restricted


def test_an_explicit_grant_after_a_dsr_objection_lifts_it() -> None:
    explicit = change("granted", 2, "api", explicit=True)
    assert both_ways(change("denied", 1, "dsr_objection"), explicit) == explicit


def test_ordinary_refusals_are_still_undone_by_any_newer_grant() -> None:
    banner = change("granted", 2, "banner")
    assert both_ways(change("denied", 1, "banner"), banner) == banner
