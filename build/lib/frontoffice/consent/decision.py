"""The answer of the policy check, and the per-pack, per-purpose answers precomputed from data.

Every answer the check can give for a (pack, purpose) is built once when a pack is loaded, so
the hot path only compares and returns a prebuilt `Decision`.
"""

from __future__ import annotations

from dataclasses import dataclass

MODES = ("none", "opt_out", "opt_in")
ESSENTIAL = "essential"


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    reason: str
    rule: str


@dataclass(frozen=True, slots=True)
class PurposeRule:
    purpose: str
    mode: str  # one of MODES
    explicit: bool  # separate explicit consent required
    basis: str
    note: str

    @property
    def strictness(self) -> tuple[int, int]:
        """Comparable strictness: (none=0 < opt_out=1 < opt_in=2, explicit 0/1)."""
        return MODES.index(self.mode), int(self.explicit)


@dataclass(frozen=True, slots=True)
class CompiledRule:
    rule: PurposeRule
    channels: frozenset[str]  # outbound channels the purpose covers
    any_channel: bool
    gpc_applies: bool  # GPC is binding in this region and covers this purpose
    allow_no_consent_needed: Decision
    deny_objected: Decision
    allow_granted: Decision
    deny_no_grant: Decision
    deny_denied: Decision
    deny_withdrawn: Decision
    deny_not_explicit: Decision
    allow_not_opted_out: Decision
    deny_opted_out: Decision
    deny_gpc: Decision
    deny_future: Decision


def compile_rule(region: str, rule: PurposeRule, gpc_binding: bool, gpc_purposes: frozenset[str],
                 channels: frozenset[str]) -> CompiledRule:
    p, rid = rule.purpose, f"{region}/{rule.purpose}/{rule.mode}{'+explicit' if rule.explicit else ''}"
    needs = "separate explicit consent" if rule.explicit else "opt-in"

    def d(allowed: bool, reason: str, suffix: str = "") -> Decision:
        return Decision(allowed, reason, rid + suffix)

    return CompiledRule(
        rule=rule,
        channels=channels,
        any_channel="*" in channels,
        gpc_applies=gpc_binding and p in gpc_purposes,
        allow_no_consent_needed=d(True, f"{region} needs no consent for {p} (legal basis: {rule.basis})"),
        deny_objected=d(False, f"{region} allows {p} on {rule.basis}, but the person objected; "
                                "objection honoured"),
        allow_granted=d(True, f"{region} requires {needs} for {p}; grant on record"),
        deny_no_grant=d(False, f"{region} requires {needs} for {p}; no grant on record"),
        deny_denied=d(False, f"{region} requires {needs} for {p}; the person denied it"),
        deny_withdrawn=d(False, f"{region} requires {needs} for {p}; the person withdrew it"),
        deny_not_explicit=d(False, f"{region} requires separate explicit consent for {p}; "
                                   "the grant on record was not explicit"),
        allow_not_opted_out=d(True, f"{region} treats {p} as opt-out; the person has not opted out"),
        deny_opted_out=d(False, f"{region} treats {p} as opt-out; the person opted out"),
        deny_gpc=d(False, f"GPC signal is binding in {region}; {p} denied", "/gpc"),
        deny_future=d(False, f"the latest consent record for {p} is dated after the check time; "
                             "refusing until the ledger is consistent"),
    )
