"""The one policy check every outbound path calls, and event reduction at collection.

`check` fails closed: no state, no pack, an unknown purpose, a channel the purpose does not
cover, or a record dated after `now` → denied, with the reason and the rule that decided.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from frontoffice.consent.decision import ESSENTIAL, CompiledRule, Decision
from frontoffice.consent.ledger import ConsentState
from frontoffice.consent.packs import ALL, ReduceRule, RegionPack

NO_STATE = Decision(False, "no consent state for this person; refusing", "fail-closed/no-state")
NO_PACK = Decision(False, "no region pack for this person; refusing", "fail-closed/no-pack")


def check(state: ConsentState | None, pack: RegionPack | None, purpose: str, channel: str,
          now: datetime) -> Decision:
    """May `purpose` be used on `channel` for this person, at `now`? Explains itself."""
    if state is None:
        return NO_STATE
    if pack is None:
        return NO_PACK
    compiled = pack.compiled.get(purpose)
    if compiled is None:
        return Decision(False, f"unknown purpose {purpose!r}; refusing", "fail-closed/unknown-purpose")
    if channel not in compiled.channels and not compiled.any_channel:
        return Decision(False, f"purpose {purpose} does not cover channel {channel!r}", "fail-closed/channel")
    return _decide(state, compiled, purpose, now)


def _decide(state: ConsentState, compiled: CompiledRule, purpose: str, now: datetime) -> Decision:
    if purpose == ESSENTIAL:
        return compiled.allow_no_consent_needed
    record = state.current.get(purpose)
    if record is not None and record.at > now:
        return compiled.deny_future
    mode = compiled.rule.mode
    if record is None:
        if mode == "opt_in":
            return compiled.deny_no_grant
        return compiled.allow_no_consent_needed if mode == "none" else compiled.allow_not_opted_out
    if record.status == "granted":
        if mode == "opt_in" and compiled.rule.explicit and not record.explicit:
            return compiled.deny_not_explicit
        return compiled.allow_granted if mode == "opt_in" else (
            compiled.allow_no_consent_needed if mode == "none" else compiled.allow_not_opted_out)
    if record.method.startswith("dsr_"):
        return _dsr_denial(compiled, purpose, record.method, record.source)
    if record.method == "gpc" and compiled.gpc_applies:
        return compiled.deny_gpc
    if mode == "opt_in":
        return compiled.deny_withdrawn if record.status == "withdrawn" else compiled.deny_denied
    return compiled.deny_objected if mode == "none" else compiled.deny_opted_out


def _dsr_denial(compiled: CompiledRule, purpose: str, method: str, source: str) -> Decision:
    """A refusal recorded by a data-subject request (restriction, objection) names the request;
    built per call, as such records are rare and their reason carries the request id."""
    kind, request = method.removeprefix("dsr_"), source.removeprefix("dsr:")
    return Decision(False, f"{purpose} refused: {kind} by data-subject request {request}",
                    compiled.deny_denied.rule + "/dsr")


@dataclass(frozen=True, slots=True)
class Reduction:
    dropped: tuple[str, ...]  # dotted paths removed, or ("<event>",) when the whole event was dropped
    reason: str


def _pop_path(root: dict[str, Any], dotted: str) -> bool:
    parts = dotted.split(".")
    node: Any = root
    for part in parts[:-1]:
        node = node.get(part) if isinstance(node, dict) else None
        if node is None:
            return False
    if isinstance(node, dict) and parts[-1] in node:
        del node[parts[-1]]
        return True
    return False


def _apply(event: dict[str, Any], rule: ReduceRule, dropped: list[str]) -> bool:
    """Reduce in place; False when the whole event must go."""
    kind = event.get("type")
    essential = kind in ("identify", "alias", "group") or (
        kind == "track" and event.get("event") in rule.essential_events)
    if rule.drop_non_essential_events and not essential:
        return False
    context = event.get("context")
    if isinstance(context, dict):
        dropped += [f"context.{p}" for p in rule.drop_context if _pop_path(context, p)]
    dropped += [p for p in rule.drop_top if _pop_path(event, p)]
    props = event.get("properties")
    if isinstance(props, dict) and ALL not in rule.keep_properties:
        for key in [k for k in props if k not in rule.keep_properties]:
            del props[key]
            dropped.append(f"properties.{key}")
    return True


def reduce_event(event: Mapping[str, Any], state: ConsentState | None, pack: RegionPack | None,
                 now: datetime) -> tuple[dict[str, Any] | None, Reduction]:
    """The event reduced to what the pack allows for the purposes this person has not consented to.
    Returns (None, …) when the pack drops the event entirely. The input is never modified."""
    if pack is None or state is None:
        return None, Reduction(("<event>",), "no region pack or consent state; event dropped (fail closed)")
    out = copy.deepcopy(dict(event))
    dropped: list[str] = []
    reasons: list[str] = []
    for purpose, rule in pack.reduce.items():
        decision = _decide(state, pack.compiled[purpose], purpose, now)  # collection: no outbound channel
        if decision.allowed:
            continue
        reasons.append(decision.reason)
        if not _apply(out, rule, dropped):
            why = f"{decision.reason}; non-essential event dropped ({pack.region})"
            return None, Reduction(("<event>",), why)
    if not reasons:
        return out, Reduction((), "all purposes allowed; event unchanged")
    return out, Reduction(tuple(dropped), "; ".join(reasons))
