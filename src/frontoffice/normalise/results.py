"""The typed outcome of normalising one identifier or attribute.

A :class:`Normalised` value may be used to merge profiles. An :class:`Invalid` one is kept by
callers as a raw trait (with its reason) but never used to merge.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    """What a value identifies or describes."""

    EMAIL = "email"
    EMAIL_SHA256 = "email_sha256"
    PHONE = "phone"
    PHONE_SHA256 = "phone_sha256"
    USER_ID = "user_id"
    ANONYMOUS_ID = "anonymous_id"
    DEVICE_ID = "device_id"
    LOYALTY_ID = "loyalty_id"
    MARKETPLACE_BUYER_ID = "marketplace_buyer_id"
    NATIONAL_ID = "national_id"
    ORDER_REF = "order_ref"
    BIRTH_DATE = "birth_date"
    POSTCODE = "postcode"


class Reason(StrEnum):
    """Why a value cannot be used to merge."""

    EMPTY = "empty"
    SYNTAX = "syntax"
    MASKED = "masked"
    GENERIC = "generic"
    NO_REGION = "no_region"
    UNPARSEABLE = "unparseable"
    IMPOSSIBLE = "impossible"
    NOT_VALID = "not_valid"
    NOT_SHA256 = "not_sha256"
    NO_NAMESPACE = "no_namespace"
    FORMAT = "format"
    CHECKSUM = "checksum"
    OUT_OF_RANGE = "out_of_range"
    AMBIGUOUS = "ambiguous"


@dataclass(frozen=True, slots=True)
class Normalised:
    """A value in its one comparable form; equal values of the same kind may be merged."""

    kind: Kind
    value: str


@dataclass(frozen=True, slots=True)
class Invalid:
    """A value that must not be used to merge; ``detail`` says what to fix (not part of equality)."""

    kind: Kind
    raw: str
    reason: Reason
    detail: str = field(default="", compare=False)


Result = Normalised | Invalid
