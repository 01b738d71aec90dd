"""``decide``: the next best actions for a person on a placement, explained and logged.

Eligibility (``eligibility.refusal``) → scoring (``scoring``: affinity, p(kept), expected kept
value) → arbitration (``arbiter``: the promoted bandit, else expected kept value). Every decision
is logged with its candidates, refusals, the context and action features the bandit saw, the
chosen actions, the first slot's propensity, the model version and the reasons.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from frontoffice.decisions.arbiter import Arbiter
from frontoffice.decisions.bandit import Features, bucket
from frontoffice.decisions.catalogue import Action
from frontoffice.decisions.eligibility import (
    MESSAGING_CHANNELS,
    Situation,
    off_channel,
    on_channel_refusal,
)
from frontoffice.decisions.ports import (
    Actions,
    Consent,
    CustomerFacts,
    Customers,
    DecisionLog,
    LoggedDecision,
    Person,
    Prices,
    SegmentMembership,
    Stock,
)
from frontoffice.decisions.scoring import Scorable, Scores, reasons, scores
from frontoffice.domain.events import iso
from frontoffice.domain.tenancy import new_id
from frontoffice.errors import NotFound

SINGLE_STORE_MODES = ("bopis", "curbside", "bodfs")
CATALOGUE_TTL_S = 1.0  # another process's change of the catalogue is seen within a second
Affinity = Callable[[str, str, Mapping[str, set[str]]], Mapping[str, float]]
"""(workspace, person, candidate products with their attributes) -> affinity 0..1"""


def no_affinity(ws: str, person_id: str, products: Mapping[str, set[str]]) -> Mapping[str, float]:
    return {}


@dataclass(frozen=True, slots=True)
class Offered:
    """What the actions of a catalogue version offered on one channel ask of a decision there:
    the situation's reads (their SKUs, consent purposes, segments, caps) and, for the other
    actions, their ``channel`` refusal, which no person changes."""

    on: list[int]  # indexes of the actions offered on the channel, in order
    off: dict[int, str]  # index of every other action -> why the channel refuses it
    skus: list[str]  # sorted
    purposes: list[str]  # sorted
    segments: list[str]  # sorted
    window_days: int  # the longest per-person cap window (1 without one)
    per_person: bool  # one of them has a per-person cap
    totals: list[str]  # the action ids with a total cap
    products: bool  # one of them names a product

    @classmethod
    def of(cls, actions: list[Action], channel: str) -> Offered:
        on = [i for i, a in enumerate(actions) if channel in a.channels]
        mine = [actions[i] for i in on]
        return cls(
            on, {i: off_channel(a, channel) for i, a in enumerate(actions)
                 if channel not in a.channels},
            sorted({sku for a in mine for sku in a.skus}), sorted({a.purpose for a in mine}),
            sorted({a.segment for a in mine if a.segment}),
            max((a.caps.window_days for a in mine if a.caps.per_person is not None), default=1),
            any(a.caps.per_person is not None for a in mine),
            [a.action_id for a in mine if a.caps.total is not None],
            any(a.product_id for a in mine))


@dataclass(frozen=True, slots=True)
class Active:
    """The active actions of a catalogue version, in action id order, with what every decision
    derives from them alone (worked out once per version, not per decision)."""

    actions: list[Action]
    versions: dict[str, int]  # action id -> version
    candidates: list[dict[str, Any]]  # as logged: action id and version
    named: list[dict[str, str]]  # each action's own features: id, kind, category
    tagged: list[dict[str, str]]  # its tags as features
    attributes: list[set[str]]  # its category and tags (the recommender's content)
    scorable: Scorable
    channels: frozenset[str]  # every channel an action is offered on
    by_channel: dict[str, Offered] = field(default_factory=dict)  # filled as channels are asked

    @classmethod
    def of(cls, found: list[tuple[int, Action]]) -> Active:
        actions = [a for _, a in found]
        return cls(actions, {a.action_id: v for v, a in found},
                   [{"action_id": a.action_id, "version": v} for v, a in found],
                   [{"id": a.action_id, "kind": a.kind, "category": a.category or "none"}
                    for a in actions],
                   [{f"tag_{t}": "1" for t in a.tags} for a in actions],
                   [{*a.tags, *([a.category] if a.category else [])} for a in actions],
                   Scorable.of(actions), frozenset(c for a in actions for c in a.channels))

    def offered(self, channel: str) -> Offered:
        """What deciding on ``channel`` needs of the actions; kept for the catalogue's own
        channels (a request may name any other)."""
        found = self.by_channel.get(channel)
        if found is None:  # two threads may both work it out: the same answer
            found = Offered.of(self.actions, channel)
            if channel in self.channels:
                self.by_channel[channel] = found
        return found


class Catalogue:
    """The active actions of each workspace, parsed once per change of the catalogue; whether
    it changed is asked at most every ``ttl_s`` seconds."""

    def __init__(self, ttl_s: float = CATALOGUE_TTL_S,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._lock, self._ttl, self._clock = threading.Lock(), ttl_s, clock
        self._parsed: dict[str, tuple[float, tuple[int, str], Active]] = {}

    def active(self, actions: Actions, ws: str) -> Active:
        """Every active action of the workspace's catalogue now."""
        with self._lock:
            found = self._parsed.get(ws)
        at = self._clock()
        if found is not None and at - found[0] < self._ttl:
            return found[2]
        stamp = actions.stamp(ws)
        if found is not None and found[1] == stamp:
            parsed = found[2]
        else:
            parsed = Active.of([(s.version, Action.model_validate(s.doc))
                                for s in actions.current(ws) if s.status == "active"])
        with self._lock:
            self._parsed[ws] = (at, stamp, parsed)
        return parsed

    def forget(self, ws: str) -> None:
        """This process changed the catalogue: read it again on the next decision."""
        with self._lock:
            self._parsed.pop(ws, None)


