"""Eligibility: the rules every candidate passes, in order; a refusal names its rule.

Pure: the service reads what the rules need (consent per purpose, segment membership, stock, open
price conflicts, what the person was shown) through the ports first, then asks each action.

1. ``channel``   the action is offered on this channel
2. ``validity``  now is inside its validity window
3. ``consent``   the person's consent allows its purpose on this channel
4. ``segment``   the person belongs to its segment (when it names one)
5. ``stock``     one of its SKUs is available to promise on this channel and fulfilment mode
                 (the person's store, or shipped to the country of their address)
6. ``price``     its product has no open cross-channel price conflict
7. ``cap``       its per-person and total caps are not reached
8. ``contact``   the contact policy: at most N decisions a day for this person on a messaging channel
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from frontoffice.decisions.catalogue import Action
from frontoffice.decisions.ports import Verdict

MESSAGING_CHANNELS = frozenset({"email", "sms", "push"})
RULES = ("channel", "validity", "consent", "segment", "stock", "price", "cap", "contact")


@dataclass(frozen=True, slots=True)
class Refusal:
    action_id: str
    rule: str
    reason: str

    def as_dict(self) -> dict[str, str]:
        return {"action_id": self.action_id, "rule": self.rule, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class Situation:
    """What the rules know about one request, read before any rule runs."""

    person_id: str
    channel: str
    mode: str
    near: str | None
    now: datetime
    ship_to: str | None  # the country ``ship`` delivers to (the person's address)
    consent: Mapping[str, Verdict]  # purpose -> verdict
    segments: Mapping[str, Verdict]  # segment id -> verdict
    stock: Mapping[str, int]  # sku -> available to promise
    price_conflicts: Mapping[str, str]  # product id -> reason
    shown: Sequence[tuple[datetime, str]]  # (when, action id) this person was shown
    shown_total: Mapping[str, int]
    contacts_today: int
    contacts_per_day: int


def refusal(action: Action, s: Situation) -> Refusal | None:
    """The first rule the action fails for this situation, or None when it is eligible."""
    if s.channel not in action.channels:
        return Refusal(action.action_id, "channel", off_channel(action, s.channel))
    return on_channel_refusal(action, s)


def off_channel(action: Action, channel: str) -> str:
    """Why an action not offered on ``channel`` is refused there (the ``channel`` rule)."""
    return f"offered on {', '.join(action.channels)}, not on {channel}"


def on_channel_refusal(action: Action, s: Situation) -> Refusal | None:
    """``refusal`` of an action offered on the situation's channel: the rules after ``channel``,
    each read only when the action has what it checks."""
    if action.valid_from and s.now < action.valid_from:
        return Refusal(action.action_id, "validity", f"valid from {action.valid_from.isoformat()}")
    if action.valid_to and s.now > action.valid_to:
        return Refusal(action.action_id, "validity", f"expired at {action.valid_to.isoformat()}")
    consent = s.consent[action.purpose]
    if not consent.allowed:
        return Refusal(action.action_id, "consent",
                       f"{action.purpose} on {s.channel}: {consent.reason}")
    if action.segment:
        member = s.segments[action.segment]
        if not member.allowed:
            return Refusal(action.action_id, "segment",
                           f"not in segment {action.segment}: {member.reason}")
    if action.skus and not _stocked(action.skus, s.stock):
        where = f" near {s.near}" if s.near else f" to {s.ship_to}" if s.ship_to else ""
        return Refusal(action.action_id, "stock",
                       f"none of {', '.join(action.skus)} available to promise on "
                       f"{s.channel} by {s.mode}{where}")
    if action.product_id and action.product_id in s.price_conflicts:
        return Refusal(action.action_id, "price",
                       f"open price conflict: {s.price_conflicts[action.product_id]}")
    caps = action.caps
    if caps.total is not None or caps.per_person is not None:
        cap = _cap(action, s)
        if cap:
            return Refusal(action.action_id, "cap", cap)
    if s.channel in MESSAGING_CHANNELS and s.contacts_today >= s.contacts_per_day:
        return Refusal(action.action_id, "contact",
                       f"already contacted {s.contacts_today} times on messaging channels in "
                       f"24 h (policy: {s.contacts_per_day})")
    return None


def _stocked(skus: Sequence[str], stock: Mapping[str, int]) -> bool:
    """One of ``skus`` is available to promise (a loop: ``any`` of a generator costs more, once
    per candidate of every decision)."""
    for sku in skus:  # noqa: SIM110
        if stock.get(sku, 0) > 0:
            return True
    return False


def _cap(action: Action, s: Situation) -> str | None:
    caps = action.caps
    if caps.total is not None and s.shown_total.get(action.action_id, 0) >= caps.total:
        return f"shown {caps.total} times in all (cap {caps.total})"
    if caps.per_person is not None:
        since = s.now - timedelta(days=caps.window_days)
        seen = sum(1 for at, aid in s.shown if aid == action.action_id and at >= since)
        if seen >= caps.per_person:
            return (f"shown to this person {seen} times in {caps.window_days} days "
                    f"(cap {caps.per_person})")
    return None
