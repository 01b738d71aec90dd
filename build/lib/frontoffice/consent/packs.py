"""Region rule packs, declared as data in `data/regions/*.yaml`, and the strictest-pack fallback.

"Strictest" is computed, not chosen: the fallback pack takes, for every purpose, the strictest
rule any pack declares (none < opt-out < opt-in, then explicit), GPC binding if any pack makes it
binding, the shortest DSR deadline (business days counted as 7/5 calendar days), the shortest
inactivity retention, the longest proof retention, the tightest residency (any < safeguards <
local) and, for event reduction, the union of everything any pack drops.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from frontoffice.consent.decision import MODES, CompiledRule, PurposeRule, compile_rule
from frontoffice.consent.errors import ConsentDataError
from frontoffice.consent.purposes import load_catalogue, read_data

REGIONS = ("EU", "US-CA", "BR", "JP", "KR", "CN", "RU")
STRICTEST = "STRICTEST"
RESIDENCY_MODES = ("any", "safeguards", "local")
ALL = "*"


@dataclass(frozen=True, slots=True)
class Dsr:
    deadline_days: int
    business_days: bool
    extension_days: int
    statutory: bool
    note: str

    @property
    def calendar_days(self) -> int:
        """Deadline as calendar days (business days × 7/5, rounded down) for comparisons."""
        return self.deadline_days * 7 // 5 if self.business_days else self.deadline_days


@dataclass(frozen=True, slots=True)
class Retention:
    max_inactive_days: int
    consent_proof_days: int
    note: str


@dataclass(frozen=True, slots=True)
class Residency:
    mode: str  # one of RESIDENCY_MODES
    storage: str | None  # workspace storage that must hold the data when mode == "local"
    note: str


@dataclass(frozen=True, slots=True)
class ReduceRule:
    """What an event keeps when the purpose is denied. Paths are dotted, under `context`."""

    drop_context: tuple[str, ...]
    drop_top: tuple[str, ...] = ()
    keep_properties: frozenset[str] = frozenset({ALL})
    drop_non_essential_events: bool = False
    essential_events: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class RegionPack:
    region: str
    name: str
    law: str
    countries: frozenset[str]
    subdivisions: frozenset[str]
    gpc_binding: bool
    gpc_purposes: frozenset[str]
    dsr: Dsr
    retention: Retention
    residency: Residency
    rules: Mapping[str, PurposeRule]
    reduce: Mapping[str, ReduceRule]
    compiled: Mapping[str, CompiledRule] = field(default_factory=dict, repr=False)


def _req(spec: Mapping[str, Any], key: str, where: str) -> Any:
    if key not in spec:
        raise ConsentDataError(f"{where} is missing '{key}', and has no default.")
    return spec[key]


def _reduce_rule(spec: Mapping[str, Any]) -> ReduceRule:
    mode = spec.get("non_essential_events", "keep")
    if mode not in ("keep", "drop"):
        raise ConsentDataError(f"reduce.non_essential_events must be keep or drop, not {mode!r}.")
    return ReduceRule(
        drop_context=tuple(str(p) for p in spec.get("drop_context", [])),
        drop_top=tuple(str(p) for p in spec.get("drop_top", [])),
        keep_properties=frozenset(str(p) for p in spec.get("keep_properties", [ALL])),
        drop_non_essential_events=mode == "drop",
        essential_events=frozenset(str(e) for e in spec.get("essential_events", [])),
    )


def build_pack(region: str, name: str, law: str, countries: Iterable[str], subdivisions: Iterable[str],
               gpc_binding: bool, gpc_purposes: Iterable[str], dsr: Dsr, retention: Retention,
               residency: Residency, rules: Mapping[str, PurposeRule],
               reduce: Mapping[str, ReduceRule]) -> RegionPack:
    """Validate a pack against the purpose catalogue and precompute its decisions."""
    catalogue = load_catalogue().purposes
    gpc = frozenset(gpc_purposes)
    missing = set(catalogue) - set(rules)
    extra = (set(rules) | set(reduce) | gpc) - set(catalogue)
    if missing or extra:
        raise ConsentDataError(f"Pack {region}: purposes missing {sorted(missing)}, unknown {sorted(extra)}.")
    if residency.mode not in RESIDENCY_MODES:
        raise ConsentDataError(f"Pack {region}: residency mode must be one of {RESIDENCY_MODES}.")
    compiled = {p: compile_rule(region, r, gpc_binding, gpc, catalogue[p].channels) for p, r in rules.items()}
    return RegionPack(region, name, law, frozenset(countries), frozenset(subdivisions), gpc_binding, gpc,
                      dsr, retention, residency, dict(rules), dict(reduce), compiled)


def parse_pack(raw: Any) -> RegionPack:
    if not isinstance(raw, dict):
        raise ConsentDataError("A region pack must be a mapping.")
    region = str(_req(raw, "region", "region pack"))
    where = f"Pack {region}"
    rules: dict[str, PurposeRule] = {}
    for pid, spec in _req(raw, "purposes", where).items():
        mode = _req(spec, "mode", f"{where} purpose {pid}")
        if mode not in MODES:
            raise ConsentDataError(f"{where} purpose {pid}: mode must be one of {MODES}, not {mode!r}.")
        basis = str(_req(spec, "basis", f"{where} purpose {pid}"))
        rules[str(pid)] = PurposeRule(str(pid), mode, bool(spec.get("explicit", False)), basis,
                                      str(spec.get("note", "")))
    dsr, ret, res = (_req(raw, k, where) for k in ("dsr", "retention", "residency"))
    return build_pack(
        region, str(_req(raw, "name", where)), str(_req(raw, "law", where)),
        (str(c) for c in raw.get("countries", [])), (str(s) for s in raw.get("subdivisions", [])),
        bool(_req(raw, "gpc_binding", where)), (str(p) for p in raw.get("gpc_purposes", [])),
        Dsr(int(_req(dsr, "deadline_days", where)), bool(dsr.get("business_days", False)),
            int(dsr.get("extension_days", 0)), bool(dsr.get("statutory", True)), str(dsr.get("note", ""))),
        Retention(int(_req(ret, "max_inactive_days", where)), int(_req(ret, "consent_proof_days", where)),
                  str(ret.get("note", ""))),
        Residency(str(_req(res, "mode", where)), res.get("storage"), str(res.get("note", ""))),
        rules,
        {str(p): _reduce_rule(spec) for p, spec in raw.get("reduce", {}).items()},
    )


def _strictest_reduce(packs: Iterable[RegionPack], purpose: str) -> ReduceRule | None:
    rules = [p.reduce[purpose] for p in packs if purpose in p.reduce]
    if not rules:
        return None
    keeps = [r.keep_properties for r in rules if ALL not in r.keep_properties]
    dropping = [r.essential_events for r in rules if r.drop_non_essential_events]
    return ReduceRule(
        drop_context=tuple(sorted({c for r in rules for c in r.drop_context})),
        drop_top=tuple(sorted({c for r in rules for c in r.drop_top})),
        keep_properties=frozenset.intersection(*keeps) if keeps else frozenset({ALL}),
        drop_non_essential_events=bool(dropping),
        essential_events=frozenset.intersection(*dropping) if dropping else frozenset(),
    )


def strictest_of(packs: Mapping[str, RegionPack]) -> RegionPack:
    """The least pack at least as strict as every given pack on every dimension (see module doc)."""
    ps = list(packs.values())
    rules = {}
    for pid in load_catalogue().purposes:
        top = max((p.rules[pid] for p in ps), key=lambda r: r.strictness)
        rules[pid] = PurposeRule(pid, top.mode, top.explicit, top.basis,
                                 "strictest of " + ", ".join(p.region for p in ps if p.rules[pid].strictness
                                                             == top.strictness))
    dsr = min((p.dsr for p in ps), key=lambda d: d.calendar_days)
    reduce = {pid: r for pid in load_catalogue().purposes if (r := _strictest_reduce(ps, pid)) is not None}
    return build_pack(
        STRICTEST, "Strictest of all packs (region unknown)", "; ".join(p.law for p in ps), (), (),
        any(p.gpc_binding for p in ps), frozenset().union(*(p.gpc_purposes for p in ps)),
        Dsr(dsr.calendar_days, False, 0, True,
            "shortest deadline, from " + "/".join(p.region for p in ps if p.dsr == dsr)),
        Retention(min(p.retention.max_inactive_days for p in ps),
                  max(p.retention.consent_proof_days for p in ps),
                  "shortest inactivity retention, longest proof retention"),
        Residency(max((p.residency.mode for p in ps), key=RESIDENCY_MODES.index), None,
                  "region unknown: keep in the workspace default storage, transfer nothing until resolved"),
        rules, reduce,
    )


@cache
def load_packs() -> Mapping[str, RegionPack]:
    """Every packaged region pack plus the computed STRICTEST fallback, by region code."""
    packs = {r: parse_pack(read_data(f"regions/{r}.yaml")) for r in REGIONS}
    for code, pack in packs.items():
        if pack.region != code:
            raise ConsentDataError(f"regions/{code}.yaml declares region {pack.region!r}.")
    packs[STRICTEST] = strictest_of(packs)
    return packs


def pack_for(region: str | None) -> RegionPack:
    """The pack for a region code; an unknown or missing region gets the STRICTEST pack."""
    packs = load_packs()
    return packs.get(region or STRICTEST) or packs[STRICTEST]
