"""decide works out once per catalogue version what no person changes (channel refusals, each
action's worth and p(kept) group, the situation's reads) and scores by column: what it logs must
stay what the rules say action by action. A varied catalogue, people, channels and fulfilment
modes, and a promoted return-risk model halfway; each decision is checked against ``refusal``,
``p_kept`` and the features' definition applied to every action on its own."""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from frontoffice.decisions import return_risk, service
from frontoffice.decisions.arbiter import Arbiter
from frontoffice.decisions.bandit import bucket
from frontoffice.decisions.catalogue import Action
from frontoffice.decisions.decide import SINGLE_STORE_MODES, Active, Ask, DecidePorts, decide
from frontoffice.decisions.eligibility import MESSAGING_CHANNELS, RULES, Situation, refusal
from frontoffice.decisions.ports import CustomerFacts, Person
from frontoffice.decisions.return_risk import ReturnModel
from frontoffice.decisions.scoring import p_kept
from frontoffice.domain.events import iso
from tests.fakes.decisions import (
    FakeConsent,
    FakeCustomers,
    FakeDecisionsStore,
    FakePrices,
    FakeSegments,
    FakeStock,
)
from tests.unit.decisions.world import NOW, WS, action

CHANNELS = ("web", "email", "app", "sms")
CATEGORIES = ("dresses", "shoes", "coats", None)


def catalogue(rng: random.Random) -> list[Action]:
    out = []
    for i in range(60):
        kind = rng.choice(("product", "offer", "content", "service", "loyalty"))
        doc: dict[str, Any] = {
            "action_id": f"a{i:02d}", "kind": kind, "title": f"Action {i}",
            "channels": rng.sample(CHANNELS, rng.randint(1, 3)),
            "purpose": rng.choice(("personalisation", "personalisation", "marketing")),
            "value": round(rng.uniform(0, 120), 2), "margin": round(rng.uniform(0.1, 1), 2),
            "cost": rng.choice((0.0, 0.0, 2.5)),
            "tags": rng.sample(["new", "sale", "eco", "gift wrap"], rng.randint(0, 2))}
        if (category := rng.choice(CATEGORIES)) is not None:
            doc["category"] = category
        if kind in ("product", "offer") or rng.random() < 0.2:
            product = rng.randrange(12)  # several actions promote one product
            doc["product_id"] = f"P{product}"
            doc["skus"] = [f"P{product}-M", *([f"P{product}-L"] if rng.random() < 0.3 else [])]
        if rng.random() < 0.1:
            doc["segment"] = "vip"
        if (r := rng.random()) < 0.1:
            doc["valid_from"] = (NOW + timedelta(days=3)).isoformat()
        elif r < 0.2:
            doc["valid_to"] = (NOW + timedelta(days=1)).isoformat()
        if (r := rng.random()) < 0.15:
            doc["caps"] = {"per_person": rng.randint(1, 2), "window_days": rng.randint(1, 3)}
        elif r < 0.25:
            doc["caps"] = {"total": rng.randint(2, 8)}
        out.append(Action.model_validate(doc))
    return out


def expected_situation(store: FakeDecisionsStore, consent: FakeConsent, stock: FakeStock,
                       prices: FakePrices, segments: FakeSegments, actions: list[Action],
                       person: Person, facts: CustomerFacts, ask: Ask, at: datetime
                       ) -> Situation:
    """What the rules know, read from the fakes as the rules' docstring says (all of the
    person's history: every cap counts only its own window)."""
    mode = ask.mode or facts.preferred_fulfilment or "ship"
    near = ask.near or (facts.preferred_store if mode in SINGLE_STORE_MODES else None)
    ship_to = facts.ship_to_country if mode == "ship" else None
    history = store.of_person(WS, person.person_id, "")
    day_ago = iso(at - timedelta(days=1))
    return Situation(
        person_id=person.person_id, channel=ask.channel, mode=mode, near=near, now=at,
        ship_to=ship_to,
        consent=consent.verdicts(WS, person, {a.purpose for a in actions}, ask.channel),
        segments={"vip": segments.check(WS, person.person_id, "vip")},
        stock=stock.available(WS, sorted({s for a in actions for s in a.skus}), ask.channel,
                              mode, near, ship_to),
        price_conflicts=prices.conflicts(WS),
        shown=[(datetime.fromisoformat(d.at), aid) for d in history for aid in d.chosen],
        shown_total=store.shown_total(WS, [a.action_id for a in actions]),
        contacts_today=sum(1 for d in history if d.at >= day_ago and d.chosen
                           and d.channel in MESSAGING_CHANNELS),
        contacts_per_day=2)


def plain_features(action: Action, liked: float, p: float, value: float) -> dict[str, Any]:
    return {"id": action.action_id, "kind": action.kind, "category": action.category or "none",
            "ekv": bucket(value), "kept": f"{p:.1f}", "affinity": round(liked, 4),
            **{f"tag_{t}": "1" for t in action.tags}}


