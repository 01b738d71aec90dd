"""What the event log says about a person that a DSR needs: which of their emails and phones are
*verified*, and the region evidence.

An identifier counts as verified when an event of one of the person's records says so — an
``identify`` whose traits carry ``emailVerified``/``email_verified`` (``phoneVerified``/
``phone_verified``) true, or a track ``Email Verified`` / ``Phone Verified`` — and that event came
from a **server-side** source (:class:`~frontoffice.domain.tenancy.Trust`) whose channel is trusted
for verification (setting ``dsr_verification_channels``), and the identifier is one the identity
index keeps for this person and for nobody else. A claim of a client-side source (web, app, chat,
social: their write keys are public, anyone can send ``emailVerified: true`` for any address) never
counts, whatever the settings; it is kept, with the reason, among the ignored claims. A phone that
merely sits on a person's records is never enough: it may be someone else's number.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

from frontoffice.consent.projector import merge_evidence
from frontoffice.consent.region import Evidence, Resolution, evidence_from_traits, resolve_region
from frontoffice.domain.tenancy import Source
from frontoffice.identity.extract import extract, normalise_identifier
from frontoffice.identity.model import IdKind
from frontoffice.identity.store import IdentitySql
from frontoffice.normalise import Normalised
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
    ignored: Mapping[tuple[str, str], str] = field(default_factory=dict)  # contact -> why no proof

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


def refusal(source: Source | None, trusted_channels: Collection[str]) -> str | None:
    """Why a verification claim sent through ``source`` is no proof, or None when it is one."""
    if source is None:
        return "from a source no longer registered"
    if not source.server_side:
        return (f"from client-side source {source.name!r} ({source.channel.value}): its write key is "
                "public, anyone holding it can claim any address verified")
    if source.channel.value not in trusted_channels:
        return (f"from source {source.name!r}, whose channel {source.channel.value!r} is not in "
                "dsr_verification_channels")
    return None


def person_facts(store: SqlStore, ws: str, person_id: str, trusted_channels: Collection[str]) -> PersonFacts:
    sql = IdentitySql(store)
    identifiers = tuple(sql.identifiers(ws, person_id))
    usable = set(identifiers)
    sources = {s.id: s for s in store.registry.sources(ws)}  # located: main db's
    seqs = [r.seq for r in sql.person_records(ws, person_id)]
    verified: dict[tuple[str, str], str] = {}
    ignored: dict[tuple[str, str], str] = {}
    evidence = Evidence()
    for stored in store.events_at(ws, seqs):
        rec = stored.record
        payload = orjson.loads(rec.payload)
        context = _dict(payload.get("context"))
        traits = {**_dict(context.get("traits")), **_dict(payload.get("traits"))}
        evidence = merge_evidence(evidence, evidence_from_traits(traits, context))
        claims = _claims(rec.type, rec.event, traits, _dict(payload.get("properties")))
        if not claims:
            continue
        source = sources.get(stored.source_id)
        refused = refusal(source, trusted_channels)
        channel = source.channel.value if source is not None else "unknown"
        country = extract(stored).attributes.country
        where = f"{rec.type} {rec.event or ''} seq {stored.seq}".replace("  ", " ")
        for kind, raw in claims:
            result = normalise_identifier(IdKind(kind), raw, country) if isinstance(raw, str) else None
            if not isinstance(result, Normalised):
                continue
            contact = (kind, result.value)
            if refused is not None:
                ignored.setdefault(contact, f"{where} {refused}")
            elif contact in usable and sql.lookup(ws, kind, result.value) == [person_id]:
                verified.setdefault(contact, f"{where} via {channel}")
    return PersonFacts(person_id, identifiers, verified, evidence,
                       {c: why for c, why in ignored.items() if c not in verified})
