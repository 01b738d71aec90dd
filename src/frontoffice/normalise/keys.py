"""Identifiers as identity resolution compares them: the one normaliser of identity and of every
capability that must agree with it (privacy's suppression list, outbound's consent aliases).

:func:`normalise_identifier` maps a raw value of a kind to its :class:`Normalised` form (NFKC,
case and mailbox-provider folding for e-mail, E.164 for phones, canonical UUIDs...);
:func:`identifier_key` writes it ``kind:value``. Two spellings identity would merge on give one
key, so whatever is keyed by it (an erased person's identifiers) cannot be missed by a variant.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from frontoffice.normalise.identifiers import (
    normalise_anonymous_id,
    normalise_device_id,
    normalise_email,
    normalise_loyalty_id,
    normalise_marketplace_buyer_id,
    normalise_national_id,
    normalise_order_ref,
    normalise_phone,
    normalise_sha256,
    normalise_user_id,
)
from frontoffice.normalise.kinds import IdKind
from frontoffice.normalise.results import Kind, Normalised, Result

_KINDS = frozenset(k.value for k in IdKind)


@functools.lru_cache(maxsize=1 << 16)
def normalise_identifier(kind: IdKind, raw: str, country: str | None = None) -> Result:
    """The one place a raw value of ``kind`` becomes comparable (events, lookups, suppression).
    ``country`` (ISO-2) is the region of a phone or national id written without one. Cached: the
    same anonymous id or email arrives on many events."""
    if kind is IdKind.EMAIL:
        return normalise_email(raw)
    if kind is IdKind.PHONE:
        return normalise_phone(raw, country)
    if kind is IdKind.USER_ID:
        return normalise_user_id(raw)
    if kind is IdKind.ANONYMOUS_ID:
        return normalise_anonymous_id(raw)
    if kind is IdKind.DEVICE_ID:
        return normalise_device_id(raw)
    if kind is IdKind.LOYALTY_ID:
        return normalise_loyalty_id(raw)
    if kind is IdKind.NATIONAL_ID:
        return normalise_national_id(raw, country)
    if kind is IdKind.MARKETPLACE_BUYER:
        marketplace, _, buyer = raw.partition(":")
        return normalise_marketplace_buyer_id(marketplace, buyer)
    if kind is IdKind.ORDER_REF:
        return normalise_order_ref(raw)
    return normalise_sha256(Kind.EMAIL_SHA256 if kind is IdKind.EMAIL_SHA256 else Kind.PHONE_SHA256, raw)


def identifier_key(kind: str, raw: str, country: str | None = None) -> str | None:
    """``kind:value`` in identity's normal form; None for a kind identity does not know or a
    value it does not use (invalid, a placeholder, a national phone number without a country)."""
    if kind not in _KINDS:
        return None
    result = normalise_identifier(IdKind(kind), raw, country)
    return f"{kind}:{result.value}" if isinstance(result, Normalised) else None


def record_country(traits: Mapping[str, Any], context: Mapping[str, Any]) -> str | None:
    """The ISO-2 region of an event's person, for numbers written without a country code: the
    address's or traits' ``country``, else the region of ``context.locale`` (``de-AT``)."""
    address = traits.get("address")
    address = address if isinstance(address, dict) else {}
    for value in (address.get("country"), traits.get("country")):
        if isinstance(value, str) and len(text := value.strip()) == 2 and text.isalpha():
            return text.upper()
    locale = context.get("locale")
    if isinstance(locale, str) and "-" in locale:
        region = locale.strip().split("-")[-1]
        if len(region) == 2 and region.isalpha():
            return region.upper()
    return None
