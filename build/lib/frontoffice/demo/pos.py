"""Store till (POS) receipts as flat rows, with the noise of data typed at a checkout.

Names come in whichever spelling the shopper gave, phones in whatever format the clerk typed
(or the store's own number when the shopper declined), emails and birth dates are often
missing, birth dates use local formats, and addresses carry swapped or dropped letters.
"""

from __future__ import annotations

import random
from datetime import date

from frontoffice.demo.commerce import Location, Product, local_price
from frontoffice.demo.people import Person
from frontoffice.demo.phones import as_typed
from frontoffice.demo.places import country
from frontoffice.demo.timeline import SPAN_DAYS, IdMint, iso, moment

POS_COLUMNS = (
    "receipt_id", "store_id", "country", "purchased_at", "name", "phone", "email", "birth_date",
    "street", "city", "postcode", "loyalty_id", "amount", "currency",
)
_BIRTH_FORMATS = {"US": "%m/%d/%Y", "DE": "%d.%m.%Y", "JP": "%Y/%m/%d", "KR": "%Y.%m.%d", "CN": "%Y-%m-%d",
                  "RU": "%d.%m.%Y"}


def typo(rng: random.Random, text: str) -> str:
    """One keyboard slip: two letters swapped, one dropped or one doubled."""
    if len(text) < 4:
        return text
    i = rng.randrange(1, len(text) - 1)
    r = rng.random()
    if r < 0.45:
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    if r < 0.8:
        return text[:i] + text[i + 1 :]
    return text[:i] + text[i] + text[i:]


def _amount(rng: random.Random, products: tuple[Product, ...], currency: str) -> str:
    total = sum(local_price(rng.choice(products).base_price_usd, currency) for _ in range(rng.randint(1, 3)))
    return f"{total:.0f}" if currency in ("JPY", "KRW", "RUB") else f"{total:.2f}"


def build_pos(
    rng: random.Random,
    people: tuple[Person, ...],
    locations: tuple[Location, ...],
    products: tuple[Product, ...],
    mint: IdMint,
) -> tuple[tuple[dict[str, str], Person, int], ...]:
    """Receipts for shoppers who visit a store, each with the moment (ms) it was rung up."""
    stores: dict[str, list[Location]] = {}
    for loc in locations:
        if loc.kind == "store":
            stores.setdefault(loc.country, []).append(loc)
    rows: list[tuple[dict[str, str], Person, int]] = []
    for person in people:
        local = [s for s in stores[person.country] if s.city == person.address.city]
        weights = (35, 30, 20, 10, 5) if local else (70, 20, 10, 0, 0)
        offset = country(person.country).utc_offset_hours
        for _ in range(rng.choices(range(5), weights=weights)[0]):
            store = rng.choice(local) if local and rng.random() < 0.85 else rng.choice(stores[person.country])
            ms = moment(rng, rng.randint(person.first_day, SPAN_DAYS - 1), offset)
            rows.append((_row(rng, person, store, products, mint, ms), person, ms))
    return tuple(rows)


def _row(
    rng: random.Random, person: Person, store: Location, products: tuple[Product, ...], mint: IdMint, ms: int
) -> dict[str, str]:
    _, name = person.pick_name(rng, latin_share=0.25)
    if rng.random() < 0.06:
        name = typo(rng, name)
    r = rng.random()
    phone = as_typed(rng, rng.choice(person.phones)) if r < 0.55 else (store.phone if r < 0.67 else "")
    addr = person.address
    with_address = rng.random() < 0.6
    street = addr.street if with_address else ""
    if street and rng.random() < 0.25:
        street = typo(rng, street)
    city = addr.city if with_address else ""
    if city and rng.random() < 0.05:
        city = typo(rng, city)
    born = date.fromisoformat(person.birth_date).strftime(_BIRTH_FORMATS[person.country])
    currency = country(person.country).currency
    return {
        "receipt_id": mint.digits(f"R{store.location_id[-2:]}-", 10),
        "store_id": store.location_id,
        "country": person.country,
        "purchased_at": iso(ms),
        "name": name,
        "phone": phone,
        "email": rng.choice(person.emails) if rng.random() < 0.45 else "",
        "birth_date": born if rng.random() < 0.4 else "",
        "street": street,
        "city": city,
        "postcode": addr.postcode if with_address and rng.random() < 0.9 else "",
        "loyalty_id": person.loyalty_id if person.loyalty_id and rng.random() < 0.8 else "",
        "amount": _amount(rng, products, currency),
        "currency": currency,
    }