def returns_model() -> ReturnModel:
    rng = random.Random(3)
    return return_risk.fit([return_risk.Line(f"x{i % 20}", f"P{rng.randrange(12)}", "s", "dresses",
                                             "M", rng.random() < 0.3, f"2026-02-{1 + i % 27:02d}")
                            for i in range(200)])


def test_every_decision_logs_what_the_rules_say_of_each_action_on_its_own() -> None:
    rng = random.Random(7)
    actions = catalogue(rng)
    store = FakeDecisionsStore()
    for a in actions:
        service.save_action(store, WS, a, NOW)
    people = {f"p{n}": CustomerFacts(
        preferred_store="ST" if n % 3 == 0 else None,
        preferred_fulfilment=("ship", "bopis", None)[n % 3], units_bought=n * 2,
        return_rate=(0.05, 0.2, 0.5)[n % 3], order_count=n,
        kept_sizes={"dresses": "M"} if n % 2 else {}, ship_to_country=("DE", None)[n % 2])
        for n in range(6)}
    customers, consent, stock = FakeCustomers(people), FakeConsent(), FakeStock()
    prices, segments = FakePrices({"P3": "P3 costs 40 on web, 50 on app"}), FakeSegments()
    consent.refused |= {("p1", "marketing", "web"), ("p2", "personalisation", "email")}
    segments.members.add(("p0", "vip"))
    for product in range(12):
        for size in ("M", "L"):
            for mode in ("ship", "bopis", "curbside"):
                stock.units[(f"P{product}-{size}", mode)] = rng.choice((0, 1, 3))
            stock.shipped_to[(f"P{product}-{size}", "DE")] = rng.choice((0, 2))
    liking = {f"P{n}": round(rng.random(), 6) for n in range(12) if n % 4}

    def affinity(ws: str, person_id: str, products: Mapping[str, set[str]]) -> dict[str, float]:
        return {p: liking[p] for p in products if p in liking}

    ports = DecidePorts(store, store, customers, consent, stock, prices, segments, affinity)
    arbiter = Arbiter(lambda ws: store)
    seen_rules: set[str] = set()
    model: ReturnModel | None = None
    for k in range(160):
        if k == 80:
            model = returns_model()
            version = store.save_model(WS, "returns", model.to_json(), {}, iso(NOW))
            store.set_model_status(WS, "returns", version, "promoted")
            arbiter.forget(WS)  # as promoting through the service does
        at = NOW + timedelta(hours=5 * k)
        ask = Ask(rng.choice(sorted(people)), rng.choice(CHANNELS), "home", rng.randint(1, 5),
                  rng.choice((None, None, "ship", "bopis")), rng.choice((None, "ST")))
        person = customers.find(WS, ask.person_id)
        assert person is not None
        facts = people[person.person_id]
        s = expected_situation(store, consent, stock, prices, segments, actions, person, facts,
                               ask, at)
        decision = decide(ports, arbiter, WS, ask, at, 2)
        logged = store.decision(WS, decision["decision_id"])
        assert logged is not None
        found = [(a, refusal(a, s)) for a in actions]
        refusals = [r.as_dict() for _, r in found if r is not None]
        eligible = [a for a, r in found if r is None]
        assert logged.doc["refusals"] == decision["refused"] == refusals
        assert logged.doc["eligible"] == [a.action_id for a in eligible]
        features, values = [], {}
        for a in eligible:
            liked = liking.get(a.product_id or "", 0.0)
            p = p_kept(a, facts, model)
            worth = a.kept_value() if a.kind in ("product", "offer", "loyalty") else 1.0
            values[a.action_id] = {"affinity": round(liked, 4), "p_kept": round(p, 4),
                                   "expected_kept_value": round((0.5 + liked) * p * worth, 4)}
            features.append(plain_features(a, liked, p, (0.5 + liked) * p * worth))
        assert logged.doc["features"] == features
        assert [list(f) for f in logged.doc["features"]] == [list(f) for f in features]  # order
        for shown in decision["actions"]:
            assert {k: shown[k] for k in values[shown["action_id"]]} == values[shown["action_id"]]
        assert decision["return_model"] == ("returns:v1" if model else "returns:prior")
        seen_rules |= {r["rule"] for r in refusals}
    assert seen_rules == set(RULES)  # every rule refused something: each was checked


def test_what_deciding_on_a_channel_needs_is_kept_only_for_the_catalogues_own_channels() -> None:
    active = Active.of([(1, action("dress", channels=["web"])),
                        (1, action("tip", channels=["email"]))])
    assert active.offered("web") is active.offered("web")
    assert active.offered("web").on == [0] and active.offered("web").skus == ["dress-M"]
    assert active.offered("fax") is not active.offered("fax")  # any name a request gives
    assert active.offered("fax").off == {0: "offered on web, not on fax",
                                         1: "offered on email, not on fax"}
