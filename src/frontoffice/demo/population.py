"""The population: independent people plus the hard cases of identity resolution.

Look-alikes share a name with an earlier person of the same country but nothing else (mostly a
common name, as in life);
twins share family name, address and birth date but not the given name; households share a
family name, address, one family email and the home landline.
"""

from __future__ import annotations

import random

from frontoffice.demo import names as nm
from frontoffice.demo.households import generations, parents_and_children
from frontoffice.demo.people import (
    Person,
    PersonFactory,
    ascii_token,
    given_by_gender,
    pick_family,
    pick_given,
    rank_pick,
)
from frontoffice.demo.places import COUNTRIES, country
from frontoffice.demo.timeline import IdMint


def build_people(rng: random.Random, count: int, mint: IdMint) -> tuple[Person, ...]:
    """``count`` people, countries in rotation, with twins, households and look-alikes mixed in."""
    factory = PersonFactory(rng, mint)
    people: list[Person] = []
    by_country: dict[str, list[Person]] = {c: [] for c in COUNTRIES}
    commonness: dict[str, list[float]] = {c: [] for c in COUNTRIES}  # cumulative, for namesakes
    while len(people) < count - generations(count):
        code = COUNTRIES[len(people) % len(COUNTRIES)]
        room, r = count - len(people), rng.random()
        if r < 0.015 and room >= 2:
            group = _twins(factory, code)
        elif r < 0.045 and room >= 2:
            group = _household(factory, code, min(room, rng.choice((2, 2, 3))))
        elif r < 0.085 and by_country[code]:
            namesake = rng.choices(by_country[code], cum_weights=commonness[code])[0]
            group = [_lookalike(factory, namesake)]
        else:
            group = [factory.single(code)]
        people.extend(group)
        by_country[code].extend(group)
        for person in group:  # a stranger shares a name by chance: mostly a common one
            given, family = _parts(person)
            total = commonness[code][-1] if commonness[code] else 0.0
            commonness[code].append(total + given.weight * family.weight)
    people.extend(parents_and_children(factory, count - len(people)))
    return tuple(people)


def _parts(person: Person) -> tuple[nm.NamePart, nm.NamePart]:
    """The table entries behind a person's native name (family in its listed form)."""
    native = person.names[0]
    return nm.part_named(person.country, native.given), nm.family_named(person.country, native.family)


def _lookalike(factory: PersonFactory, other: Person) -> Person:
    given, family = _parts(other)
    return factory.make(other.country, other.gender, given, family, kin="lookalike")


def _twins(factory: PersonFactory, code: str) -> list[Person]:
    first = factory.single(code, kin="twin")
    _, family = _parts(first)
    gender = factory.rng.choice("fm")
    others = [p for p in given_by_gender(code, gender) if p.native != first.names[0].given]
    second = factory.make(
        code, gender, rank_pick(factory.rng, tuple(others)), family,
        kin="twin", birth_date=first.birth_date, address=first.address,
    )
    return [first, second]


def _household(factory: PersonFactory, code: str, size: int) -> list[Person]:
    rng = factory.rng
    family = pick_family(rng, code)
    address = factory.address(code)
    city = next(c for c in country(code).cities if c.name == address.city)
    domain = rng.choice(country(code).email_domains[:3])
    surname = ascii_token(family.romanised[0] if family.romanised else family.native)
    email = factory.claim_email(rng.choice((f"{surname}.family", f"the{surname}s", f"{surname}home")), domain)
    home = factory.phone(code, (city.landline,), mobile=False)
    members = []
    for _ in range(size):
        gender = rng.choice("fm")
        given = pick_given(rng, code, gender)
        members.append(
            factory.make(code, gender, given, family, kin="household", address=address,
                         shared_email=email, shared_phone=home)
        )
    return members
