"""Which region pack applies to a person, from their data, with a documented precedence.

Precedence (first source that settles it wins):
  1. explicit `region` trait (a pack code such as "EU", "US-CA", or "US-TX")
  2. address country (+ state/subdivision)
  3. phone number country (via phonenumbers)
  4. locale country ("de-DE" → DE; a bare language like "en" says nothing)
  5. IP country (+ subdivision)

A source *settles* the question when it names a country we can place: either inside a pack, or
definitely outside every pack (e.g. CH, or US-TX) → STRICTEST. A source that cannot be placed
(missing, malformed, or "US" without a state) is skipped and the next one is tried. Nothing
settles → STRICTEST.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

import phonenumbers

from frontoffice.consent.packs import STRICTEST, RegionPack, load_packs

SOURCES = ("region_trait", "address", "phone", "locale", "ip")
# Countries whose rule depends on the first-level subdivision.
SPLIT_COUNTRIES = frozenset({"US"})


@dataclass(frozen=True, slots=True)
class Evidence:
    region: str | None = None
    address_country: str | None = None
    address_subdivision: str | None = None
    phone: str | None = None
    locale: str | None = None
    ip_country: str | None = None
    ip_subdivision: str | None = None


@dataclass(frozen=True, slots=True)
class Resolution:
    region: str
    source: str | None  # which of SOURCES settled it; None when nothing did
    reason: str

    @property
    def pack(self) -> RegionPack:
        return load_packs()[self.region]


@cache
def _index() -> tuple[dict[str, str], dict[str, str]]:
    by_country: dict[str, str] = {}
    by_subdivision: dict[str, str] = {}
    for code, pack in load_packs().items():
        for c in pack.countries:
            by_country[c] = code
        for s in pack.subdivisions:
            by_subdivision[s] = code
    return by_country, by_subdivision


def _country(value: object) -> str | None:
    if isinstance(value, str) and len(value) == 2 and value.isascii() and value.isalpha():
        return value.upper()
    return None


def _place(country: str | None, subdivision: str | None) -> tuple[str | None, str]:
    """(region or None if unplaceable, description). STRICTEST means placed outside every pack."""
    if country is None:
        return None, "no country"
    by_country, by_subdivision = _index()
    if country in SPLIT_COUNTRIES:
        if not subdivision:
            return None, f"{country} without a state"
        sub = subdivision.upper()
        code = sub if sub.startswith(country + "-") else f"{country}-{sub}"
        return by_subdivision.get(code, STRICTEST), code
    return by_country.get(country, STRICTEST), country


def _phone_country(phone: str | None) -> str | None:
    if not phone:
        return None
    try:
        number = phonenumbers.parse(phone, None)
    except phonenumbers.NumberParseException:
        return None
    return phonenumbers.region_code_for_number(number)


def _locale_country(locale: str | None) -> str | None:
    if not locale:
        return None
    parts = locale.replace("_", "-").split("-")
    return next((c for p in parts[1:] if (c := _country(p)) is not None), None)


def evidence_from_traits(traits: Mapping[str, object],
                         context: Mapping[str, object] | None = None) -> Evidence:
    """Read Segment-style traits (`region`, `address.country/state`, `phone`) and event context
    (`locale`, `location.country/region`)."""
    ctx = context or {}
    addr = traits.get("address")
    addr = addr if isinstance(addr, Mapping) else {}
    loc = ctx.get("location")
    loc = loc if isinstance(loc, Mapping) else {}

    def s(value: object) -> str | None:
        return value if isinstance(value, str) and value else None

    return Evidence(
        region=s(traits.get("region")),
        address_country=s(addr.get("country")), address_subdivision=s(addr.get("state")),
        phone=s(traits.get("phone")), locale=s(ctx.get("locale")) or s(traits.get("locale")),
        ip_country=s(loc.get("country")), ip_subdivision=s(loc.get("region")),
    )


def resolve_region(ev: Evidence) -> Resolution:
    packs = load_packs()
    skipped: list[str] = []
    if ev.region:
        if ev.region in packs:
            return Resolution(ev.region, "region_trait", f"explicit region trait {ev.region}")
        head, _, tail = ev.region.partition("-")
        placed, what = _place(_country(head), tail or None)
        if placed is not None:
            return Resolution(placed, "region_trait", f"explicit region trait {ev.region} → {placed}")
        skipped.append(f"region trait {ev.region!r}: {what}")
    candidates = (
        ("address", _country(ev.address_country), ev.address_subdivision),
        ("phone", _phone_country(ev.phone), None),
        ("locale", _locale_country(ev.locale), None),
        ("ip", _country(ev.ip_country), ev.ip_subdivision),
    )
    for source, country, sub in candidates:
        placed, what = _place(country, sub)
        if placed is None:
            if country is not None:
                skipped.append(f"{source}: {what}")
            continue
        note = "" if placed != STRICTEST else " has no rule pack; strictest pack applies"
        return Resolution(placed, source, f"{source} country {what}{note}")
    tail = f" (skipped: {'; '.join(skipped)})" if skipped else ""
    return Resolution(STRICTEST, None, f"region unknown; strictest pack applies{tail}")
