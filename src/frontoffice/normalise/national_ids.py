"""National identity numbers: per-country formats and check digits where they are simple.

A value is compacted (spaces, dots, hyphens and slashes removed, upper-cased) and then checked
against the schemes of its country, first match wins. Countries without a scheme keep the
compacted value. Every value is namespaced as ``COUNTRY:scheme:number`` so that numbers from
different countries or documents never meet.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from frontoffice.normalise.generic import is_generic_phone
from frontoffice.normalise.results import Invalid, Kind, Normalised, Reason, Result

Check = Callable[[str], str | None]
"""Returns ``None`` when the compact number passes, else what is wrong with it."""


@dataclass(frozen=True, slots=True)
class Scheme:
    name: str
    pattern: str
    check: Check | None = None


def _us_ssn(n: str) -> str | None:
    area, group, serial = n[:3], n[3:5], n[5:]
    if area in ("000", "666") or area >= "900" or group == "00" or serial == "0000":
        return "area 000/666/9xx, group 00 or serial 0000 are never issued"
    return None


def _de_tax_id(n: str) -> str | None:
    """Steuerliche Identifikationsnummer: ISO 7064 MOD 11,10 check digit."""
    product = 10
    for digit in n[:10]:
        total = (int(digit) + product) % 10 or 10
        product = (total * 2) % 11
    check = (11 - product) % 10
    return None if check == int(n[10]) else "check digit does not match"


def _jp_my_number(n: str) -> str | None:
    """個人番号: weights 2..7, 2..6 from the right, mod 11."""
    body = [int(c) for c in reversed(n[:11])]
    total = sum(p * (i + 2 if i < 6 else i - 4) for i, p in enumerate(body))
    remainder = total % 11
    check = 0 if remainder <= 1 else 11 - remainder
    return None if check == int(n[11]) else "check digit does not match"


def _kr_rrn(n: str) -> str | None:
    """주민등록번호: a real birth date and a century/sex digit (no checksum since 2020)."""
    century = {"1": 1900, "2": 1900, "3": 2000, "4": 2000, "5": 1900, "6": 1900, "7": 2000, "8": 2000}
    base = century.get(n[6], 1800 if n[6] in "90" else 0)
    return _date_problem(base + int(n[:2]), int(n[2:4]), int(n[4:6]))


def _cn_resident_id(n: str) -> str | None:
    """居民身份证号码: ISO 7064 MOD 11-2 check character and a real birth date."""
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    check = "10X98765432"[sum(int(c) * w for c, w in zip(n[:17], weights, strict=True)) % 11]
    if check != n[17]:
        return "check character does not match"
    return _date_problem(int(n[6:10]), int(n[10:12]), int(n[12:14]))


def _ru_inn(n: str) -> str | None:
    """ИНН of a person: two check digits."""

    def digit(weights: tuple[int, ...]) -> int:
        return sum(int(c) * w for c, w in zip(n, weights, strict=False)) % 11 % 10

    first = digit((7, 2, 4, 10, 3, 5, 9, 4, 6, 8))
    second = digit((3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8))
    return None if (first, second) == (int(n[10]), int(n[11])) else "check digits do not match"


def _date_problem(year: int, month: int, day: int) -> str | None:
    try:
        dt.date(year, month, day)
    except ValueError:
        return "the embedded birth date does not exist"
    return None


SCHEMES: dict[str, tuple[Scheme, ...]] = {
    "US": (Scheme("ssn", r"\d{9}", _us_ssn),),
    "DE": (
        Scheme("steuer_id", r"[1-9]\d{10}", _de_tax_id),
        Scheme("ausweis", r"[CFGHJKLMNPRTVWXYZ0-9]{9,10}"),
    ),
    "JP": (Scheme("my_number", r"\d{12}", _jp_my_number),),
    "KR": (Scheme("rrn", r"\d{13}", _kr_rrn),),
    "CN": (Scheme("resident_id", r"\d{17}[\dX]", _cn_resident_id),),
    "RU": (Scheme("passport", r"\d{10}"), Scheme("inn", r"\d{12}", _ru_inn)),
}
"""Schemes per ISO-2 country, tried in order."""


def normalise_national_id(raw: str, country: str | None) -> Result:
    """``COUNTRY:scheme:number`` for a national id, or why it cannot be used."""
    kind = Kind.NATIONAL_ID
    compact = re.sub(r"[\s.\-/]", "", raw).upper()
    if not compact:
        return Invalid(kind, raw, Reason.EMPTY, "no national id given")
    if not country:
        return Invalid(kind, raw, Reason.NO_REGION, "a national id needs the record's country to be compared")
    country = country.upper()
    if compact.isdigit() and is_generic_phone(compact, None):
        return Invalid(kind, raw, Reason.GENERIC, "placeholder digits (all alike, or a run like 123456789)")
    schemes = SCHEMES.get(country)
    if schemes is None:
        return Normalised(kind, f"{country}:id:{compact}")
    for scheme in schemes:
        if re.fullmatch(scheme.pattern, compact):
            problem = scheme.check(compact) if scheme.check else None
            if problem:
                return Invalid(kind, raw, Reason.CHECKSUM, f"{country} {scheme.name}: {problem}")
            return Normalised(kind, f"{country}:{scheme.name}:{compact}")
    names = ", ".join(s.name for s in schemes)
    return Invalid(kind, raw, Reason.FORMAT, f"does not look like a {country} national id ({names})")
