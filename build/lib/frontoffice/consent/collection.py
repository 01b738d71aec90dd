"""Collection honours consent: a batch of Segment events reduced to what each subject's pack allows.

`reduce_for_consent` reduces a batch with the pack's defaults: a subject with no consent on record
gets an opt-in purpose not granted, an opt-out one granted.

The collector (collector/consent_gate.py) uses the per-purpose pieces: `reduce_by_purpose` names
the purpose and rule of every removal (recorded in the stored event by `mark_reduced`) and, with
`refusals_only`, reduces only for a refusal on record, never for a grant that is merely missing
(the collector cannot know a first-time visitor's choice; outbound uses are checked by the policy);
`in_band` applies the consent an event carries about itself.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from frontoffice.consent.capture import Proof, from_gpc, from_gpp, from_segment_context, from_tcf
from frontoffice.consent.decision import Decision
from frontoffice.consent.errors import ConsentStringError
from frontoffice.consent.ledger import ConsentChange, ConsentState, apply, effective
from frontoffice.consent.packs import RegionPack
from frontoffice.consent.policy import Reduction, check, reduce_event
from frontoffice.consent.policy import _apply as apply_rule  # the rule reduce_event applies, in place


@dataclass(frozen=True, slots=True)
class Reduced:
    index: int
    subject: str | None
    reduction: Reduction


def event_subject(event: Mapping[str, Any]) -> str | None:
    """The subject key of a raw Segment event: its userId, else its anonymousId."""
    for field, kind in (("userId", "user_id"), ("anonymousId", "anonymous_id")):
        value = event.get(field)
        if isinstance(value, str | int) and not isinstance(value, bool) and str(value).strip():
            return f"{kind}:{str(value).strip()}"
    return None


def reduce_for_consent(events: Sequence[Mapping[str, Any]], states: Mapping[str, ConsentState],
                       pack: RegionPack | Callable[[str | None], RegionPack],
                       now: datetime) -> tuple[list[dict[str, Any]], list[Reduced]]:
    """(events to store, what was removed from which and why). `pack` is one pack for the batch
    or a function of the subject key. Inputs are never modified."""
    kept: list[dict[str, Any]] = []
    reduced: list[Reduced] = []
    for index, event in enumerate(events):
        subject = event_subject(event)
        rules = pack(subject) if callable(pack) else pack
        state = states.get(subject) if subject else None
        out, why = reduce_event(event, state or ConsentState(subject or "unknown"), rules, now)
        if why.dropped:
            reduced.append(Reduced(index, subject, why))
        if out is not None:
            kept.append(out)
    return kept, reduced


# -- per purpose, for the collector ------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class PurposeReduction:
    """One refused purpose's share of a reduction: the rule that refused it and what it removed."""

    purpose: str
    rule: str
    reason: str
    fields: tuple[str, ...]  # dotted paths removed, or ("<event>",) when the event was dropped

    def as_dict(self) -> dict[str, Any]:
        return {"purpose": self.purpose, "rule": self.rule, "reason": self.reason,
                "fields": list(self.fields)}


def collection_decision(state: ConsentState, pack: RegionPack, purpose: str, now: datetime) -> Decision:
    """The policy answer for keeping `purpose`'s data at collection. Collection has no outbound
    channel, so the check is asked for one the purpose covers: the answer then depends only on
    the consent on record and the pack."""
    compiled = pack.compiled[purpose]
    channel = "*" if compiled.any_channel or not compiled.channels else min(compiled.channels)
    return check(state, pack, purpose, channel, now)


def reduce_by_purpose(
        event: Mapping[str, Any], state: ConsentState, pack: RegionPack, now: datetime, *,
        refusals_only: bool = False, owned: bool = False,
) -> tuple[dict[str, Any] | None, tuple[PurposeReduction, ...]]:
    """The event reduced purpose by purpose (the rules `reduce_event` applies), each removal naming
    its purpose and rule. Returns (None, …) when a refused purpose's rule drops the whole event.
    `refusals_only`: reduce only for a refusal on record (denied, withdrawn, GPC), not for a grant
    that is merely missing: the collector's rule, which cannot know a first-time visitor's choice.
    `owned`: the caller hands the event over (e.g. just parsed) and it is reduced in place;
    otherwise it is copied first, once, and the input is never modified."""
    out: dict[str, Any] = dict(event) if owned else copy.deepcopy(dict(event))
    done: list[PurposeReduction] = []
    for purpose, rule in pack.reduce.items():
        record = state.current.get(purpose)
        if refusals_only and (record is None or record.status == "granted"):
            continue
        decision = collection_decision(state, pack, purpose, now)
        if decision.allowed:
            continue
        dropped: list[str] = []
        if not apply_rule(out, rule, dropped):
            done.append(PurposeReduction(purpose, decision.rule,
                                         f"{decision.reason}; non-essential event dropped ({pack.region})",
                                         ("<event>",)))
            return None, tuple(done)
        if dropped:
            done.append(PurposeReduction(purpose, decision.rule, decision.reason, tuple(dropped)))
    return out, tuple(done)


def mark_reduced(event: dict[str, Any], reductions: Sequence[PurposeReduction]) -> None:
    """Record in the stored event what was removed and why: `context.frontoffice.reduced`."""
    context = event.get("context")
    context = event["context"] = dict(context) if isinstance(context, dict) else {}
    ours = context.get("frontoffice")
    context["frontoffice"] = {**(ours if isinstance(ours, dict) else {}),
                              "reduced": [r.as_dict() for r in reductions]}


def carries_signal(context: object) -> bool:
    """Does an event's context carry consent of its own (`context.consent`, or GPC)?"""
    return isinstance(context, dict) and (bool(context.get("consent")) or context.get("gpc") is True)


def in_band(state: ConsentState, context: Mapping[str, Any], pack: RegionPack,
            proof: Proof) -> tuple[ConsentState, list[ConsentChange]]:
    """The state once the event's own consent signals are applied (the adapters the projector uses),
    and the changes that mean the same whatever the person's region: `categoryPreferences` and TC
    strings. GPP and GPC are read through the pack, and the region known at receive time may be
    less than the projector will know, so those apply to this event only. A TC/GPP string that
    does not decode changes nothing here; the projector reports it."""
    portable = list(from_segment_context(context, proof)[0])
    regional: list[ConsentChange] = []
    consent = context.get("consent")
    for key in ("tcString", "gppString"):
        value = consent.get(key) if isinstance(consent, Mapping) else None
        if isinstance(value, str) and value:
            try:
                if key == "tcString":
                    portable += from_tcf(value, proof)
                else:
                    regional += from_gpp(value, pack, proof, state)
            except ConsentStringError:
                continue
    if context.get("gpc") is True:
        regional += from_gpc("1", pack, proof, state)[0]
    changes: list[ConsentChange] = []
    for change in [*portable, *regional]:
        for kept in effective(state, [change]):
            state = apply(state, kept)
            if change in portable:
                changes.append(kept)
    return state, changes