@dataclass(frozen=True, slots=True)
class DecidePorts:
    actions: Actions
    log: DecisionLog
    customers: Customers
    consent: Consent
    stock: Stock
    prices: Prices
    segments: SegmentMembership
    affinity: Affinity = no_affinity
    catalogue: Catalogue = field(default_factory=Catalogue)


@dataclass(frozen=True, slots=True)
class Ask:
    person_id: str
    channel: str
    placement: str
    n: int = 3
    mode: str | None = None
    near: str | None = None


def context(ask: Ask, facts: CustomerFacts, now: datetime) -> dict[str, str | float]:
    return {"channel": ask.channel, "placement": ask.placement, "daypart": str(now.hour // 6),
            "returns": "high" if facts.return_rate >= 0.4 else "mid" if facts.return_rate >= 0.15
            else "low", "orders": bucket(facts.order_count),
            "fulfilment": facts.preferred_fulfilment or "none"}


def features(active: Active, kept: list[int], scored: Scores) -> list[Features]:
    """What the bandit sees of each kept action (``kept``: its index in ``active``): its own
    features (``Active.named`` and ``tagged``) and this person's scores of it, p(kept) written
    once per group of actions it is the same for."""
    named, tagged = active.named, active.tagged
    written: dict[int, str] = {}
    out: list[Features] = []
    for i, liked, p, value, g in zip(kept, scored.affinity, scored.p_kept,
                                     scored.expected_kept_value, scored.groups, strict=True):
        kept_p = written.get(g)
        if kept_p is None:
            kept_p = written[g] = f"{p:.1f}"
        out.append({**named[i], "ekv": bucket(value), "kept": kept_p,
                    "affinity": round(liked, 4), **tagged[i]})
    return out


def situation(p: DecidePorts, ws: str, person: Person, ask: Ask, facts: CustomerFacts,
              offered: Offered, now: datetime, contacts_per_day: int) -> Situation:
    person_id = person.person_id
    mode = ask.mode or facts.preferred_fulfilment or "ship"
    near = ask.near or (facts.preferred_store if mode in SINGLE_STORE_MODES else None)
    ship_to = facts.ship_to_country if mode == "ship" else None
    # no rule reads what was shown but the contact policy and per-person caps
    needs_history = ask.channel in MESSAGING_CHANNELS or offered.per_person
    history = p.log.of_person(ws, person_id, iso(now - timedelta(days=offered.window_days))) \
        if needs_history else []
    day_ago = iso(now - timedelta(days=1))
    return Situation(
        person_id=person_id, channel=ask.channel, mode=mode, near=near, now=now,
        ship_to=ship_to,
        consent=p.consent.verdicts(ws, person, offered.purposes, ask.channel)
        if offered.on else {},
        segments={seg: p.segments.check(ws, person_id, seg) for seg in offered.segments},
        stock=p.stock.available(ws, offered.skus, ask.channel, mode, near, ship_to)
        if offered.skus else {},
        price_conflicts=p.prices.conflicts(ws) if offered.products else {},
        shown=[(datetime.fromisoformat(d.at), aid) for d in history for aid in d.chosen],
        shown_total=p.log.shown_total(ws, offered.totals) if offered.totals else {},
        contacts_today=sum(1 for d in history if d.at >= day_ago and d.chosen
                           and d.channel in MESSAGING_CHANNELS),
        contacts_per_day=contacts_per_day)


def decide(p: DecidePorts, arbiter: Arbiter, ws: str, ask: Ask, now: datetime,
           contacts_per_day: int, record: bool = True) -> dict[str, Any]:
    """``record=False``: a preview (the console's profile view) that logs nothing and so counts
    towards no cap; its decision id is ``preview``."""
    person = p.customers.find(ws, ask.person_id)
    if person is None:
        raise NotFound(f"No person {ask.person_id!r} in this workspace; look people up with "
                       "GET /api/v1/workspaces/{ws}/people.")
    person_id = person.person_id
    facts = p.customers.facts(ws, person)
    active = p.catalogue.active(p.actions, ws)
    offered, versions = active.actions, active.versions
    on_channel = active.offered(ask.channel)
    s = situation(p, ws, person, ask, facts, on_channel, now, contacts_per_day)
    refusals: list[dict[str, str]] = []
    kept: list[int] = []  # indexes of the eligible actions in ``offered``
    off = on_channel.off
    for i, action in enumerate(offered):
        if off and i in off:
            refusals.append({"action_id": action.action_id, "rule": "channel", "reason": off[i]})
        elif found := on_channel_refusal(action, s):
            refusals.append(found.as_dict())
        else:
            kept.append(i)
    eligible = [offered[i] for i in kept]
    products, attributes = active.scorable.products, active.attributes
    affinity = p.affinity(ws, person_id, {product: attributes[i] for i in kept
                                          if (product := products[i])})
    returns = arbiter.returns(ws)
    scored = scores(active.scorable, kept, facts, affinity, returns[1] if returns else None)
    shared = context(ask, facts, now)
    feats = features(active, kept, scored)
    decision_id = "dec_" + new_id() if record else "preview"
    ranked = arbiter.rank(ws, shared, feats, scored.expected_kept_value, decision_id)
    chosen = ranked.order[:ask.n]
    shown = [{
        "action_id": eligible[i].action_id, "version": versions[eligible[i].action_id],
        "kind": eligible[i].kind, "title": eligible[i].title, "rank": rank + 1,
        "probability": round(ranked.pmf[i], 6), **scored[i].as_dict(),
        "recommended_size": facts.kept_sizes.get(eligible[i].category or ""),
        "reasons": reasons(eligible[i], scored[i], facts),
    } for rank, i in enumerate(chosen)]
    doc = {
        "candidates": active.candidates,
        "refusals": refusals, "eligible": [a.action_id for a in eligible],
        "context": shared, "features": feats, "pmf": ranked.pmf, "propensity": ranked.propensity,
        "shown": shown, "mode": s.mode, "near": s.near,
        "return_model": f"returns:v{returns[0]}" if returns else "returns:prior",
    }
    if record:
        p.log.log(ws, LoggedDecision(decision_id, person_id, ask.channel, ask.placement, iso(now),
                                     ranked.model_version, [eligible[i].action_id for i in chosen],
                                     doc))
    return {"decision_id": decision_id, "person_id": person_id, "channel": ask.channel,
            "placement": ask.placement, "model_version": ranked.model_version,
            "return_model": f"returns:v{returns[0]}" if returns else "returns:prior",
            "propensity": ranked.propensity, "actions": shown,
            "refused": doc["refusals"], "candidates": len(offered)}
