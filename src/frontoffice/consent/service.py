"""Consent use cases: capture (to the event log), project (log → ledger + state), show, check.

The event log stays the source of truth: a consent captured through the API becomes one
family-``consent`` event per change, whose ``messageId`` is the change id; the projector folds
those and the consent signals of tracking events into the ledger and the current state, in
``seq`` order, from a checkpoint. Rebuilding replays the log into the same state.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import orjson

from frontoffice.consent.capture import Proof, from_api, from_gpp, from_tcf
from frontoffice.consent.decision import Decision
from frontoffice.consent.gpp import decode_gpp_string
from frontoffice.consent.ledger import ConsentChange, ConsentState, order_key, state_of
from frontoffice.consent.policy import check as policy_check
from frontoffice.consent.ports import ERASED_SUBJECT, ConsentLedger, EventLog, LedgerRow
from frontoffice.consent.projector import (
    CONSENT_EVENT_TYPE,
    CONSENT_FAMILY,
    TRACKING_FAMILY,
    Subject,
    change_payload,
    evidence_from_dict,
    parse_subject,
    project,
)
from frontoffice.consent.region import Resolution, resolve_region
from frontoffice.consent.store import ConsentStore
from frontoffice.consent.tcf import decode_tc_string
from frontoffice.domain.events import EventRecord, iso
from frontoffice.errors import InvalidInput
from frontoffice.projection.contract import ProjectionMoved, WorkspaceLocks, page_of
from frontoffice.storage.port import AppendBatch
from frontoffice.storage.sql import SqlStore

BATCH_EVENTS = 1000
READS = frozenset({CONSENT_FAMILY, TRACKING_FAMILY})  # changes, and tracking's consent signals
MAX_CLOCK_SKEW = timedelta(minutes=5)


def internal_source(workspace_id: str) -> str:
    """Source id of the consent events frontoffice writes for a workspace (ids unique per workspace)."""
    return f"frontoffice-consent:{workspace_id}"


class ConsentHub:
    """Runs the projector; one lock per workspace so a process never projects a workspace twice at
    once (across processes the checkpoint's compare-and-set refuses the slower one, which retries)."""

    def __init__(self, log: EventLog, ledger: ConsentLedger) -> None:
        self.log, self.ledger = log, ledger
        self._lock = WorkspaceLocks()

    @classmethod
    def of(cls, store: SqlStore) -> ConsentHub:
        """The hub of a store's log and consent tables."""
        return cls(store, ConsentStore(store))

    def catch_up(self, ws: str, batch_events: int = BATCH_EVENTS) -> int:
        """Apply the log's consent and tracking events since the checkpoint (the checkpoint
        passes the other families unread); returns the number of events read."""
        done = 0
        with self._lock(ws):
            salt = self.ledger.salt(ws)
            upto = self.log.last_seq(ws)
            while True:
                after = self.ledger.checkpoint(ws)
                if after >= upto:
                    return done
                rows, passed = page_of(self.log, ws, after, upto, batch_events, families=READS)

                def load(keys: Collection[str], after: int = after) -> dict[str, Subject]:
                    changes, evidence = self.ledger.subjects_as_of(ws, keys, after)
                    return {k: Subject(k, state_of(k, changes.get(k, ())), evidence_from_dict(evidence[k]),
                                       stored=True) for k in evidence}

                batch = project([(e.seq, e.source_id, e.record) for e in rows], load, salt, after)
                batch.last_seq = passed
                try:
                    self.ledger.apply(ws, after, batch)
                except ProjectionMoved:
                    continue
                done += len(rows)

    def rebuild(self, ws: str) -> int:
        """Drop the projection (the ledger stays) and replay the whole log."""
        with self._lock(ws):
            self.ledger.reset(ws)
        return self.catch_up(ws)


@dataclass(frozen=True, slots=True)
class Capture:
    """A consent captured through the API, before it is written to the log."""

    subject: str
    purposes: Mapping[str, str | bool] | None = None
    tc_string: str | None = None
    gpp_string: str | None = None
    method: str = "api"
    explicit: bool = False
    notice_version: str | None = None
    source: str = "api"
    at: datetime | None = None
    ip: str | None = None
    user_agent: str | None = None
    token_id: str | None = None


@dataclass(frozen=True, slots=True)
class SubjectConsent:
    subject: str
    known: bool
    state: ConsentState
    region: Resolution
    ledger: tuple[LedgerRow, ...] = field(default=())

    def seq_of(self, change_id: str) -> int | None:
        return next((r.seq for r in self.ledger if r.change.change_id == change_id), None)


def consent_record(change: ConsentChange, received_at: datetime, token_id: str | None) -> EventRecord:
    """The log event of one change captured through the API. A ``user_id:`` / ``anonymous_id:``
    subject also fills that column, so the change shows on the person's timeline."""
    kind, _, value = change.person_key.partition(":")
    return EventRecord(
        message_id=change.change_id, family=CONSENT_FAMILY, type=CONSENT_EVENT_TYPE, event=change.purpose,
        user_id=value if kind == "user_id" else None,
        anonymous_id=value if kind == "anonymous_id" else None, previous_id=None, group_id=None,
        timestamp=iso(change.at),
        original_timestamp=None, sent_at=None, received_at=iso(received_at),
        payload=orjson.dumps(change_payload(change, token_id=token_id)))


def subject_consent(store: SqlStore, ws: str, subject: str) -> SubjectConsent:
    """The subject's current consent (from the state projection), history and proof (ledger), region."""
    return subject_view(ConsentStore(store), ws, subject)


def subject_view(ledger: ConsentLedger, ws: str, subject: str) -> SubjectConsent:
    """`subject_consent` on the ledger port."""
    key = parse_subject(subject)
    # An erased person's ledger rows stay as shredded tombstones: they are nobody's consent, and
    # an erased address must read exactly like one never seen.
    kept = (r for r in ledger.ledger(ws, key) if not r.change.person_key.startswith(ERASED_SUBJECT))
    rows = tuple(sorted(kept, key=lambda r: order_key(r.change)))
    by_id = {r.change.change_id: r.change for r in rows}
    history: dict[str, list[ConsentChange]] = {}
    for r in rows:
        history.setdefault(r.change.purpose, []).append(r.change)
    current = {purpose: by_id[cid] for _, purpose, cid, _, _ in ledger.current(ws, key) if cid in by_id}
    evidence = ledger.evidence(ws, key)
    state = ConsentState(key, current, {p: tuple(h) for p, h in history.items()})
    return SubjectConsent(key, bool(rows) or evidence is not None, state,
                          resolve_region(evidence_from_dict(evidence or {})), rows)


def prepare(store: SqlStore, ws: str, capture: Capture, now: datetime) -> list[EventRecord]:
    """Decode and validate a capture strictly; the log events to append. Nothing is written here,
    so a rejected TC/GPP string records nothing."""
    if not (capture.purposes or capture.tc_string or capture.gpp_string):
        raise InvalidInput("Send 'purposes' (e.g. {\"marketing_email\": \"granted\"}), a 'tcString' or a "
                           "'gppString'.")
    at = capture.at or now
    if at.tzinfo is None:
        raise InvalidInput("'at' must carry a time zone, e.g. 2026-05-01T10:00:00Z.")
    if at > now + MAX_CLOCK_SKEW:
        raise InvalidInput(f"'at' {at.isoformat()} is in the future; send the time the person gave "
                           "the consent, or leave it out to use the time of the request.")
    ledger = ConsentStore(store)
    current = subject_view(ledger, ws, capture.subject)
    tc = decode_tc_string(capture.tc_string) if capture.tc_string else None
    gpp = decode_gpp_string(capture.gpp_string) if capture.gpp_string else None
    proof = Proof.of(current.subject, capture.source, at, ledger.salt(ws), ip=capture.ip,
                     user_agent=capture.user_agent, notice_version=capture.notice_version)
    changes: list[ConsentChange] = []
    if capture.purposes:
        changes += from_api({"purposes": dict(capture.purposes), "method": capture.method,
                             "explicit": capture.explicit, "notice_version": capture.notice_version}, proof)
    if tc is not None and capture.tc_string:
        changes += from_tcf(capture.tc_string, proof)
    if gpp is not None and capture.gpp_string:
        changes += from_gpp(capture.gpp_string, current.region.pack, proof, current.state)
    unique = {c.change_id: c for c in changes}
    return [consent_record(c, now, capture.token_id) for c in unique.values()]


def record(store: SqlStore, hub: ConsentHub, ws: str, capture: Capture, now: datetime) -> SubjectConsent:
    """Capture → log → projection, synchronously."""
    append(store, hub, ws, prepare(store, ws, capture, now))
    return subject_consent(store, ws, capture.subject)


def append(store: SqlStore, hub: ConsentHub, ws: str, records: list[EventRecord]) -> None:
    """Write prepared consent events to the log, then bring the projection up to date."""
    store.append([AppendBatch(ws, internal_source(ws), records, origin="consent")])
    hub.catch_up(ws)


@dataclass(frozen=True, slots=True)
class CheckResult:
    subject: str
    purpose: str
    channel: str
    decision: Decision
    region: Resolution


def check(store: SqlStore, ws: str, subject: str, purpose: str, channel: str, now: datetime) -> CheckResult:
    """The policy check for a subject: fails closed for a subject the log has never mentioned."""
    view = subject_consent(store, ws, subject)
    decision = policy_check(view.state if view.known else None, view.region.pack, purpose, channel, now)
    return CheckResult(view.subject, purpose, channel, decision, view.region)
