"""Marketplace buyer aliases: what a marketplace tells the brand about a buyer, and no more.

Marketplaces hand over a buyer id, a display name (often romanised or abbreviated), an email
that is usually masked (``a***@relay.bazaar.example``) and, with every order, the shipping
address: the name as the buyer wrote it on the parcel, street, city and postcode, and often a phone
for the carrier (some marketplaces withhold it, or pass a relay number, which is left out here).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from frontoffice.demo.people import Person, ascii_token
from frontoffice.demo.phones import as_typed
from frontoffice.demo.timeline import SPAN_DAYS, IdMint, iso, moment

MARKETPLACES = ("bazaar", "kaimono", "shopmall")
_PHONE_SHARE = 0.6
"""Share of buyers whose shipping address carries their phone (the rest: withheld or relayed)."""


@dataclass(frozen=True)
class MarketplaceAlias:
    record_id: str
    marketplace: str
    buyer_id: str
    display_name: str
    email: str | None
    ship_to_name: str
    ship_to_street: str
    ship_to_city: str
    ship_to_postcode: str
    ship_to_phone: str | None
    country: str
    first_seen: str


def _display_name(rng: random.Random, person: Person) -> str:
    form, full = person.pick_name(rng, latin_share=0.7)
    if rng.random() < 0.3 and form.script == "latin":
        return f"{form.given} {form.family[:1]}."
    if rng.random() < 0.1:
        return f"{ascii_token(form.given) or 'buyer'}_{rng.randint(10, 99)}"
    return full


def _masked_email(rng: random.Random, person: Person, marketplace: str) -> str | None:
    local, _, domain = rng.choice(person.emails).partition("@")
    r = rng.random()
    if r < 0.2:
        return None
    if r < 0.65:
        return f"{local[0]}***@relay.{marketplace}.example"
    if r < 0.8:
        return f"{local[0]}***{local[-1]}@{domain}"
    return f"{local}@{domain}"


def build_aliases(
    rng: random.Random, people: tuple[Person, ...], mint: IdMint
) -> tuple[tuple[MarketplaceAlias, Person, int], ...]:
    """Aliases for roughly a third of people (a few on two marketplaces), with first-seen time in ms."""
    found: list[tuple[MarketplaceAlias, Person, int]] = []
    for person in people:
        if rng.random() >= 0.33:
            continue
        count = 2 if rng.random() < 0.1 else 1
        for marketplace in rng.sample(MARKETPLACES, count):
            ms = moment(rng, rng.randint(person.first_day, SPAN_DAYS - 30), 0)
            alias = MarketplaceAlias(
                record_id=mint.hex("mka_", 12),
                marketplace=marketplace,
                buyer_id=mint.hex(marketplace[:2].upper(), 10, upper=True),
                display_name=_display_name(rng, person),
                email=_masked_email(rng, person, marketplace),
                ship_to_name=person.pick_name(rng, latin_share=0.3)[1],
                ship_to_street=person.address.street,
                ship_to_city=person.address.city,
                ship_to_postcode=person.address.postcode,
                ship_to_phone=as_typed(rng, person.phones[0]) if rng.random() < _PHONE_SHARE else None,
                country=person.country,
                first_seen=iso(ms),
            )
            found.append((alias, person, ms))
    return tuple(found)
