"""The append-only consent ledger and its projection: current consent per person and purpose.

A `ConsentChange` is the proof of one change (who, which purpose, what, when, how, from which
notice, raw signal, hashed IP / user agent). `fold` turns any sequence of changes into the state
of each person, with the full per-purpose history. Order: time, then refusals after grants made
in the same instant (the restrictive reading wins a tie), then change id.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, get_args

from frontoffice.consent.purposes import load_catalogue
from frontoffice.errors import InvalidInput

Status = Literal["granted", "denied", "withdrawn"]
Method = Literal["api", "banner", "tcf", "gpp", "gpc", "tracking_event", "merge", "dsr_restriction",
                 "dsr_objection"]
STATUSES: tuple[str, ...] = get_args(Status)
METHODS: tuple[str, ...] = get_args(Method)
_TIE_RANK = {"granted": 0, "denied": 1, "withdrawn": 1}
MIN_SALT_BYTES = 16


def hash_with_salt(value: str, salt: bytes) -> str:
    """HMAC-SHA256 of an IP or user agent keyed by the workspace salt, hex. The raw value is never kept."""
    if len(salt) < MIN_SALT_BYTES:
        raise InvalidInput(f"The workspace consent salt must be at least {MIN_SALT_BYTES} bytes; "
                           "generate one with secrets.token_bytes(32).")
    return hmac.new(salt, value.encode("utf-8"), hashlib.sha256).hexdigest()


@dataclass(frozen=True, slots=True)
class ConsentChange:
    change_id: str
    person_key: str
    purpose: str
    status: Status
    source: str
    at: datetime
    method: Method
    notice_version: str | None = None
    raw: str | None = None
    ip_hash: str | None = None
    user_agent_hash: str | None = None
    explicit: bool = False  # given as a separate, explicit consent (not bundled, not inferred)


def new_change(person_key: str, purpose: str, status: str, *, source: str, at: datetime, method: str,
               notice_version: str | None = None, raw: str | None = None, ip_hash: str | None = None,
               user_agent_hash: str | None = None, explicit: bool = False) -> ConsentChange:
    """Validate and build a change; its id is a digest of its content, so a replay has the same id."""
    if purpose not in load_catalogue().purposes:
        raise InvalidInput(f"Unknown purpose {purpose!r}; use one of {sorted(load_catalogue().purposes)}.")
    if status not in STATUSES:
        raise InvalidInput(f"Consent status must be one of {STATUSES}, not {status!r}.")
    if method not in METHODS:
        raise InvalidInput(f"Consent method must be one of {METHODS}, not {method!r}.")
    if at.tzinfo is None:
        raise InvalidInput("Consent change time must be timezone-aware (UTC).")
    if not person_key:
        raise InvalidInput("A consent change needs a person key.")
    digest = hashlib.sha256("\x1f".join(
        [person_key, purpose, status, source, at.isoformat(), method, notice_version or "", raw or "",
         str(explicit)]).encode("utf-8")).hexdigest()[:32]
    return ConsentChange(digest, person_key, purpose, status, source, at, method,  # type: ignore[arg-type]
                         notice_version, raw, ip_hash, user_agent_hash, explicit)


def order_key(c: ConsentChange) -> tuple[datetime, int, str]:
    return c.at, _TIE_RANK[c.status], c.change_id


@dataclass(frozen=True, slots=True)
class ConsentState:
    person_key: str
    current: Mapping[str, ConsentChange] = field(default_factory=dict)
    history: Mapping[str, tuple[ConsentChange, ...]] = field(default_factory=dict)

    def status(self, purpose: str) -> Status | None:
        c = self.current.get(purpose)
        return c.status if c else None


def state_of(person_key: str, changes: Iterable[ConsentChange]) -> ConsentState:
    """The state of one person from changes (others' changes are ignored; duplicates count once)."""
    mine = {c.change_id: c for c in changes if c.person_key == person_key}
    history: dict[str, list[ConsentChange]] = {}
    for c in sorted(mine.values(), key=order_key):
        history.setdefault(c.purpose, []).append(c)
    return ConsentState(person_key, {p: standing(h) for p, h in history.items()},
                        {p: tuple(h) for p, h in history.items()})


DSR_METHODS = frozenset({"dsr_restriction", "dsr_objection"})


def standing(history: Iterable[ConsentChange]) -> ConsentChange:
    """The change in force: the newest, except that a refusal recorded by a data-subject request
    (restriction, objection) is lifted only by a newer *explicit* grant — a cookie banner's
    routine preferences re-sent afterwards do not undo what the person asked for in a DSR."""
    current: ConsentChange | None = None
    for c in history:
        if (current is not None and current.method in DSR_METHODS and current.status != "granted"
                and c.status == "granted" and not c.explicit):
            continue
        current = c
    if current is None:
        raise InvalidInput("A purpose's history cannot be empty.")
    return current


def fold(changes: Iterable[ConsentChange]) -> dict[str, ConsentState]:
    """Every person's state from a ledger."""
    by_person: dict[str, list[ConsentChange]] = {}
    for c in changes:
        by_person.setdefault(c.person_key, []).append(c)
    return {k: state_of(k, cs) for k, cs in by_person.items()}


def apply(state: ConsentState, change: ConsentChange) -> ConsentState:
    """Incremental fold: the state after one more change (same result as re-folding)."""
    if change.person_key != state.person_key:
        raise InvalidInput(f"Change for {change.person_key!r} applied to the state of {state.person_key!r}.")
    past = state.history.get(change.purpose, ())
    if any(c.change_id == change.change_id for c in past):
        return state
    merged = tuple(sorted((*past, change), key=order_key))
    return ConsentState(state.person_key, {**state.current, change.purpose: standing(merged)},
                        {**state.history, change.purpose: merged})


def effective(state: ConsentState | None, proposed: Iterable[ConsentChange]) -> list[ConsentChange]:
    """Drop proposals that change nothing; a refusal of a standing grant is recorded as `withdrawn`."""
    out: list[ConsentChange] = []
    for c in proposed:
        cur = state.current.get(c.purpose) if state else None
        refusal = c.status != "granted"
        if cur is not None and (cur.status != "granted") == refusal and cur.explicit >= c.explicit:
            continue
        if refusal and cur is not None and cur.status == "granted" and c.status == "denied":
            out.append(new_change(c.person_key, c.purpose, "withdrawn", source=c.source, at=c.at,
                                  method=c.method, notice_version=c.notice_version, raw=c.raw,
                                  ip_hash=c.ip_hash, user_agent_hash=c.user_agent_hash, explicit=c.explicit))
        else:
            out.append(c)
    return out
