"""What the event log says about a person that a DSR needs: which of their emails and phones are
*verified*, and the region evidence.

An identifier counts as verified when an event of one of the person's records says so — an
``identify`` whose traits carry ``emailVerified``/``email_verified`` (``phoneVerified``/
``phone_verified``) true, or a track ``Email Verified`` / ``Phone Verified`` — and that event came
from a source whose channel is trusted for verification (setting ``dsr_verification_channels``:
a flag sent by a browser can be forged by anyone holding the public write key), and the identifier
is one the identity index keeps for this person and for nobody else. A phone that merely sits on a
person's records is never enough: it may be someone else's number.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

from frontoffice.consent.projector import merge_evidence
from frontoffice.consent.region import Evidence, Resolution, evidence_from_traits, resolve_region
from frontoffice.identity.extract import extract, normalise_identifier
from frontoffice.identity.model import IdKind
from frontoffice.identity.normalise import Normalised
from frontoffice.storage.identity_sql import IdentitySql
from frontoffice.storage.sql import SqlStore

CONTACT_KINDS = ("email", "phone")
VERIFIED_TRAITS = {"email": ("emailVerified", "email_verified"), "phone": ("phoneVerified", "phone_verified")}
VERIFIED_EVENTS = {"Email Verified": "email", "Phone Verified": "phone"}


@dataclass(frozen=True, slots=True)
class PersonFacts:
    person_id: str
    identifiers: tuple[tuple[str, str], ...]  # usable (kind, value), as the identity index keeps them
    verified: Mapping[tuple[str, str], str] = field(default_factory=dict)  # contact -> why verified
    evidence: Evidence = field(default_factory=Evidence)

    @property
    def region(self) -> Resolution:
        return resolve_region(self.evidence)

    def verified_contacts(self) -> list[tuple[str, str]]:
        """Verified contacts, emails first (a link in a mailbox is harder to intercept than an SMS)."""
        return sorted(self.verified, key=lambda c: (CONTACT_KINDS.index(c[0]), c[1]))


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _claims(record_type: str, event: str | None, traits: Mapping[str, Any],
            properties: Mapping[str, Any]) -> list[tuple[str, object]]:
    """(kind, raw value or None for "the record's own") the event claims as verified."""
    out: list[tuple[str, object]] = []
    for kind, names in VERIFIED_TRAITS.items():
        if any(traits.get(n) is True for n in names):
            out.append((kind, traits.get(kind)))
    if record_type == "track" and event in VERIFIED_EVENTS:
        kind = VERIFIED_EVENTS[event]
        out.append((kind, properties.get(kind) or traits.get(kind)))
    return out


def person_facts(store: SqlStore, ws: str, person_id: str, trusted_channels: Collection[str]) -> PersonFacts:
    sql = IdentitySql(store)
    identifiers = tuple(sql.identifiers(ws, person_id))
    usable = set(identifiers)
    channel_of = {s.id: s.channel.value for s in store.registry.sources(ws)}  # located: main db's
    seqs = [r.seq for r in sql.person_records(ws, person_id)]
    verified: dict[tuple[str, str], str] = {}
    evidence = Evidence()
    for stored in store.events_at(ws, seqs):
        rec = stored.record
        payload = orjson.loads(rec.payload)
        context = _dict(payload.get("context"))
        traits = {**_dict(context.get("traits")), **_dict(payload.get("traits"))}
        evidence = merge_evidence(evidence, evidence_from_traits(traits, context))
        claims = _claims(rec.type, rec.event, traits, _dict(payload.get("properties")))
        channel = channel_of.get(stored.source_id, "unknown")
        if not claims or channel not in trusted_channels:
            continue
        country = extract(stored).attributes.country
        for kind, raw in claims:
            if not isinstance(raw, str):
                continue
            result = normalise_identifier(IdKind(kind), raw, country)
            if not isinstance(result, Normalised):
                continue
            contact = (kind, result.value)
            if contact in usable and sql.lookup(ws, kind, result.value) == [person_id]:
                verified.setdefault(contact, f"{rec.type} {rec.event or ''} seq {stored.seq} via {channel}"
                                    .replace("  ", " "))
    return PersonFacts(person_id, identifiers, verified, evidence)
