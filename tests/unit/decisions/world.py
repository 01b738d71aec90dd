"""A small decisions world on fakes: a catalogue, two people, stock and consent."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from frontoffice.decisions import service
from frontoffice.decisions.arbiter import Arbiter
from frontoffice.decisions.catalogue import Action
from frontoffice.decisions.decide import Ask, DecidePorts, decide
from frontoffice.decisions.ports import CustomerFacts
from tests.fakes.decisions import (
    FakeConsent,
    FakeCustomers,
    FakeDecisionsStore,
    FakePrices,
    FakeSegments,
    FakeStock,
)

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)
WS = "ws1"


def action(action_id: str, **over: Any) -> Action:
    base: dict[str, Any] = {"action_id": action_id, "kind": "product", "title": action_id.title(),
                            "channels": ["web", "email"], "product_id": f"P-{action_id}",
                            "skus": [f"{action_id}-M"], "value": 50.0, "margin": 0.5}
    return Action.model_validate({**base, **over})


@dataclass
class World:
    store: FakeDecisionsStore = field(default_factory=FakeDecisionsStore)
    customers: FakeCustomers = field(default_factory=lambda: FakeCustomers({
        "ann": CustomerFacts(preferred_fulfilment="ship", units_bought=10, return_rate=0.1,
                             order_count=4, kept_sizes={"dresses": "M"}),
        "bob": CustomerFacts(units_bought=10, return_rate=0.6, order_count=3)}))
    consent: FakeConsent = field(default_factory=FakeConsent)
    stock: FakeStock = field(default_factory=FakeStock)
    prices: FakePrices = field(default_factory=FakePrices)
    segments: FakeSegments = field(default_factory=FakeSegments)
    contacts_per_day: int = 2

    def __post_init__(self) -> None:
        self.arbiter = Arbiter(lambda ws: self.store)

    def ports(self) -> DecidePorts:
        return DecidePorts(self.store, self.store, self.customers, self.consent, self.stock,
                           self.prices, self.segments)

    def add(self, *actions: Action, stocked: bool = True) -> None:
        for a in actions:
            service.save_action(self.store, WS, a, NOW)
            for sku in a.skus:
                if stocked:
                    self.stock.units[(sku, "ship")] = 5

    def decide(self, person: str = "ann", channel: str = "web", n: int = 3,
               at: datetime = NOW) -> dict[str, Any]:
        return decide(self.ports(), self.arbiter, WS, Ask(person, channel, "home", n), at,
                      self.contacts_per_day)


def refused(decision: dict[str, Any]) -> dict[str, str]:
    return {r["action_id"]: r["rule"] for r in decision["refused"]}


def shown(decision: dict[str, Any]) -> list[str]:
    return [a["action_id"] for a in decision["actions"]]
