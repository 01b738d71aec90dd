"""Collection honours consent: events of a subject who refused a purpose are stored reduced.

Runs on every accepted batch, before the append, so the payload in the log is already the
reduced one, with ``context.frontoffice.reduced: [{purpose, rule, reason, fields}]`` saying what
went and why. It must not slow ingest down, so almost every event takes the fast path: a set
membership test of its subject key against the workspace's *refused subjects* (a subject with a
refusal of a purpose some pack reduces for, on its own or through a merged person), plus a byte
scan for an in-band consent signal (``context.consent``, ``Sec-GPC: 1``). Only those events are
parsed, looked up (TTL-cached) and reduced.

The refused set is reloaded only when consent moved: every ``cache_seconds`` a probe reads the
newest consent-state seq and the person-consent version (two indexed reads) and reloads the set
when either changed. A refusal therefore applies at collection from the moment the projection
has it (the worker runs every 0.1 s) plus at most ``cache_seconds``; a refusal carried by the
event itself applies to that event at once.

Only a refusal reduces (denied, withdrawn, GPC where binding): a purpose with no record at all
is not reduced, even in an opt-in region, because the collector cannot tell a first-time
visitor's choice; every outbound use is checked by the policy, which fails closed for opt-in
purposes. An event the pack drops whole (or that loses its only identifier) would take its
consent signal with it: its region-independent consent changes (``categoryPreferences``, a TC
string) are written to the log as consent events instead, in the same transaction, so the refusal
still reaches the ledger. GPC comes with every request of the browser, so a later kept event
carries it.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import lru_cache
from typing import Any

from frontoffice.cache import TtlLookup
from frontoffice.consent.capture import Proof
from frontoffice.consent.collection import (
    PurposeReduction,
    carries_signal,
    in_band,
    mark_reduced,
    reduce_by_purpose,
)
from frontoffice.consent.ledger import ConsentChange, ConsentState
from frontoffice.consent.packs import RegionPack, load_packs
from frontoffice.consent.projector import TRACKING_FAMILY, evidence_from_dict, merge_evidence, subject_of
from frontoffice.consent.region import Evidence, evidence_from_traits, resolve_region
from frontoffice.domain import jsontext
from frontoffice.domain.events import EventRecord
from frontoffice.services.consent import consent_record
from frontoffice.storage.consent_person_sql import PersonConsentSql
from frontoffice.storage.consent_sql import ConsentSql
from frontoffice.storage.sql import SqlStore

MAX_SUBJECTS = 200_000


@dataclass(frozen=True, slots=True)
class _Known:
    state: ConsentState
    evidence: Evidence


@dataclass(frozen=True, slots=True)
class Reduced:
    message_id: str
    dropped: bool
    reductions: tuple[PurposeReduction, ...]


class ConsentGate:
    def __init__(self, store: SqlStore, cache_seconds: float) -> None:
        self._people = PersonConsentSql(store)
        self._consent = ConsentSql(store)
        self._purposes = sorted({p for pack in load_packs().values() for p in pack.reduce})
        self._loaded: dict[str, tuple[tuple[int, int], frozenset[str]]] = {}
        self._lock = threading.Lock()
        self._refused: TtlLookup[str, frozenset[str]] = TtlLookup(self._load_refused, cache_seconds, 10_000)
        self._known: TtlLookup[tuple[str, str], _Known] = TtlLookup(
            self._load_known, cache_seconds, MAX_SUBJECTS
        )
        self._salts: TtlLookup[str, bytes] = TtlLookup(self._consent.salt, 3600.0, 10_000)

    def _load_refused(self, ws: str) -> frozenset[str]:
        version = self._people.version(ws)
        with self._lock:
            seen = self._loaded.get(ws)
        if seen is not None and seen[0] == version:
            return seen[1]
        refused = frozenset(self._people.refused_subjects(ws, self._purposes))
        with self._lock:
            self._loaded[ws] = (version, refused)
        return refused

    def _load_known(self, key: tuple[str, str]) -> _Known:
        ws, subject = key
        state = self._people.person_state(ws, subject)
        if state is None:
            own = self._people.states(ws, [subject])
            state = own[0] if own else ConsentState(subject)
        return _Known(state, evidence_from_dict(self._consent.evidence(ws, subject) or {}))

    def apply(
        self,
        ws: str,
        source_id: str,
        records: Sequence[EventRecord],
        items: Sequence[Mapping[str, Any]],
        batch_signal: bool,
        now: datetime,
    ) -> tuple[list[EventRecord], list[Reduced]]:
        """(records to store, what was reduced). `items` are the request's events as parsed, aligned
        with `records`; `batch_signal`: the batch's own context (or `Sec-GPC`) carries consent.
        Consent events replace the signals of events dropped whole."""
        refused = self._refused.get(ws)
        out: list[EventRecord] = []
        notes: list[Reduced] = []
        for record, item in zip(records, items, strict=True):
            subject = subject_of(record) if record.family == TRACKING_FAMILY else None
            if subject is None or (subject not in refused and not batch_signal and not _signal(item)):
                out.append(record)  # the fast path: no refusal on record, no signal in the event
                continue
            kept, note, changes = self._reduce(ws, source_id, subject, record, now)
            if kept is not None:
                out.append(kept)
            out += [consent_record(c, now, None) for c in changes]
            if note is not None:
                notes.append(note)
        return out, notes

    def _reduce(
        self, ws: str, source_id: str, subject: str, record: EventRecord, now: datetime
    ) -> tuple[EventRecord | None, Reduced | None, list[ConsentChange]]:
        event = jsontext.loads(record.payload)
        context = event.get("context") if isinstance(event.get("context"), dict) else {}
        known = self._known.get((ws, subject))
        traits = {**_dict(context.get("traits")), **_dict(event.get("traits"))}
        pack = _pack_of(merge_evidence(known.evidence, evidence_from_traits(traits, context)))
        state, changes = known.state, list[ConsentChange]()
        if carries_signal(context):
            ip, ua = context.get("ip"), context.get("userAgent")
            proof = Proof.of(
                subject,
                f"source:{source_id}",
                datetime.fromisoformat(record.timestamp),
                self._salts.get(ws),
                ip=ip if isinstance(ip, str) else None,
                user_agent=ua if isinstance(ua, str) else None,
            )
            state, changes = in_band(state, context, pack, proof)
        reduced, reductions = reduce_by_purpose(event, state, pack, now, refusals_only=True, owned=True)
        if not reductions:
            return record, None, []
        if reduced is not None and not (reduced.get("userId") or reduced.get("anonymousId")):
            last = reductions[-1]
            reductions = (
                *reductions,
                PurposeReduction(
                    last.purpose,
                    last.rule,
                    "the event's only identifier was removed; an event without a subject is not kept",
                    ("<event>",),
                ),
            )
            reduced = None
        if reduced is None:
            # The event goes; its consent signal must not go with it.
            return None, Reduced(record.message_id, True, reductions), changes
        mark_reduced(reduced, reductions)
        anonymous = record.anonymous_id if reduced.get("anonymousId") is not None else None
        stored = replace(record, payload=jsontext.dumps(reduced), anonymous_id=anonymous)
        return stored, Reduced(record.message_id, False, reductions), []


@lru_cache(maxsize=4096)
def _pack_of(evidence: Evidence) -> RegionPack:
    """Resolving a region parses phone numbers (~0.5 ms); people repeat, so remember it."""
    return resolve_region(evidence).pack


def _signal(item: Mapping[str, Any]) -> bool:
    context = item.get("context")
    return isinstance(context, dict) and ("consent" in context or context.get("gpc") is True)


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
