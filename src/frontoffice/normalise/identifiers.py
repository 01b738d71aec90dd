"""Deterministic identifiers: each raw value becomes one comparable form or an :class:`Invalid`.

Equal :class:`Normalised` values of the same :class:`Kind` may be merged on; invalid values are
kept by callers as raw traits and never used to merge.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
import uuid

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from frontoffice.normalise.email_rules import DEFAULT_EMAIL_RULES, EmailRules, mailbox
from frontoffice.normalise.generic import (
    DEFAULT_GENERIC_RULES,
    GenericRules,
    is_generic_email,
    is_generic_phone,
    is_generic_value,
)
from frontoffice.normalise.national_ids import normalise_national_id
from frontoffice.normalise.results import Invalid, Kind, Normalised, Reason, Result

__all__ = [
    "email_sha256_keys",
    "is_mobile",
    "normalise_anonymous_id",
    "normalise_device_id",
    "normalise_email",
    "normalise_loyalty_id",
    "normalise_marketplace_buyer_id",
    "normalise_national_id",
    "normalise_order_ref",
    "normalise_phone",
    "normalise_sha256",
    "normalise_user_id",
    "phone_sha256_keys",
    "sha256_hex",
]

_MASK = re.compile(r"[*•…]|x{3,}|#{3,}", re.IGNORECASE)
_SHA256 = re.compile(r"[0-9a-f]{64}")
_NIL_UUID = "00000000-0000-0000-0000-000000000000"
_HASHED = {Kind.EMAIL_SHA256, Kind.PHONE_SHA256}
_GENERIC_HASHED = ("", "null", "none", "unknown", "undefined", "n/a", "test@test.com")
_PLACEHOLDER_PHONE = "a placeholder (0000000, 1234567) or fictional (US 555-01XX) number"
_IMPOSSIBLE = {
    phonenumbers.ValidationResult.INVALID_COUNTRY_CODE: "unknown country calling code",
    phonenumbers.ValidationResult.TOO_SHORT: "too short for this country",
    phonenumbers.ValidationResult.TOO_LONG: "too long for this country",
    phonenumbers.ValidationResult.INVALID_LENGTH: "no number of this country has this length",
    phonenumbers.ValidationResult.IS_POSSIBLE_LOCAL_ONLY: "a local number: the area code is missing",
}


def _clean(raw: str) -> str:
    return unicodedata.normalize("NFKC", raw).strip()


def normalise_email(
    raw: str, rules: EmailRules = DEFAULT_EMAIL_RULES, generic: GenericRules = DEFAULT_GENERIC_RULES
) -> Result:
    """The mailbox an address reaches, lower-cased and folded by the provider rules."""
    kind, text = Kind.EMAIL, _clean(raw)
    if not text:
        return Invalid(kind, raw, Reason.EMPTY, "no email address given")
    local, _, domain = text.rpartition("@")
    if _MASK.search(local):
        return Invalid(kind, raw, Reason.MASKED, "a masked relay address hides the real one; keep as a trait")
    if local and domain and is_generic_email(local, domain, generic):
        return Invalid(kind, raw, Reason.GENERIC, "a placeholder or test address identifies nobody")
    try:
        checked = validate_email(text, check_deliverability=False)
    except EmailNotValidError as error:
        return Invalid(kind, raw, Reason.SYNTAX, str(error))
    folded_local, folded_domain = mailbox(checked.local_part.lower(), checked.domain.lower(), rules)
    if not folded_local:
        return Invalid(kind, raw, Reason.SYNTAX, "nothing is left of the local part once its +tag is removed")
    if _MASK.search(folded_local):  # "ax.xx" folds to "axxx": the mailbox it names reads as masked
        return Invalid(kind, raw, Reason.MASKED, "a masked relay address hides the real one; keep as a trait")
    if is_generic_email(folded_local, folded_domain, generic):
        return Invalid(kind, raw, Reason.GENERIC, "a placeholder or test address identifies nobody")
    return Normalised(kind, f"{folded_local}@{folded_domain}")


def normalise_phone(raw: str, country: str | None, generic: GenericRules = DEFAULT_GENERIC_RULES) -> Result:
    """E.164 (``+4915112345678``); ``country`` (ISO-2) is the region for numbers typed without ``+``."""
    kind, text = Kind.PHONE, _clean(raw)
    if not text:
        return Invalid(kind, raw, Reason.EMPTY, "no phone number given")
    digits = re.sub(r"\D", "", text)
    region = country.upper() if country else None
    if digits and len(digits) >= 6 and is_generic_phone(digits, region, generic):
        return Invalid(kind, raw, Reason.GENERIC, _PLACEHOLDER_PHONE)
    if region is None and not text.startswith(("+", "00")):
        return Invalid(kind, raw, Reason.NO_REGION, "a number without +country code needs a country")
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as error:
        return Invalid(kind, raw, Reason.UNPARSEABLE, str(error))
    possible = phonenumbers.is_possible_number_with_reason(number)
    if possible != phonenumbers.ValidationResult.IS_POSSIBLE:
        return Invalid(kind, raw, Reason.IMPOSSIBLE, _IMPOSSIBLE.get(possible, "not a possible number"))
    national = str(number.national_number)
    where = phonenumbers.region_code_for_number(number)
    if is_generic_phone(national, where, generic):
        return Invalid(kind, raw, Reason.GENERIC, _PLACEHOLDER_PHONE)
    if not phonenumbers.is_valid_number(number):
        country_text = where or f"+{number.country_code}"
        return Invalid(kind, raw, Reason.NOT_VALID, f"possible but not a valid number in {country_text}")
    return Normalised(kind, phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


@functools.lru_cache(maxsize=65536)
def is_mobile(e164: str) -> bool:
    """Whether a normalised phone (E.164) is a mobile number by its country's numbering plan. A
    number that may be either (the US, Canada) or is not valid is not known to be one."""
    try:
        number = phonenumbers.parse(e164)
    except phonenumbers.NumberParseException:
        return False
    return bool(phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE)


def _opaque(kind: Kind, raw: str, generic: GenericRules) -> str | Invalid:
    text = _clean(raw)
    if not text:
        return Invalid(kind, raw, Reason.EMPTY, f"no {kind.value} given")
    if is_generic_value(text, generic):
        return Invalid(kind, raw, Reason.GENERIC, f"{text!r} is a placeholder, not an id")
    return text


def _uuid(text: str) -> str | None:
    """The canonical form of a UUID, or None when ``text`` is not one."""
    try:
        return str(uuid.UUID(text))
    except ValueError:
        return None


def _uuid_or(text: str) -> str:
    return _uuid(text) or text


def _printed(text: str) -> str:
    """A number as printed or typed: spaces and hyphens removed, upper case."""
    return re.sub(r"[\s\-]", "", text).upper()


def normalise_user_id(raw: str, generic: GenericRules = DEFAULT_GENERIC_RULES) -> Result:
    """A login/user id: trimmed, NFKC, case kept (ids are opaque); UUIDs in their canonical form."""
    text = _opaque(Kind.USER_ID, raw, generic)
    return text if isinstance(text, Invalid) else Normalised(Kind.USER_ID, _uuid_or(text))


def normalise_anonymous_id(raw: str, generic: GenericRules = DEFAULT_GENERIC_RULES) -> Result:
    """A browser/app anonymous id; the nil UUID is a placeholder."""
    text = _opaque(Kind.ANONYMOUS_ID, raw, generic)
    if isinstance(text, Invalid):
        return text
    value = _uuid_or(text)
    if value == _NIL_UUID:
        return Invalid(Kind.ANONYMOUS_ID, raw, Reason.GENERIC, "the nil UUID is sent when no id is known")
    return Normalised(Kind.ANONYMOUS_ID, value)


def normalise_device_id(raw: str, generic: GenericRules = DEFAULT_GENERIC_RULES) -> Result:
    """An advertising/device id (IDFA, GAID, IDFV): lower-case UUID; all zeros means tracking is limited."""
    text = _opaque(Kind.DEVICE_ID, raw, generic)
    if isinstance(text, Invalid):
        return text
    value = _uuid_or(text.lower())
    if value == _NIL_UUID:
        return Invalid(Kind.DEVICE_ID, raw, Reason.GENERIC, "an all-zero device id means tracking is limited")
    return Normalised(Kind.DEVICE_ID, value)


def normalise_loyalty_id(raw: str, generic: GenericRules = DEFAULT_GENERIC_RULES) -> Result:
    """A loyalty card/member number: upper-case, spaces and hyphens as printed on cards removed."""
    text = _opaque(Kind.LOYALTY_ID, raw, generic)
    if isinstance(text, Invalid):
        return text
    compact = _printed(text)
    if is_generic_value(compact, generic):
        return Invalid(Kind.LOYALTY_ID, raw, Reason.GENERIC, f"{text!r} is a placeholder, not an id")
    return Normalised(Kind.LOYALTY_ID, compact)


def normalise_marketplace_buyer_id(
    marketplace: str, raw: str, generic: GenericRules = DEFAULT_GENERIC_RULES
) -> Result:
    """``marketplace:buyer`` — buyer ids are only unique within their marketplace."""
    kind = Kind.MARKETPLACE_BUYER_ID
    namespace = _clean(marketplace).lower()
    if not namespace:
        return Invalid(kind, raw, Reason.NO_NAMESPACE, "a buyer id needs the marketplace it comes from")
    text = _opaque(kind, raw, generic)
    return text if isinstance(text, Invalid) else Normalised(kind, f"{namespace}:{text}")


def quoted_order(properties: object) -> str | None:
    """The order number a tracking event quotes, as given (``properties.order_id`` of Segment's
    e-commerce spec, or ``orderId``), stripped; None when it quotes none. Both the identity graph
    (an ``order_ref``) and the suppression list read it from here."""
    if not isinstance(properties, dict):
        return None
    raw = properties.get("order_id") or properties.get("orderId")
    if isinstance(raw, bool) or not isinstance(raw, str | int | float):
        return None
    return str(raw).strip() or None


def normalise_order_ref(raw: str, generic: GenericRules = DEFAULT_GENERIC_RULES) -> Result:
    """An order number as a customer quotes it: ``#1001``, ``ORD 1001`` and ``ord-1001`` are one order
    (the ``#`` dropped, spaces and hyphens removed, upper case); UUIDs in their canonical form."""
    text = _opaque(Kind.ORDER_REF, raw, generic)
    if isinstance(text, Invalid):
        return text
    value = _uuid(text) or _printed(text.removeprefix("#"))
    if not value or is_generic_value(value, generic):
        return Invalid(Kind.ORDER_REF, raw, Reason.GENERIC, f"{text!r} is a placeholder, not an order number")
    return Normalised(Kind.ORDER_REF, value)


def sha256_hex(value: str) -> str:
    """Lower-case hex SHA-256 of the UTF-8 bytes of ``value``."""
    return hashlib.sha256(value.encode()).hexdigest()


def normalise_sha256(kind: Kind, raw: str) -> Result:
    """A hashed identifier received as such (``email_sha256`` or ``phone_sha256``): 64 lower-case hex."""
    if kind not in _HASHED:
        raise ValueError(f"{kind.value} is not a hashed kind; use one of {sorted(k.value for k in _HASHED)}")
    text = _clean(raw).lower()
    if not text:
        return Invalid(kind, raw, Reason.EMPTY, f"no {kind.value} given")
    if not _SHA256.fullmatch(text):
        return Invalid(kind, raw, Reason.NOT_SHA256, "expected 64 hexadecimal characters (SHA-256)")
    if text in _generic_hashes():
        return Invalid(kind, raw, Reason.GENERIC, "the hash of an empty or placeholder value")
    return Normalised(kind, text)


@functools.cache
def _generic_hashes() -> frozenset[str]:
    return frozenset(sha256_hex(v) for v in _GENERIC_HASHED)


def email_sha256_keys(raw: str, rules: EmailRules = DEFAULT_EMAIL_RULES) -> tuple[Normalised, ...]:
    """The ``email_sha256`` keys a plain address meets: the hash of its mailbox and of the address as
    it is commonly hashed (trimmed, lower-cased). Empty when the address is invalid."""
    result = normalise_email(raw, rules)
    if isinstance(result, Invalid):
        return ()
    forms = dict.fromkeys((result.value, _clean(raw).lower()))
    return tuple(Normalised(Kind.EMAIL_SHA256, sha256_hex(f)) for f in forms)


def phone_sha256_keys(raw: str, country: str | None) -> tuple[Normalised, ...]:
    """The ``phone_sha256`` keys a plain number meets: SHA-256 of E.164 with and without ``+``."""
    result = normalise_phone(raw, country)
    if isinstance(result, Invalid):
        return ()
    return tuple(Normalised(Kind.PHONE_SHA256, sha256_hex(f)) for f in (result.value, result.value[1:]))
