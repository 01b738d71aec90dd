"""Whether a record set holds households: different people sharing one family name and address.

The twin and generation vetoes (:mod:`.model`) protect records that look like one person and are
two: twins (one family name, address and birth date, another given name) and a parent and a child
of one full name at one address. Both are members of a household, and the records say whether
they hold households at all: two records of one family name and street whose given names differ
beyond a typo and whose birth dates differ beyond a typo are two people of one household (a
spouse, a sibling). Twins are rare beside them (about one sibling pair in 40 is born on one day).
Where the twin-like pairs (the same birth date, another given name) are many and outnumber the
household pairs :data:`TWIN_RATIO` times, they are not twins but one person whose given name was
mistyped or replaced (a data set of independent people, FEBRL's): there the vetoes weigh as
evidence, with the learned weight of a differing given name or birth date, like every other
disagreement. Measured: FEBRL4 130 twin-like against 8 household pairs, FEBRL3 117 against 7; the
demo brand (2,000 people, seeds 7 and 11) 3 and 2 against 6 and 7.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations

from frontoffice.identity.probabilistic.columns import Row
from frontoffice.identity.probabilistic.settings import GENERATION_YEARS
from frontoffice.identity.rules import within_a_typo

MAX_GROUP = 50
"""Records of one family name and street beyond this are a block of flats or a shop's address:
not counted (their pairs would cost the square of the group)."""
TWIN_RATIO = 5
"""Twin-like pairs must outnumber household pairs this many times to lift the vetoes ..."""
MIN_TWIN_LIKE = 20
"""... and be at least this many: a few twin-like pairs are as likely twins as typos."""


@dataclass(frozen=True, slots=True)
class HouseholdCounts:
    households: int
    """Pairs of one family name and street, given names and birth dates different beyond a typo."""
    twin_like: int
    """Pairs of one family name, street and birth date, given names different beyond a typo."""

    @property
    def present(self) -> bool:
        """Households are present (the vetoes hold) unless the twin-like pairs are many and
        outnumber the household pairs :data:`TWIN_RATIO` times."""
        return self.twin_like < MIN_TWIN_LIKE or self.twin_like < TWIN_RATIO * self.households

    def __str__(self) -> str:
        return (f"{self.households} pairs of one family name and street with different given names "
                f"and birth dates (households), {self.twin_like} with one birth date (twin-like)")


def count_households(rows: Iterable[Row]) -> HouseholdCounts:
    """Count household and twin-like pairs among rows with a family name, given name and street."""
    groups: dict[tuple[str, str], list[Row]] = {}
    for row in rows:
        if row["family_key"] and row["given_key"] and row["street_key"] and row["birth_date"]:
            groups.setdefault((row["family_key"], row["street_key"]), []).append(row)
    households = twin_like = 0
    for members in groups.values():
        if len(members) > MAX_GROUP:
            continue
        for a, b in combinations(members, 2):
            if not _given_names_differ(a, b):
                continue
            if a["birth_date"] == b["birth_date"]:
                twin_like += 1
            elif not _date_typo(a["birth_date"], b["birth_date"]):
                households += 1
    return HouseholdCounts(households, twin_like)


def _given_names_differ(a: Row, b: Row) -> bool:
    """Given names that are not one name: not equal, not a typo, no shared spelling or nickname."""
    if within_a_typo(a["given_key"], b["given_key"]):
        return False
    for column in ("given_alts", "given_nicknames"):
        if set(a[column] or ()) & set(b[column] or ()):
            return False
    return True


def _date_typo(a: str, b: str) -> bool:
    """One digit wrong or two swapped, or day and month swapped (``YYYY-MM-DD``)."""
    return within_a_typo(a, b) or (a[:4] == b[:4] and a[5:7] == b[8:10] and a[8:10] == b[5:7])


def two_generations(rows: Sequence[Row]) -> frozenset[str]:
    """Ids of the records whose full name lives at a place (a postcode or a street) where the records
    show two generations of it: a generational suffix (``Weise Jr., Karl``) or birth dates
    :data:`GENERATION_YEARS` apart. At such a place a record of that name without a birth date is
    the parent's as likely as the child's: only a personal fact tells them apart (the model's
    :data:`~.model.TWO_GENERATIONS`). Two passes: the names and places of the dated and suffixed
    records first, then (when some place shows two generations) the records at those."""
    years: dict[tuple[str, str, str], tuple[int, int]] = {}
    found: set[tuple[str, str, str]] = set()
    for row in rows:
        suffix, born = row["generation"], row["birth_date"]
        if not (suffix or born) or not (row["given_key"] and row["family_key"]):
            continue
        year = int(born[:4]) if born and born[:4].isdigit() else None
        for place in _places(row):
            if not place:
                continue
            key = (row["given_key"], row["family_key"], place)
            if suffix:
                found.add(key)
            if year is not None:
                low, high = years.get(key, (year, year))
                low, high = min(low, year), max(high, year)
                years[key] = (low, high)
                if high - low >= GENERATION_YEARS:
                    found.add(key)
    if not found:
        return frozenset()
    return frozenset(row["unique_id"] for row in rows if row["given_key"] and row["family_key"] and any(
        (row["given_key"], row["family_key"], place) in found for place in _places(row)))


def _places(row: Row) -> tuple[str | None, str | None]:
    """The record's postcode and street, as the keys of :func:`two_generations` name them."""
    return row["postcode"], row["street_key"] and "street:" + row["street_key"]
