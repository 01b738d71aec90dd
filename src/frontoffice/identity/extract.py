"""From one event of the log to one :class:`IdentityRecord`: identifiers, attributes, traits.

Pure: the caller passes the stored event. Every identifier goes through
:mod:`frontoffice.normalise`; a value that fails is kept as a :class:`RejectedIdentifier`
with its reason (and as a raw trait) and is never used to merge.

Three conventions of real feeds are recognised, each stated here once:

- a ``userId`` equal to the record's ``loyaltyId`` trait is the loyalty card number an import
  mapped as the user id (store receipts), so it counts as a loyalty id, not a login;
- an ``anonymousId`` that is a valid email address (inbound email) is also that email;
- ``properties.order_id`` (Segment's e-commerce spec; ``orderId`` too) names an order: the
  checkout that placed it, and a call, chat or message that quotes it, share that order ref.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any

import orjson

from frontoffice.domain.events import StoredEvent
from frontoffice.identity.model import (
    Identifier,
    IdentityRecord,
    IdKind,
    PersonAttributes,
    RejectedIdentifier,
    TraitValue,
    street_line,
)
from frontoffice.normalise import (
    Invalid,
    Kind,
    Normalised,
    Result,
    normalise_loyalty_id,
    normalise_postcode,
    parse_birth_date,
    quoted_order,
    split_full_name,
)
from frontoffice.normalise.keys import normalise_identifier, record_country
from frontoffice.normalise.names import NameKeys, name_keys

__all__ = ["extract", "normalise_identifier", "record_id", "record_name_keys"]

_KIND = {
    Kind.EMAIL: IdKind.EMAIL, Kind.PHONE: IdKind.PHONE, Kind.USER_ID: IdKind.USER_ID,
    Kind.ANONYMOUS_ID: IdKind.ANONYMOUS_ID, Kind.DEVICE_ID: IdKind.DEVICE_ID,
    Kind.LOYALTY_ID: IdKind.LOYALTY_ID, Kind.MARKETPLACE_BUYER_ID: IdKind.MARKETPLACE_BUYER,
    Kind.NATIONAL_ID: IdKind.NATIONAL_ID, Kind.EMAIL_SHA256: IdKind.EMAIL_SHA256,
    Kind.PHONE_SHA256: IdKind.PHONE_SHA256, Kind.ORDER_REF: IdKind.ORDER_REF,
}
_PLAIN_TRAITS = ("firstName", "lastName", "name", "loyaltyId",
                 "username", "gender", "title", "company")


def record_id(source_id: str, message_id: str) -> str:
    return f"{source_id}:{message_id}"


@functools.lru_cache(maxsize=1 << 14)
def record_name_keys(given: str, family: str, country: str | None) -> NameKeys | None:
    """Comparable keys of a record's name, or None when it has no usable name."""
    keys = name_keys(given, family, country)
    return keys if keys.given and keys.family else None


def _text(value: object) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str | int | float):
        text = str(value).strip()
        return text or None
    return None


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


class _Collector:
    def __init__(self, country: str | None) -> None:
        self.country = country
        self.identifiers: dict[Identifier, None] = {}
        self.rejected: list[RejectedIdentifier] = []

    def add(self, kind: IdKind, raw: object,
            normalise: Callable[[str], Result] | None = None) -> str | None:
        text = _text(raw)
        if text is None:
            return None
        result = normalise(text) if normalise else normalise_identifier(kind, text, self.country)
        if isinstance(result, Normalised):
            self.identifiers[Identifier(_KIND[result.kind], result.value)] = None
            return result.value
        if isinstance(result, Invalid):
            why = result.reason.value + (f": {result.detail}" if result.detail else "")
            self.rejected.append(RejectedIdentifier(kind, text, why))
        return None


