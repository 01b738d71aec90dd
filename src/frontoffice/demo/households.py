"""Households that confound identity resolution: a parent and a child of one full name.

At one address, on one landline, with one given and one family name, the two differ by their
birth dates, 22 to 35 years apart, and sometimes by a generational suffix (a spelling with
``Jr.`` after the child's name in Latin letters, with ``Sr.`` after the parent's). A resolver that
lets the shared address and phone outweigh two birth dates a generation apart merges them: the
household of :mod:`frontoffice.demo.population` made harder.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from frontoffice.demo.names import NameForm
from frontoffice.demo.people import Person, PersonFactory, pick_family, pick_given
from frontoffice.demo.places import COUNTRIES, country

GENERATION_GAP = (22, 35)
"""Years between the parent's and the child's birth (inclusive)."""
GENERATION_SHARE = 0.02
"""Share of the population made of such pairs (the last people drawn, so that the people before
them are the same as without them)."""
SUFFIX_SHARE = 0.4
"""Share of such pairs whose names in Latin letters carry ``Sr.`` and ``Jr.``."""


def generations(count: int) -> int:
    """How many of ``count`` people are parents and children of one name (an even number)."""
    return int(count * GENERATION_SHARE) // 2 * 2


def parents_and_children(factory: PersonFactory, people: int) -> list[Person]:
    """``people`` // 2 pairs of :func:`parent_and_child`, countries in rotation."""
    return [p for i in range(people // 2) for p in parent_and_child(factory, COUNTRIES[i % len(COUNTRIES)])]


def parent_and_child(factory: PersonFactory, code: str) -> list[Person]:
    """Two people of one full name at one address and landline, a generation apart (kin
    ``generation``)."""
    rng = factory.rng
    gender = rng.choice("fm")
    given, family = pick_given(rng, code, gender), pick_family(rng, code)
    address = factory.address(code)
    city = next(c for c in country(code).cities if c.name == address.city)
    home = factory.phone(code, (city.landline,), mobile=False)
    gap = rng.randint(*GENERATION_GAP)
    child_age = rng.randint(18, 78 - gap)
    born = date(2026, 1, 1) - timedelta(days=child_age * 365 + rng.randrange(365))
    dates = ((born - timedelta(days=gap * 365 + rng.randrange(365))).isoformat(), born.isoformat())
    people = [factory.make(code, gender, given, family, kin="generation", address=address,
                           birth_date=birth, shared_phone=home) for birth in dates]
    if rng.random() < SUFFIX_SHARE:
        people = [_suffixed(p, suffix) for p, suffix in zip(people, ("Sr.", "Jr."), strict=True)]
    return people


def _suffixed(person: Person, suffix: str) -> Person:
    """One more spelling of the name, with the suffix (the native form stays the table's name)."""
    native = person.names[0]
    if not native.family.isascii():
        return person
    suffixed = NameForm("latin", native.given, f"{native.family} {suffix}")
    return replace(person, names=(*person.names, suffixed))


__all__ = ["GENERATION_GAP", "generations", "parent_and_child", "parents_and_children"]
