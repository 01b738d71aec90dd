"""Valid national phone numbers, drawn from real numbering plans and checked with phonenumbers.

Numbers are drawn from templates in :mod:`frontoffice.demo.places` and kept only when
``phonenumbers`` says they are valid for the region (and mobile when a mobile is wanted), so
``phonenumbers.is_valid_number(phonenumbers.parse(typed, region))`` holds for every way
:func:`as_typed` renders them.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

import phonenumbers
from phonenumbers import PhoneNumber, PhoneNumberFormat, PhoneNumberType

_MOBILE_TYPES = (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE)
_ATTEMPTS = 64
_NON_DIGIT = re.compile(r"\D")


class PhonePlanError(RuntimeError):
    """A phone template never yields a valid number; fix the template in places.py."""


@dataclass(frozen=True)
class Phone:
    e164: str
    region: str
    national: str


def _fill(rng: random.Random, template: str) -> str:
    rand = rng.random
    return "".join(
        str(2 + int(rand() * 8)) if c == "N" else str(int(rand() * 10)) if c == "X" else c for c in template
    )


def draw_phone(rng: random.Random, region: str, templates: tuple[str, ...], mobile: bool) -> Phone:
    """Draw a number valid for ``region`` from one of ``templates``."""
    code = phonenumbers.country_code_for_region(region)
    for _ in range(_ATTEMPTS):
        template = rng.choice(templates)
        digits = _fill(rng, template)
        number = PhoneNumber(country_code=code, national_number=int(digits))
        kind = phonenumbers.number_type(number)  # UNKNOWN unless valid for the region's plan
        if kind == PhoneNumberType.UNKNOWN or (mobile and kind not in _MOBILE_TYPES):
            continue
        return Phone(
            e164=f"+{code}{digits}",
            region=region,
            national=phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL),
        )
    raise PhonePlanError(
        f"no valid {region} {'mobile' if mobile else 'number'} in {_ATTEMPTS} draws from {templates}; "
        "correct the template in frontoffice/demo/places.py"
    )


def typed_variants(phone: Phone) -> tuple[str, ...]:
    """The ways people type this number: national format first, then digits only, E.164, local habits."""
    national, digits = phone.national, _NON_DIGIT.sub("", phone.national)
    common = (national, digits, phone.e164)
    if phone.region == "US":
        area, rest = digits[:3], digits[3:]
        dashed = f"{area}-{rest[:3]}-{rest[3:]}"
        return (*common, dashed, dashed.replace("-", "."), f"+1 {dashed}")
    if phone.region == "DE":
        return (*common, "+49 " + national[1:], national.replace(" ", "/"))
    if phone.region == "KR":
        return (*common, national.replace("-", " "))
    if phone.region == "CN":
        return (*common, national.replace(" ", "-"))
    if phone.region == "RU":
        international = "+7 " + national[3:].replace(")", "")  # 8 (916) 504-12-00 → +7 916 504-12-00
        return (*common, international, national.replace(" (", "-").replace(") ", "-"))
    return common


def as_typed(rng: random.Random, phone: Phone) -> str:
    """One rendering of the number, weighted towards the national format."""
    variants = typed_variants(phone)
    weights = [0.45, 0.2, 0.2] + [0.15 / max(len(variants) - 3, 1)] * (len(variants) - 3)
    return rng.choices(variants, weights=weights)[0]
