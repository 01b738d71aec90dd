"""Which pairs are compared (blocking), which train the model (EM sessions) and which estimate the
prior: plain SQL conditions over the columns of :mod:`.columns`, ``l`` and ``r`` the two records."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

_LEFT, _RIGHT = re.compile(r"\bl\."), re.compile(r"\br\.")


@dataclass(frozen=True, slots=True)
class BlockingRule:
    """One blocking rule: a SQL condition over ``l`` and ``r``; with ``explode``, a list column
    whose every value is joined on its own (``l.block_keys = r.block_keys`` compares one shared
    key, as Splink's ``arrays_to_explode`` does); with ``cap``, a rule of equal terms
    (``l.postcode = r.postcode AND left(l.street_key, 6) = left(r.street_key, 6)``) that compares
    no pair of a key more than ``cap`` records share (:attr:`key_column`)."""

    sql: str
    explode: str | None = None
    cap: int | None = None

    def __post_init__(self) -> None:
        if self.cap is not None:
            self.key_parts()  # a rule that is not a conjunction of equal terms fails here

    def key_parts(self) -> tuple[str, ...]:
        """The terms of a capped rule as expressions over one record (``left(street_key, 6)``)."""
        parts = []
        for term in self.sql.split(" AND "):
            left, equals, right = term.partition(" = ")
            part = _LEFT.sub("", left)
            if not equals or _RIGHT.search(left) or _LEFT.search(right) or _RIGHT.sub("", right) != part:
                raise ValueError(f"a capped blocking rule joins equal terms of l and r, not `{term}`")
            parts.append(part)
        return tuple(parts)

    @property
    def key_column(self) -> str:
        """The column holding a capped rule's key (its terms joined, null where more than ``cap``
        records hold it): made by :func:`~.block_keys.keyed_all`, joined instead of the terms."""
        return "key_" + hashlib.sha1(self.sql.encode()).hexdigest()[:10]

    def splink(self) -> dict[str, Any]:
        """The rule as Splink's settings take it."""
        if self.explode:
            return {"blocking_rule": self.sql, "arrays_to_explode": [self.explode]}
        return {"blocking_rule": self.condition}

    @property
    def condition(self) -> str:
        """The rule as one SQL condition over two unexploded rows (to count pairs in a plain join)."""
        if self.cap is not None:
            return f"l.{self.key_column} = r.{self.key_column}"
        if not self.explode:
            return self.sql
        column = self.explode
        return self.sql.replace(f"l.{column} = r.{column}", f"list_has_any(l.{column}, r.{column})")


_ANY_NAME_PART = (
    "l.family_key = r.family_key OR l.given_key = r.given_key OR l.given_key = r.family_key"
    " OR l.family_key = r.given_key"
)
BLOCK_CAP = 6
"""A capped rule's key (a postcode with a family name, a full name in a city) held by more than
this many records compares none of them: a common name in one place says little, and its pairs
grow with the square of its records. Uncapped, these rules compared 2.98 million pairs of
400,000 synthetic records (``bench/identity_speed.py``'s; about 16 million at a million), capped
at 20 2.51 million, at 6 1.59 million; FEBRL's blocking recall and the demo brand's figures are
the same at 6 as uncapped (the keys of one person's records are seldom shared by six others). The
pairs they would have found share a birth date, a phone or a typo-proof key with their other
records. Identifiers (phone, email, national id), the birth-date rule and the rules matching one
field to another are not capped."""


def _capped(sql: str) -> BlockingRule:
    return BlockingRule(sql, cap=BLOCK_CAP)


