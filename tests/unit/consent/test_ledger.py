"""The ledger is append-only proof; current consent is a pure fold with history."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frontoffice.consent import ConsentState, apply, effective, fold, hash_with_salt, new_change, state_of
from frontoffice.errors import InvalidInput
from tests.unit.consent.support import NOW, SALT, change


def test_the_latest_change_is_current_and_all_are_kept_as_history() -> None:
    a = change("analytics", "granted", days_ago=10)
    b = change("analytics", "withdrawn", days_ago=5)
    c = change("analytics", "granted", days_ago=1, method="banner")
    s = state_of("p1", [c, a, b])
    assert s.current["analytics"] == c
    assert s.history["analytics"] == (a, b, c)
    assert s.status("analytics") == "granted" and s.status("profiling") is None


def test_a_refusal_at_the_same_instant_as_a_grant_wins() -> None:
    grant = change("analytics", "granted", days_ago=1)
    deny = change("analytics", "denied", days_ago=1, method="banner")
    assert state_of("p1", [deny, grant]).status("analytics") == "denied"
    assert state_of("p1", [grant, deny]).status("analytics") == "denied"


def test_replayed_changes_count_once_and_have_the_same_id() -> None:
    a, again = change("analytics", "granted"), change("analytics", "granted")
    assert a.change_id == again.change_id
    assert state_of("p1", [a, again]).history["analytics"] == (a,)


def test_fold_separates_people() -> None:
    states = fold([change("analytics", "granted", person="a"), change("analytics", "denied", person="b")])
    assert states["a"].status("analytics") == "granted" and states["b"].status("analytics") == "denied"


statuses = st.sampled_from(["granted", "denied", "withdrawn"])
purposes = st.sampled_from(["analytics", "marketing_email", "profiling"])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(purposes, statuses, st.integers(0, 50)), max_size=25))
def test_incremental_apply_equals_a_full_fold_in_any_order(items: list[tuple[str, str, int]]) -> None:
    changes = [change(p, s, days_ago=d) for p, s, d in items]
    s = ConsentState("p1")
    for c in reversed(changes):
        s = apply(s, c)
    assert s == state_of("p1", changes)


def test_effective_drops_repeats_and_records_a_refusal_of_a_grant_as_withdrawal() -> None:
    s = state_of("p1", [change("analytics", "granted", days_ago=3),
                        change("profiling", "denied", days_ago=3)])
    proposed = [change("analytics", "denied"), change("profiling", "denied"),
                change("marketing_email", "granted")]
    out = effective(s, proposed)
    assert [(c.purpose, c.status) for c in out] == [("analytics", "withdrawn"),
                                                    ("marketing_email", "granted")]


def test_ip_and_user_agent_are_hashed_with_the_workspace_salt() -> None:
    h = hash_with_salt("203.0.113.7", SALT)
    assert len(h) == 64 and "203.0.113.7" not in h
    assert h != hash_with_salt("203.0.113.7", SALT[::-1])
    with pytest.raises(InvalidInput, match="at least 16 bytes"):
        hash_with_salt("203.0.113.7", b"short")


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"purpose": "telepathy"}, "Unknown purpose"),
    ({"status": "maybe"}, "status must be one of"),
    ({"method": "carrier_pigeon"}, "method must be one of"),
    ({"at": datetime(2026, 1, 1)}, "timezone-aware"),
    ({"person_key": ""}, "needs a person key"),
])
def test_invalid_changes_are_refused_with_what_to_do(kwargs: dict[str, object], message: str) -> None:
    args: dict[str, object] = {"person_key": "p1", "purpose": "analytics", "status": "granted",
                               "source": "t", "at": NOW - timedelta(days=1), "method": "api"}
    args.update(kwargs)
    with pytest.raises(InvalidInput, match=message):
        new_change(**args)  # type: ignore[arg-type]
