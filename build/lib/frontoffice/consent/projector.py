"""The consent projection of the event log: which changes each event adds to the ledger.

Pure: the caller loads what the ledger knew before the batch (`Subject`: state + region
evidence), this module reads the events in `seq` order and returns the changes to append and
the subjects it touched. Sources of consent in the log:

* family ``consent`` — changes captured through the API, one event per change, whose
  ``messageId`` is the change id (the payload is the change with its proof);
* family ``tracking`` — Segment events: ``context.consent.categoryPreferences``,
  ``context.consent.tcString`` / ``gppString``, and ``context.gpc`` (the ``Sec-GPC: 1`` header).

A consent is keyed by a *subject key* (``user_id:cus_1``, ``anonymous_id:x``, ``email:a@b.com``),
never by a person id: persons come and go with merges and splits, a subject key is what the
signal was about. Tracking events speak for their ``userId`` when they have one, else their
``anonymousId``. Region evidence (traits, locale, IP location) accumulates per subject; the
latest non-empty value of each field wins.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from typing import Any

import orjson

from frontoffice.consent.capture import Proof, from_gpc, from_gpp, from_segment_context, from_tcf
from frontoffice.consent.errors import ConsentStringError
from frontoffice.consent.ledger import ConsentChange, ConsentState, apply, effective, new_change
from frontoffice.consent.region import Evidence, Resolution, evidence_from_traits, resolve_region
from frontoffice.domain.events import EventRecord
from frontoffice.errors import InvalidInput

CONSENT_FAMILY = "consent"
CONSENT_EVENT_TYPE = "consent_change"
TRACKING_FAMILY = "tracking"
SUBJECT_KINDS = ("user_id", "anonymous_id", "email", "phone", "person_id")
EVIDENCE_FIELDS = tuple(f.name for f in fields(Evidence))


def parse_subject(subject: str) -> str:
    """Validate a subject key ``kind:value``; returns it stripped."""
    kind, sep, value = subject.strip().partition(":")
    if not sep or kind not in SUBJECT_KINDS or not value.strip() or "\x00" in subject or len(subject) > 600:
        raise InvalidInput(f"Subject {subject[:80]!r} is not a subject key: write kind:value with kind one "
                           f"of {', '.join(SUBJECT_KINDS)}, e.g. user_id:cus_1 or email:ann@example.com.")
    return f"{kind}:{value.strip()}"


def subject_of(record: EventRecord) -> str | None:
    """The subject a tracking event speaks for: its userId, else its anonymousId."""
    if record.user_id:
        return f"user_id:{record.user_id}"
    if record.anonymous_id:
        return f"anonymous_id:{record.anonymous_id}"
    return None


@dataclass
class Subject:
    key: str
    state: ConsentState
    evidence: Evidence = field(default_factory=Evidence)
    stored: bool = False  # the projection already has a row for this subject
    changed: bool = False

    @property
    def region(self) -> Resolution:
        return resolve_region(self.evidence)


@dataclass
class Projection:
    last_seq: int
    changes: list[tuple[int, ConsentChange]] = field(default_factory=list)  # (seq, change)
    subjects: dict[str, Subject] = field(default_factory=dict)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (seq, why a signal was ignored)


def change_payload(change: ConsentChange, **extra: object) -> dict[str, Any]:
    """The payload of a family-``consent`` event: the change with its proof."""
    return {"type": CONSENT_EVENT_TYPE, "messageId": change.change_id, "subject": change.person_key,
            "purpose": change.purpose, "status": change.status, "source": change.source,
            "at": change.at.isoformat(), "method": change.method,
            "notice_version": change.notice_version, "raw": change.raw, "ip_hash": change.ip_hash,
            "user_agent_hash": change.user_agent_hash, "explicit": change.explicit, **extra}


def change_from_payload(payload: Mapping[str, Any]) -> ConsentChange:
    """Rebuild a change from its event; the id is recomputed and must match (a tampered event fails)."""
    change = new_change(
        str(payload["subject"]), str(payload["purpose"]), str(payload["status"]),
        source=str(payload["source"]), at=datetime.fromisoformat(str(payload["at"])),
        method=str(payload["method"]), notice_version=payload.get("notice_version"),
        raw=payload.get("raw"), ip_hash=payload.get("ip_hash"),
        user_agent_hash=payload.get("user_agent_hash"), explicit=payload.get("explicit") is True)
    if change.change_id != payload.get("messageId"):
        raise InvalidInput(f"consent event {payload.get('messageId')!r} does not match its content")
    return change


def merge_evidence(old: Evidence, new: Evidence) -> Evidence:
    updates = {name: getattr(new, name) for name in EVIDENCE_FIELDS if getattr(new, name)}
    return replace(old, **updates) if updates else old


def evidence_from_dict(data: Mapping[str, Any]) -> Evidence:
    return Evidence(**{k: str(v) for k, v in data.items() if k in EVIDENCE_FIELDS and v})


def evidence_as_dict(ev: Evidence) -> dict[str, str]:
    return {name: value for name in EVIDENCE_FIELDS if (value := getattr(ev, name))}


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _record(subject: Subject, proposed: Iterable[ConsentChange], seq: int, out: Projection) -> None:
    for change in effective(subject.state, proposed):
        subject.state = apply(subject.state, change)
        out.changes.append((seq, change))
        subject.changed = True


def _tracking(seq: int, source_id: str, record: EventRecord, payload: dict[str, Any], subject: Subject,
              salt: bytes, out: Projection) -> None:
    context = _dict(payload.get("context"))
    traits = {**_dict(context.get("traits")), **_dict(payload.get("traits"))}
    evidence = merge_evidence(subject.evidence, evidence_from_traits(traits, context))
    if evidence != subject.evidence:
        subject.evidence, subject.changed = evidence, True
    consent = _dict(context.get("consent"))
    if not consent and context.get("gpc") is not True:
        return
    ip, ua = context.get("ip"), context.get("userAgent")
    proof = Proof.of(subject.key, f"source:{source_id}", datetime.fromisoformat(record.timestamp), salt,
                     ip=ip if isinstance(ip, str) else None, user_agent=ua if isinstance(ua, str) else None)
    pack = subject.region.pack
    _record(subject, from_segment_context(context, proof)[0], seq, out)
    for key in ("tcString", "gppString"):
        value = consent.get(key)
        if isinstance(value, str) and value:
            try:
                proposed = (from_tcf(value, proof) if key == "tcString"
                            else from_gpp(value, pack, proof, subject.state))
            except ConsentStringError as exc:
                out.skipped.append((seq, f"{key}: {exc.reason}"))
                continue
            _record(subject, proposed, seq, out)
    if context.get("gpc") is True:
        changes, _ = from_gpc("1", pack, proof, subject.state)
        _record(subject, changes, seq, out)


def subject_keys(events: Iterable[tuple[int, str, EventRecord]]) -> set[str]:
    """Every subject the events speak for, so the caller can load them in one go."""
    keys: set[str] = set()
    for _, _, record in events:
        if record.family == TRACKING_FAMILY:
            key = subject_of(record)
        elif record.family == CONSENT_FAMILY:
            try:
                subject = orjson.loads(record.payload).get("subject")
            except (orjson.JSONDecodeError, AttributeError):
                subject = None  # reported as skipped by `project`
            key = subject if isinstance(subject, str) else None
        else:
            key = None
        if key:
            keys.add(key)
    return keys


def project(events: Sequence[tuple[int, str, EventRecord]],
            load: Callable[[Collection[str]], Mapping[str, Subject]], salt: bytes,
            after_seq: int) -> Projection:
    """Apply (seq, source_id, record) in order. `load` gives subjects as of `after_seq`; a subject
    it does not return starts empty."""
    out = Projection(after_seq)
    loaded = load(subject_keys(events))

    def subject(key: str) -> Subject:
        if key not in out.subjects:
            found = loaded.get(key) or Subject(key, ConsentState(key))
            found.changed = not found.stored  # first mention: the subject becomes known
            out.subjects[key] = found
        return out.subjects[key]

    for seq, source_id, record in events:
        out.last_seq = max(out.last_seq, seq)
        if record.family not in (CONSENT_FAMILY, TRACKING_FAMILY):
            continue
        try:
            payload = orjson.loads(record.payload)
            if record.family == CONSENT_FAMILY:
                change = change_from_payload(payload)
                _record(subject(change.person_key), [change], seq, out)
                continue
            key = subject_of(record)
            if key is not None:
                _tracking(seq, source_id, record, payload, subject(key), salt, out)
        except (InvalidInput, KeyError, ValueError, orjson.JSONDecodeError) as exc:
            out.skipped.append((seq, f"{type(exc).__name__}: {exc}"))
    return out