BLOCKING_RULES: tuple[BlockingRule, ...] = (
    BlockingRule(
        f"l.birth_date = r.birth_date AND ({_ANY_NAME_PART} OR l.postcode = r.postcode"
        " OR l.city_key = r.city_key OR left(l.street_key, 6) = left(r.street_key, 6)"
        " OR left(l.family_key, 3) = left(r.family_key, 3)"
        " OR left(l.given_key, 3) = left(r.given_key, 3))"),
    _capped("l.postcode = r.postcode AND l.family_key = r.family_key"),
    _capped("l.postcode = r.postcode AND l.given_key = r.given_key"),
    _capped("l.postcode_digits = r.postcode_digits AND l.given_key = r.given_key"
            " AND left(l.family_key, 3) = left(r.family_key, 3)"),
    BlockingRule("l.postcode = r.postcode AND l.given_key = r.family_key"),
    BlockingRule("l.postcode = r.postcode AND l.family_key = r.given_key"),
    _capped("l.street_key = r.street_key AND l.family_key = r.family_key"),
    BlockingRule("l.phone = r.phone"),
    BlockingRule("l.email_local = r.email_local"),
    BlockingRule("l.national_id = r.national_id"),
    _capped("l.given_key = r.given_key AND l.family_key = r.family_key"
            " AND substr(l.birth_date, 1, 3) = substr(r.birth_date, 1, 3)"),
    _capped("l.street_key = r.street_key AND l.given_key = r.given_key"),
    _capped("l.street_key = r.street_key AND l.postcode = r.postcode"),
    _capped("l.postcode = r.postcode AND left(l.street_key, 6) = left(r.street_key, 6)"),
    _capped("l.given_key = r.given_key AND l.family_key = r.family_key AND l.city_key = r.city_key"),
    _capped("l.given_key = r.given_key AND l.family_key = r.family_key"
            " AND left(l.street_key, 6) = left(r.street_key, 6)"),
    BlockingRule("l.given_key = r.family_key AND l.family_key = r.given_key"),
    _capped("l.postcode = r.postcode AND left(l.given_key, 3) = left(r.given_key, 3)"
            " AND left(l.family_key, 1) = left(r.family_key, 1)"),
    _capped("l.postcode = r.postcode AND left(l.family_key, 3) = left(r.family_key, 3)"
            " AND left(l.given_key, 1) = left(r.given_key, 1)"),
    BlockingRule("l.block_keys = r.block_keys", "block_keys"),
)
"""Which pairs are scored at all: a pair must agree on one of these. DuckDB joins on the equalities
joined by AND and filters by the rest, so the birth-date rule scores only the pairs that also share
a name part (in either order), a postcode, a city, or the first letters of a name or street (a typo
further on). The postcode rules are plain equalities with one name part each (a marketplace's
"Yulya L." has a given name only; "Smirnova Mariia" has its parts the other way round), the street
rules find receipts with a street and no postcode, the national id finds a person whose name and
birth date were both mistyped, and one full name in one decade of birth finds a person who moved.
The postcode's digits in sorted order (3782 and 3728, two digits swapped, are one key) go only with
the given name and the family name's first letters: sorted digits make one key of up to 24
postcodes, and with one name part they compared 5.3 million pairs of a million synthetic records
against 1.5 million for the postcode itself. The last rule holds when names, dates and postcodes
were all mistyped or replaced: one shared key of :func:`~.block_keys.block_keys` (a full name, a
family in a city, a house, a street name with a family's first letters or a postcode's digits),
each left out where too many records hold it. Nothing more is ORed after the birth date: every OR
term is tried on every pair of one birth date (about 22 million at a million records). An OR after
the postcode would join every pair of a postcode's records first, which grows with the square of
the records per postcode (530,000 pairs from 400,000 synthetic records). Measured on
100,000 synthetic records (``bench/identity_speed.py``'s), a full name alone made 345,000 pairs
(so it is held to one decade of birth: 78,000), a city with the first six letters of the street
26 million and the first letters of a street with those of a name 4 to 5 million: neither is here.
``bench/identity_febrl.py`` prints the share of true pairs these rules compare (blocking recall)."""

TRAINING_RULES: tuple[str, ...] = (
    "l.birth_date = r.birth_date",
    "l.family_key = r.family_key AND l.given_key = r.given_key",
    "l.postcode = r.postcode AND l.street_key = r.street_key",
    "l.postcode = r.postcode AND l.given_key = r.given_key",
)
"""EM sessions: each rule fixes the comparisons it uses and estimates m for the others. The last one
is the only session that sees marketplace aliases ("Yulya L.", a postcode, no birth date, no
street), so it is what trains the initial level of the family name."""

PRIOR_MATCH_PROBABILITY = 1e-4
"""The prior (``probability_two_random_records_match``) when it cannot be estimated from the data
(no pair agrees on any of :data:`PRIOR_RULES`)."""

PRIOR_RULES: tuple[str, ...] = (
    "l.given_key = r.given_key AND l.family_key = r.family_key AND l.birth_date = r.birth_date",
    "l.given_key = r.given_key AND l.family_key = r.family_key AND l.postcode = r.postcode",
    "l.email_local = r.email_local AND l.family_key = r.family_key",
    "l.phone = r.phone AND l.family_key = r.family_key",
)
"""Near-certain matches, counted to estimate the prior from the records themselves (Splink's direct
estimate): a fixed prior is wrong by orders of magnitude between a 5,000-record import (one pair
in a few thousand is a match) and a million records (one in a million)."""

PRIOR_RECALL = 0.5
"""The share of all true pairs assumed to agree on one of :data:`PRIOR_RULES`: the estimated prior
is their pair count / ``PRIOR_RECALL`` / all pairs. An assumption, not a fit: half of a person's
record pairs carry both names with a birth date or postcode, or the family name with an email local
part or a phone."""