def extract(event: StoredEvent) -> IdentityRecord:
    """The identity record of one stored event (record id ``<source_id>:<message_id>``)."""
    rec = event.record
    payload: dict[str, Any] = orjson.loads(rec.payload)
    context = _dict(payload.get("context"))
    traits = {**_dict(context.get("traits")), **_dict(payload.get("traits"))}
    properties = _dict(payload.get("properties"))
    country = record_country(traits, context)
    ids = _Collector(country)
    rid = record_id(event.source_id, rec.message_id)

    loyalty = _text(traits.get("loyaltyId"))
    ids.add(IdKind.LOYALTY_ID, loyalty)
    if rec.user_id is not None:
        as_card = loyalty is not None and normalise_loyalty_id(rec.user_id) == normalise_loyalty_id(loyalty)
        if not as_card:
            ids.add(IdKind.USER_ID, rec.user_id)
    for anonymous in (rec.anonymous_id, rec.previous_id if rec.type == "alias" else None):
        if anonymous is None:
            continue
        ids.add(IdKind.ANONYMOUS_ID, anonymous)
        if "@" in anonymous and isinstance(normalise_identifier(IdKind.EMAIL, anonymous), Normalised):
            ids.add(IdKind.EMAIL, anonymous)
    contact = {"email": ids.add(IdKind.EMAIL, traits.get("email")),
               "phone": ids.add(IdKind.PHONE, traits.get("phone"))}
    ids.add(IdKind.NATIONAL_ID, traits.get("nationalId"))
    ids.add(IdKind.DEVICE_ID, _dict(context.get("device")).get("id"))
    for kind, key in ((IdKind.EMAIL_SHA256, "emailSha256"), (IdKind.PHONE_SHA256, "phoneSha256")):
        ids.add(kind, traits.get(key))
    marketplace = _text(traits.get("marketplace")) or _text(properties.get("marketplace"))
    buyer = _text(traits.get("marketplaceBuyerId"))
    if marketplace and buyer:
        ids.add(IdKind.MARKETPLACE_BUYER, f"{marketplace}:{buyer}")
    ids.add(IdKind.ORDER_REF, quoted_order(properties))

    attributes = _attributes(traits, country, ids)
    observed = rec.timestamp
    values = [TraitValue(name, value, event.source_id, rid, observed)
              for name, value in _trait_values(traits, attributes, contact)]
    values += [TraitValue(f"invalid_{r.kind.value}", {"value": r.raw, "reason": r.reason},
                          event.source_id, rid, observed) for r in ids.rejected]
    return IdentityRecord(
        record_id=rid, workspace_id=event.workspace_id, source_id=event.source_id, seq=event.seq,
        observed_at=observed, identifiers=tuple(sorted(ids.identifiers)), attributes=attributes,
        traits=tuple(values), rejected=tuple(ids.rejected),
    )


def _attributes(traits: Mapping[str, Any], country: str | None, ids: _Collector) -> PersonAttributes:
    given, family = _text(traits.get("firstName")), _text(traits.get("lastName"))
    full = _text(traits.get("name"))
    if full and not (given or family):
        given, family = split_full_name(full, country)
        given, family = given or None, family or None
    birth = _text(traits.get("birthday") or traits.get("birthDate"))
    birth_date = None
    if birth:
        parsed = parse_birth_date(birth, country)
        birth_date = parsed.value if isinstance(parsed, Normalised) else None
    address = _dict(traits.get("address"))
    postcode_raw = _text(address.get("postalCode"))
    postcode = None
    if postcode_raw:
        parsed = normalise_postcode(postcode_raw, country)
        postcode = parsed.value if isinstance(parsed, Normalised) else None
    by_kind = {i.kind: i.value for i in ids.identifiers}
    return PersonAttributes(
        given_name=given, family_name=family, birth_date=birth_date,
        street=street_line(_text(address.get("streetNumber")), _text(address.get("street")),
                           _text(address.get("line2"))),
        city=_text(address.get("city")), postcode=postcode,
        country=country, email=by_kind.get(IdKind.EMAIL), phone=by_kind.get(IdKind.PHONE),
        national_id=by_kind.get(IdKind.NATIONAL_ID),
    )


def _trait_values(traits: Mapping[str, Any], attrs: PersonAttributes,
                  contact: Mapping[str, str | None]) -> list[tuple[str, object]]:
    """Traits as observed; email and phone in their normalised form (invalid ones are kept
    as ``invalid_email`` / ``invalid_phone`` with the reason)."""
    out: list[tuple[str, object]] = [(k, v) for k, v in contact.items() if v is not None]
    for name in _PLAIN_TRAITS:
        text = _text(traits.get(name))
        if text is not None:
            out.append((name, text))
    if attrs.given_name and not _text(traits.get("firstName")):
        out.append(("firstName", attrs.given_name))
    if attrs.family_name and not _text(traits.get("lastName")):
        out.append(("lastName", attrs.family_name))
    if attrs.birth_date:
        out.append(("birthDate", attrs.birth_date))
    address = {k: v for k, v in _dict(traits.get("address")).items()
               if k in {"streetNumber", "street", "line2", "city", "postalCode", "state", "country"}
               and _text(v)}
    if address:
        out.append(("address", address))
    if attrs.country:
        out.append(("country", attrs.country))
    return out
