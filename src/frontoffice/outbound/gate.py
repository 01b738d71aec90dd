"""The outbound gate, pure: may this person's data be used for `purpose` on `channel` now?

A person is several consent subjects (``user_id:…``, ``email:…``, ``anonymous_id:…``,
``person_id:…``). Their consent is merged per purpose the way people merge
(`consent.merge.merge_consent`: the most restrictive record, unless a newer explicit grant
exists), the region comes from everything known about the person (`consent.region`; unknown →
the strictest pack), and the one policy check (`consent.policy.check`) decides. Every verdict
carries the reason and the rule; anything missing or unknown is a refusal.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from frontoffice.consent.ledger import ConsentChange, ConsentState
from frontoffice.consent.merge import merge_consent
from frontoffice.consent.packs import RegionPack
from frontoffice.consent.policy import check as policy_check
from frontoffice.consent.projector import merge_evidence
from frontoffice.consent.region import Evidence, Resolution, resolve_region
from frontoffice.domain.events import EventRecord
from frontoffice.vault.sealing import ERASED_FAMILY
from frontoffice.vault.subjects import identifiers_of

MERGE_SOURCE = "outbound-gate"
EXPORT_CHANNEL = "export"  # the channel of file exports (bulk) and export previews


@dataclass(frozen=True, slots=True)
class Refusal:
    """The refusals of one rule in an export: how many, and the reason of the first."""

    rule: str
    count: int
    example: str


@dataclass(frozen=True, slots=True)
class Verdict:
    allowed: bool
    reason: str
    rule: str
    person: str  # the person id, or the subject key when no person is known
    region: str

    def as_dict(self) -> dict[str, object]:
        return {"allowed": self.allowed, "reason": self.reason, "rule": self.rule,
                "person": self.person, "region": self.region}


@dataclass(frozen=True, slots=True)
class PersonConsent:
    """What the gate knows about one person, computed once and reused for every check."""

    person: str
    subjects: tuple[str, ...]  # the consent subject keys that speak for the person
    state: ConsentState | None  # None: neither identity nor consent knows anyone → refuse
    region: Resolution
    conflicts: tuple[str, ...] = ()  # disagreements between the subjects, with the kept side


def unknown(reference: str, why: str) -> Verdict:
    return Verdict(False, f"{why}; refusing", "fail-closed/unknown-person", reference, "-")


def erased(reference: str, identifier: str) -> Verdict:
    return Verdict(False, f"{identifier} belongs to an erased person (it is on the suppression list); "
                          "refusing", "fail-closed/erased-person", reference, "-")


def about_nobody(record: EventRecord) -> bool:
    """The event carries no identifier of anyone (a stock level, a listing, a price, a product,
    a location): it is not personal data, so consent does not govern it. An erased person's
    tombstone is not counted here: it is about someone, who is gone."""
    return record.family != ERASED_FAMILY and not identifiers_of(record)


def impersonal(reference: str) -> Verdict:
    return Verdict(True, "the event names no person and carries no identifier: not personal data",
                   "allowed/no-personal-data", reference, "-")


def failure(reference: str, exc: BaseException) -> Verdict:
    return Verdict(False, f"consent could not be read ({type(exc).__name__}: {exc}); refusing",
                   "fail-closed/error", reference, "-")


def merge_states(person: str, states: Sequence[ConsentState],
                 at: datetime) -> tuple[ConsentState, tuple[str, ...]]:
    """One state for the person: per purpose the record `merge_consent` keeps, with its own time,
    method and explicitness (so a GPC refusal stays a GPC refusal and times stay comparable)."""
    current: dict[str, ConsentChange] = {}
    conflicts: list[str] = []
    for state in sorted(states, key=lambda s: s.person_key):
        acc = ConsentState(person, dict(current))
        outcome = merge_consent(acc, state, at, MERGE_SOURCE)
        conflicts += [c.reason for c in outcome.conflicts]
        for change in outcome.changes:
            current[change.purpose] = state.current[change.purpose]
    return ConsentState(person, current), tuple(conflicts)


def merged_evidence(evidences: Iterable[Evidence]) -> Evidence:
    """The first non-empty value of each field, in the order given (golden record first)."""
    out = Evidence()
    for ev in reversed(list(evidences)):
        out = merge_evidence(out, ev)
    return out


def person_consent(person: str, states: Mapping[str, ConsentState], evidences: Sequence[Evidence],
                   known: bool, at: datetime) -> PersonConsent:
    """`known`: identity or the consent projection knows the person; with no consent record at
    all they then have an empty state (opt-out regions allow, opt-in regions refuse)."""
    region = resolve_region(merged_evidence(evidences))
    if not known and not states:
        return PersonConsent(person, (), None, region)
    state, conflicts = merge_states(person, list(states.values()), at)
    return PersonConsent(person, tuple(sorted(states)), state, region, conflicts)


def decide(pc: PersonConsent, purpose: str, channel: str, now: datetime,
           packs: Mapping[str, RegionPack]) -> Verdict:
    """The verdict for one person; `packs` are the loaded region packs by code."""
    decision = policy_check(pc.state, packs.get(pc.region.region), purpose, channel, now)
    reason = decision.reason
    if decision.rule.startswith("fail-closed/no-pack"):
        reason = f"no region pack {pc.region.region!r} is loaded ({pc.region.reason}); refusing"
    return Verdict(decision.allowed, reason, decision.rule, pc.person, pc.region.region)
