"""The identity model shared by both tiers of resolution and the golden record.

A *record* is one observation of a person in the event log (an identify call, a tracked
event, a store receipt, a marketplace alias, an inbound message): its strong identifiers,
the person attributes it carries, and where it came from. Records are derived from the log
and can always be derived again; persons are projections over records.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from frontoffice.normalise.kinds import IdKind

# IdKind lives with the normalisers (a leaf below identity and the vault) and is identity's too
__all__ = ["SINGLE_VALUED", "IdKind", "Identifier", "IdentityRecord", "MatchEvidence",
           "PersonAttributes", "RejectedIdentifier", "TraitValue", "street_line"]

# Identifiers a person has exactly one of: two different values block an automatic merge.
SINGLE_VALUED: frozenset[IdKind] = frozenset({IdKind.NATIONAL_ID})


@dataclass(frozen=True, slots=True, order=True)
class Identifier:
    kind: IdKind
    value: str  # normalised: comparable as text

    def __str__(self) -> str:
        return f"{self.kind.value}:{self.value}"


@dataclass(frozen=True, slots=True)
class RejectedIdentifier:
    """A value that looked like an identifier but may not be used to merge (kept as a trait)."""

    kind: IdKind
    raw: str
    reason: str


@dataclass(frozen=True, slots=True)
class PersonAttributes:
    """What probabilistic matching compares; every field normalised, any may be missing."""

    given_name: str | None = None  # as written (native script or Latin)
    family_name: str | None = None
    birth_date: str | None = None  # ISO yyyy-mm-dd
    street: str | None = None
    city: str | None = None
    postcode: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-2
    email: str | None = None  # normalised, when valid
    phone: str | None = None  # E.164, when valid
    national_id: str | None = None

    def is_empty(self) -> bool:
        return not any((self.given_name, self.family_name, self.birth_date, self.street,
                        self.city, self.postcode, self.email, self.phone, self.national_id))


def street_line(number: str | None, street: str | None, line2: str | None) -> str | None:
    """One street line from an address's parts (``8 stanley street, miami``): the street number
    and a second line (a flat, a building) are evidence too, compared with the street."""
    first = " ".join(p for p in (number, street) if p)
    return ", ".join(p for p in (first, line2) if p) or None


@dataclass(frozen=True, slots=True)
class TraitValue:
    """One observed value of a trait with its provenance."""

    name: str
    value: object
    source_id: str
    record_id: str
    observed_at: str  # ISO-8601 UTC


@dataclass(frozen=True, slots=True)
class IdentityRecord:
    record_id: str  # "<source_id>:<message_id>": stable across rebuilds
    workspace_id: str
    source_id: str
    seq: int  # position in the event log
    observed_at: str  # the event's timestamp, ISO-8601 UTC
    identifiers: tuple[Identifier, ...] = ()
    attributes: PersonAttributes = field(default_factory=PersonAttributes)
    traits: tuple[TraitValue, ...] = ()
    rejected: tuple[RejectedIdentifier, ...] = ()


@dataclass(frozen=True, slots=True)
class MatchEvidence:
    """Why two records (or persons) are, or may be, the same person: said in words."""

    rule: str  # e.g. "shared-identifier", "probabilistic", "manual"
    detail: str  # e.g. "email a@b.com shared by records X and Y", "match weight 14.2 from ..."
    weight: float | None = None  # Splink match weight (log2 Bayes factor), when probabilistic
    probability: float | None = None
