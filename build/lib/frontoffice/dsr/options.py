"""What each kind of request may carry: the corrected traits of a rectification, the purposes of
an objection. Pure; validated when the request is opened, so execution cannot fail on them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from frontoffice.consent.decision import ESSENTIAL
from frontoffice.consent.purposes import load_catalogue
from frontoffice.dsr.model import DsrError, Kind

RECTIFIABLE = ("firstName", "lastName", "name", "email", "phone", "birthday", "address", "title",
               "company", "gender", "username")
ADDRESS_FIELDS = ("street", "city", "postalCode", "state", "country")
# Objection without a list: the purposes resting on legitimate interest or sale that a person
# can object to everywhere (GDPR Art. 21, CCPA opt-out of sale/sharing).
DEFAULT_OBJECTION = ("profiling", "marketing_email", "marketing_sms", "marketing_push",
                     "targeted_advertising", "sale_or_sharing")


def _text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip()) and len(value) <= 500 and "\x00" not in value


def restricted_purposes() -> tuple[str, ...]:
    """Restriction (GDPR Art. 18): nothing but what is essential to keep the account working."""
    return tuple(sorted(p for p in load_catalogue().purposes if p != ESSENTIAL))


def validate_details(kind: Kind, details: Mapping[str, Any]) -> dict[str, Any]:
    if kind is Kind.RECTIFICATION:
        traits = details.get("traits")
        if not isinstance(traits, Mapping) or not traits:
            raise DsrError("A rectification needs 'traits': the corrected values, e.g. "
                           '{"traits": {"lastName": "Müller"}}.')
        unknown = sorted(set(traits) - set(RECTIFIABLE))
        if unknown:
            raise DsrError(f"Cannot rectify {', '.join(unknown)}; "
                           f"rectifiable traits: {', '.join(RECTIFIABLE)}.")
        for name, value in traits.items():
            if name == "address":
                if (not isinstance(value, Mapping) or not value or set(value) - set(ADDRESS_FIELDS)
                        or not all(_text(v) for v in value.values())):
                    raise DsrError(f"'address' must be an object of texts with {', '.join(ADDRESS_FIELDS)}.")
            elif not _text(value):
                raise DsrError(f"Corrected {name} must be a non-empty text of at most 500 characters.")
        return {"traits": dict(traits)}
    if kind is Kind.OBJECTION:
        purposes = details.get("purposes") or list(DEFAULT_OBJECTION)
        known = load_catalogue().purposes
        if not isinstance(purposes, list) or not all(isinstance(p, str) for p in purposes):
            raise DsrError("'purposes' must be a list of purpose names.")
        bad = sorted(set(purposes) - set(known)) + ([ESSENTIAL] if ESSENTIAL in purposes else [])
        if bad:
            raise DsrError(f"Cannot object to {', '.join(bad)}; objectable purposes: "
                           f"{', '.join(p for p in sorted(known) if p != ESSENTIAL)}.")
        return {"purposes": sorted(set(purposes))}
    if details:
        raise DsrError(f"A {kind.value} request takes no details; send only kind and identifier.")
    return {}
