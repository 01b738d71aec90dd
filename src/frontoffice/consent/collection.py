"""Collection honours consent: a batch of Segment events reduced to what each subject's pack allows.

`reduce_for_consent` is what a collector calls before storing. A subject with no consent on
record gets the pack's defaults (an opt-in purpose is not granted, an opt-out one is), not a
refusal of everything: the event is the first the platform sees of most visitors.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from frontoffice.consent.ledger import ConsentState
from frontoffice.consent.packs import RegionPack
from frontoffice.consent.policy import Reduction, reduce_event


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
