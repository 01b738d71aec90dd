"""The deterministic tier's rules as data: limits, generic values, blocklist, conflicts.

And the small value types the graph hands out: match edges, person ids and changes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field

from frontoffice.identity.model import SINGLE_VALUED, Identifier, IdKind, MatchEvidence

# Which shared identifier wins when a record could join several people: strongest first.
KIND_RANK: dict[IdKind, int] = {kind: rank for rank, kind in enumerate((
    IdKind.USER_ID, IdKind.NATIONAL_ID, IdKind.LOYALTY_ID, IdKind.MARKETPLACE_BUYER, IdKind.EMAIL,
    IdKind.EMAIL_SHA256, IdKind.PHONE, IdKind.PHONE_SHA256, IdKind.DEVICE_ID, IdKind.ANONYMOUS_ID,
    IdKind.ORDER_REF,
))}
# Kinds whose distinct values say "a different person": counted to find generic values.
OWNER_KINDS: frozenset[IdKind] = frozenset(
    {IdKind.USER_ID, IdKind.EMAIL, IdKind.PHONE, IdKind.LOYALTY_ID, IdKind.NATIONAL_ID})
# Kinds that can never be generic: a login or a national id names one person by definition.
NEVER_GENERIC: frozenset[IdKind] = frozenset({IdKind.USER_ID, IdKind.NATIONAL_ID})


def _default_limits() -> dict[IdKind, int]:
    return {IdKind.EMAIL: 5, IdKind.PHONE: 5, IdKind.ANONYMOUS_ID: 50, IdKind.DEVICE_ID: 20,
            IdKind.LOYALTY_ID: 3, IdKind.MARKETPLACE_BUYER: 10, IdKind.EMAIL_SHA256: 10,
            IdKind.PHONE_SHA256: 10}


@dataclass(frozen=True)
class GraphConfig:
    """Over-merge protection. Every field has a safe default; a brand may tighten or relax it."""

    max_per_person: Mapping[IdKind, int] = field(default_factory=_default_limits)
    """At most this many distinct values of a kind in one person; a merge beyond is blocked."""
    generic_owner_limit: int = 2
    """An identifier seen with more than this many distinct values of one owner kind (user ids,
    emails, phones, loyalty or national ids) is generic (a store's phone, a family email) and is
    ignored for merging from then on."""
    generic_owner_limits: Mapping[IdKind, int] = field(default_factory=lambda: {IdKind.PHONE: 1})
    """Per-kind overrides of ``generic_owner_limit``: a phone seen with two different emails
    or logins is a landline of a store or household far more often than one person's."""
    surname_owner_kinds: frozenset[IdKind] = frozenset({IdKind.PHONE, IdKind.EMAIL})
    """Kinds whose values also turn generic when seen on the names of many families: a store's
    phone typed on the receipts of shoppers who gave none."""
    generic_surname_limit: int = 4
    """A value of ``surname_owner_kinds`` seen with more family names than this is generic. A
    household has one family name, or two or three where spouses keep their own (Korea, China); a
    person's own records may add a misspelt one. Spellings of one name (Müller, Mueller) count once."""
    single_valued: frozenset[IdKind] = SINGLE_VALUED | {IdKind.USER_ID}
    """Kinds a person has one value of: two different values block an automatic merge."""
    blocklist: frozenset[Identifier] = frozenset()
    """Values never used to merge (known test accounts, the brand's own addresses)."""
    name_veto_kinds: frozenset[IdKind] = frozenset({
        IdKind.EMAIL, IdKind.PHONE, IdKind.DEVICE_ID, IdKind.ANONYMOUS_ID, IdKind.EMAIL_SHA256,
        IdKind.PHONE_SHA256, IdKind.ORDER_REF})
    """Identifiers a household shares: a merge through one of them is blocked when both people
    have names and no two of them are alike (Maria and Joseph Rodriguez on a family email), or
    both have birth dates and none is the same (Felix Schneider and his son Felix). An order ref
    too: a gift's recipient who calls about it quotes the buyer's order under their own name."""
    generation_years: int = 15
    """Birth years this far apart are two generations: an automatic match that would put them in
    one person through a record without a birth date (a receipt that matches the parent and the
    child of one name at one address) is refused. A match of two dated records weighed them."""
    one_mobile: bool = True
    """A match (probabilistic or namesake, not a shared identifier nor a person's decision) never
    joins two persons that each hold a mobile number and share none. Two records of one name at one
    address, each with its own mobile, are two people of one household (a parent and a child of
    one name) more often than one person with two mobiles; the pair goes to review. On the demo
    brand: 19 false pairs fewer, 23 true ones (people with a second mobile) left to review. A
    landline (or a number the plan does not type, as in the US) is a household's or a second line:
    it does not count."""
    name_veto_below: float = 0.6
    """Names less alike than this (``name_similarity``, 0..1) count as different people's. Two
    unrelated given names still score about 0.5 (Patricia/Mary 0.54, Joe/James 0.54), so the bar
    sits above that; spelling variants and nicknames score 0.9 and more."""
    household_names_below: float = 0.45
    """Names less alike than this, read either way round, on two records of one household
    identifier (an email, a landline) make it a household's: a record of it without a name then
    cannot say whose it is and joins nobody through it. Lower than ``name_veto_below``: one
    person's own records show typos and nicknames (Elena/Eena 0.56, Dima/Dmitriy 0.49)."""


def within_a_typo(a: str, b: str) -> bool:
    """One character wrong, added or dropped, or two neighbours swapped (Damerau distance <= 1)."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


def values_conflict(kind: IdKind, values: set[str]) -> bool:
    """Two values of a single-valued kind name two people: any two logins; two national ids only
    when both are verified (``COUNTRY:scheme:number`` of a scheme with a checksum, not a free-form
    ``COUNTRY:id:number``) and differ beyond a typo (one digit, two swapped)."""
    if len(values) < 2:
        return False
    if kind is not IdKind.NATIONAL_ID:
        return True
    ordered = sorted(v for v in values if v.split(":")[1:2] != ["id"])
    return any(not within_a_typo(a, b) for i, a in enumerate(ordered) for b in ordered[i + 1:])


@dataclass(frozen=True, slots=True)
class MatchEdge:
    """Two records said to be the same person by another tier or by a person (``forced``)."""

    record_a: str
    record_b: str
    evidence: MatchEvidence
    forced: bool = False


@dataclass(frozen=True, slots=True)
class Change:
    """One entry of the merge/split history, also published as a change event."""

    kind: str  # "merged" | "split" | "conflict" | "generic"
    person_id: str
    others: tuple[str, ...]
    evidence: MatchEvidence


def person_id_for(record_id: str) -> str:
    """A person is named after its oldest record, so the id is stable across rebuilds and a
    split gives back the id each side had before the merge."""
    return "p_" + hashlib.blake2b(record_id.encode(), digest_size=8).hexdigest()
