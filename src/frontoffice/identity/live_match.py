"""The probabilistic tier in the live graph: which records are scored, and what a score decides.

Pure: the service layer reads records and people, scores with the trained model
(:mod:`frontoffice.identity.probabilistic`) and hands the pairs here.

- **Who is scored.** A record with a name and no login (``user_id``): store receipts, call-centre
  notes, imported CRM lists, marketplace aliases. A record with a login reaches its person through
  that login; it is still a candidate *partner* for the scored ones (the web profile a store
  customer is matched to).
- **What a pair decides.** Pairs of two records already in one person are ignored. For two people
  only their best pair counts. At ``match weight >= auto`` with no conflict the pair merges
  (an ``identity.match`` event; the graph's over-merge rules still apply). From ``review`` up to
  ``auto``, or above ``auto`` with a conflict (a given name, family name or birth date that
  differs outright, two different logins or national ids), it goes to the review queue.
  Below ``review`` nothing happens. A pair a person rejected is never merged nor queued again.
- **Then the namesakes.** After the merges, people who alone share a rare name, no birth date or
  mobile number disagreeing and any other difference weighed by the people's own odds, are joined
  (:mod:`frontoffice.identity.probabilistic.namesakes`, rule ``namesake``), unless a person
  rejected two of them.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from frontoffice.identity.model import SINGLE_VALUED, IdKind, PersonAttributes, street_line
from frontoffice.identity.probabilistic import DEFAULT_AUTO_WEIGHT, DEFAULT_REVIEW_WEIGHT, ScoredPair
from frontoffice.identity.probabilistic.model import PHRASES
from frontoffice.identity.probabilistic.namesakes import DEFAULT_MAX_EXPECTED
from frontoffice.identity.rules import values_conflict
from frontoffice.normalise import Normalised, normalise_postcode

CONFLICTING_KINDS = frozenset(SINGLE_VALUED | {IdKind.USER_ID})
"""Identifiers a person has one of: two people holding different ones (national ids: beyond a
typo) are not merged automatically."""


DEFAULT_HOUSEHOLD_MARGIN = 6.0
"""How much of the auto-merge weight guards against members of one household (a spouse, a sibling,
a parent and a child of one name share name parts, address and landline): where the records hold
no households (:mod:`frontoffice.identity.probabilistic.households`), pairs merge from the
auto-merge weight minus this. Measured on the demo brand (seed 7, 2,000 people): merging from 10
instead of 16 added 14 false pairs, 13 of them two members of one household; on FEBRL, which holds
no households, no false pair scores above 6."""


@dataclass(frozen=True, slots=True)
class MatchConfig:
    auto_weight: float = DEFAULT_AUTO_WEIGHT
    review_weight: float = DEFAULT_REVIEW_WEIGHT
    interval_seconds: float = 30.0
    """The worker matches new records at least this often when some arrived (0: never by itself)."""
    batch_records: int = 1000
    """... and at once when this many new records arrived since the last run."""
    namesake_max_expected: float = DEFAULT_MAX_EXPECTED
    """The namesake pass joins people of a name when fewer than this many are expected by chance
    (0: no namesake pass)."""
    household_margin: float = DEFAULT_HOUSEHOLD_MARGIN
    """Where the records hold no households, pairs merge from ``auto_weight`` minus this."""

    def __post_init__(self) -> None:
        if self.review_weight > self.auto_weight:
            raise ValueError(f"the review threshold ({self.review_weight}) must not exceed the "
                             f"auto-merge threshold ({self.auto_weight})")
        if self.namesake_max_expected < 0:
            raise ValueError(f"the namesake bar ({self.namesake_max_expected}) must be 0 (off) or more")
        if self.household_margin < 0:
            raise ValueError(f"the household margin ({self.household_margin}) must be 0 or more")

    def auto_for(self, households: bool) -> float:
        """The auto-merge weight for a model whose records hold households (``auto_weight``) or
        none (less :attr:`household_margin`, never below the review weight)."""
        return self.auto_weight if households else max(self.review_weight,
                                                        self.auto_weight - self.household_margin)


@dataclass(frozen=True, slots=True)
class Known:
    """A projected record as the matcher sees it."""

    record_id: str
    seq: int
    attributes: PersonAttributes
    candidate: bool


def known_record(record_id: str, seq: int, data: Mapping[str, Any]) -> Known | None:
    """From the projection's stored form of a record (identifiers ``i``, traits ``t``, name ``n``)
    to its person attributes; None when it has nothing to compare. A record without a name is
    compared too (a form whose name fields were left empty, an email-only sign-up): its birth date,
    address, email or phone find its person, though it merges automatically only on a personal
    fact (:data:`~frontoffice.identity.probabilistic.model.NAMELESS`)."""
    traits: dict[str, Any] = {}
    for name, value in data.get("t", ()):
        traits.setdefault(name, value)
    kinds: dict[str, str] = {kind: value for kind, value in data.get("i", ())}  # noqa: C416
    given, family, country = [*data["n"], None][:3] if data.get("n") else (
        traits.get("firstName"), traits.get("lastName"), traits.get("country"))
    found = traits.get("address")
    address: dict[str, Any] = found if isinstance(found, dict) else {}
    postcode = None
    raw_postcode = address.get("postalCode")
    if isinstance(raw_postcode, str) and raw_postcode.strip():
        parsed = normalise_postcode(raw_postcode, country)
        postcode = parsed.value if isinstance(parsed, Normalised) else None
    attributes = PersonAttributes(
        given_name=_text(given), family_name=_text(family), birth_date=_text(traits.get("birthDate")),
        street=street_line(_text(address.get("streetNumber")), _text(address.get("street")),
                           _text(address.get("line2"))),
        city=_text(address.get("city")), postcode=postcode,
        country=_text(country), email=kinds.get(IdKind.EMAIL.value), phone=kinds.get(IdKind.PHONE.value),
        national_id=kinds.get(IdKind.NATIONAL_ID.value))
    if attributes.is_empty():
        return None
    return Known(record_id, seq, attributes, IdKind.USER_ID.value not in kinds)


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def key_attributes(attributes: PersonAttributes) -> dict[str, Any]:
    """What a reviewer sees of one side."""
    return {k: v for k, v in (
        ("given_name", attributes.given_name), ("family_name", attributes.family_name),
        ("birth_date", attributes.birth_date), ("street", attributes.street),
        ("postcode", attributes.postcode), ("city", attributes.city),
        ("country", attributes.country), ("email", attributes.email), ("phone", attributes.phone),
    ) if v}


@dataclass(frozen=True, slots=True)
class Proposal:
    """The best pair between two people and what it decides."""

    pair: ScoredPair
    person_a: str
    person_b: str
    merge: bool
    note: str  # why it is queued instead of merged ("" when it merges or is a plain grey-zone pair)

    @property
    def explanation(self) -> str:
        return self.pair.explanation + (f"; {self.note}" if self.note else "")


def decide(pairs: Iterable[ScoredPair], person_of: Mapping[str, str],
           identifiers_of: Callable[[str], Collection[tuple[str, str]]], config: MatchConfig,
           rejected: Collection[tuple[str, str]] = frozenset(), households: bool = True) -> list[Proposal]:
    """Proposals, strongest first, one per pair of people (see the module's rules). ``rejected``
    holds pairs of people (sorted ids) a person said are not the same. The merges of this batch
    are taken into account as they are decided: a pair whose people one of them already joins,
    or joins to a person rejected by the other, is dropped. ``households``: the model's records
    hold households (:meth:`MatchConfig.auto_for`)."""
    auto = config.auto_for(households)
    best: dict[tuple[str, str], tuple[ScoredPair, str, str]] = {}
    for pair in pairs:
        pa, pb = person_of.get(pair.left_id), person_of.get(pair.right_id)
        if pa is None or pb is None or pa == pb or pair.match_weight < config.review_weight:
            continue
        key = (pa, pb) if pa < pb else (pb, pa)
        if key not in best or pair.match_weight > best[key][0].match_weight:
            best[key] = (pair, pa, pb)
    groups: dict[str, set[str]] = {}
    out = []
    for pair, pa, pb in sorted(best.values(), key=lambda t: (-t[0].match_weight, t[0].key)):
        ga, gb = groups.get(pa, {pa}), groups.get(pb, {pb})
        if ga is gb or any(((x, y) if x < y else (y, x)) in rejected for x in ga for y in gb):
            continue
        note = ""
        if pair.conflicts:
            differ = [c for c in pair.conflicts if c not in PHRASES]
            said = [", ".join(differ) + " differ"] if differ else []
            said += [c for c in pair.conflicts if c in PHRASES]
            note = "not merged automatically: " + "; ".join(said)
        else:
            clash = _identifier_clash([i for p in ga for i in identifiers_of(p)],
                                      [i for p in gb for i in identifiers_of(p)])
            if clash:
                note = f"not merged automatically: {clash}"
        merge = pair.match_weight >= auto and not note
        if merge:
            joined = ga | gb
            for person in joined:
                groups[person] = joined
        out.append(Proposal(pair, pa, pb, merge, note))
    return out


def _identifier_clash(a: Collection[tuple[str, str]], b: Collection[tuple[str, str]]) -> str:
    for kind in sorted(k.value for k in CONFLICTING_KINDS):
        left = {v for k, v in a if k == kind}
        right = {v for k, v in b if k == kind}
        if left and right and not left & right and values_conflict(IdKind(kind), left | right):
            return f"different {kind} values {', '.join(sorted(left | right))}"
    return ""
