"""Consent when two people merge: per purpose the most restrictive record wins, unless the grant is
newer than the refusal and explicit. Each disagreement is returned as a `Conflict` with its reason;
the outcome is a set of `merge` changes to append for the surviving person key."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from frontoffice.consent.ledger import ConsentChange, ConsentState, new_change


@dataclass(frozen=True, slots=True)
class Conflict:
    purpose: str
    kept: ConsentChange
    overridden: ConsentChange
    reason: str


@dataclass(frozen=True, slots=True)
class MergeOutcome:
    changes: tuple[ConsentChange, ...]
    conflicts: tuple[Conflict, ...]


def _pick(purpose: str, a: ConsentChange, b: ConsentChange) -> tuple[ConsentChange, Conflict | None]:
    if (a.status == "granted") == (b.status == "granted"):
        # Two refusals: the newer stands. Two grants: an explicit grant stands over a bundled one.
        key = (lambda c: (c.explicit, c.at)) if a.status == "granted" else (lambda c: (False, c.at))
        return (a if key(a) >= key(b) else b), None
    grant, refusal = (a, b) if a.status == "granted" else (b, a)
    if grant.explicit and grant.at > refusal.at:
        return grant, Conflict(purpose, grant, refusal,
                               f"{purpose}: explicit grant of {grant.at.isoformat()} is newer than the "
                               f"{refusal.status} of {refusal.at.isoformat()}; grant kept")
    why = "not explicit" if not grant.explicit else "not newer"
    return refusal, Conflict(purpose, refusal, grant,
                             f"{purpose}: most restrictive kept ({refusal.status}); the grant is {why}")


def merge_consent(survivor: ConsentState, absorbed: ConsentState, at: datetime, source: str) -> MergeOutcome:
    """Changes that give `survivor.person_key` the merged consent, and the conflicts found."""
    changes: list[ConsentChange] = []
    conflicts: list[Conflict] = []
    for purpose in sorted(set(survivor.current) | set(absorbed.current)):
        mine, theirs = survivor.current.get(purpose), absorbed.current.get(purpose)
        if theirs is None:
            continue
        if mine is None:
            winner, conflict = theirs, None
        else:
            winner, conflict = _pick(purpose, mine, theirs)
        if conflict is not None:
            conflicts.append(conflict)
        if winner is mine:
            continue
        changes.append(new_change(
            survivor.person_key, purpose, winner.status, source=source, at=at, method="merge",
            notice_version=winner.notice_version,
            raw=f"merged from {absorbed.person_key} change {winner.change_id}",
            explicit=winner.explicit))
    return MergeOutcome(tuple(changes), tuple(conflicts))


@dataclass(frozen=True, slots=True)
class Winner:
    change: ConsentChange  # the subject's own record that decides the person's consent
    reason: str


@dataclass(frozen=True, slots=True)
class PersonConsent:
    """A merged person's consent per purpose over all their subjects, and the conflicts found."""

    person_key: str
    purposes: dict[str, Winner]
    conflicts: tuple[Conflict, ...]


def merge_states(person_key: str, states: Iterable[ConsentState]) -> PersonConsent:
    """Fold every subject's current consent into one per purpose, with the rule of `merge_consent`.
    Subjects are taken in key order so the result (conflicts included) does not depend on the order
    they were loaded in; the winner is always an original record, never a copy dated at the merge,
    so "newer" keeps meaning when the person gave it."""
    winners: dict[str, Winner] = {}
    conflicts: list[Conflict] = []
    for state in sorted(states, key=lambda s: s.person_key):
        for purpose, theirs in sorted(state.current.items()):
            mine = winners.get(purpose)
            if mine is None:
                winners[purpose] = Winner(theirs, f"{purpose}: only record ({theirs.person_key})")
                continue
            kept, conflict = _pick(purpose, mine.change, theirs)
            if conflict is not None:
                conflicts.append(conflict)
                winners[purpose] = Winner(kept, conflict.reason)
            elif kept is not mine.change:
                winners[purpose] = Winner(kept, f"{purpose}: {kept.person_key} agrees and is "
                                                f"{'explicit' if kept.explicit else 'newer'}")
    return PersonConsent(person_key, winners, tuple(conflicts))
