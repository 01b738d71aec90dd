"""Seeded incidents with ground truth, written through the product's own ingestion (commerce's
``service.ingest``, the inbox's ``intake.receive``, ``reply`` and ``rate``): ordinary noise for
``days`` days and, from ``incident_day``, four incidents — a supplier's defective batch (damaged
returns and tickets in English, German and Japanese), an agent falling behind the SLA, a store's
late click-and-collect orders and a promotion priced differently on two channels. ``Truth`` says
which orders, returns, tickets, shipments and listings each incident made, and when it began."""

from __future__ import annotations

import heapq
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

from frontoffice.commerce import service as commerce
from frontoffice.commerce.ports import Commerce
from frontoffice.inbox import intake, slas, team
from frontoffice.inbox import service as desk_service
from frontoffice.inbox.deps import Desk

SOURCE = "seeded-shop"
START = datetime(2026, 9, 7, tzinfo=UTC)  # a Monday
STORES = {"ST1": "north", "ST2": "south", "ST3": "east"}
PRODUCTS = {
    "P1": ("shoes", ["SUP-A", "SUP-B"]),
    "P2": ("shoes", ["SUP-C"]),
    "P3": ("bags", ["SUP-D"]),
    "P4": ("shirts", ["SUP-E"]),
}
SIZES = ("40", "42", "44")
AGENTS = ("ana", "ben", "chen")
BROKEN = {
    "en": "My shoes arrived broken, the sole came off. Order {o}",
    "de": "Die Schuhe sind kaputt angekommen, bitte um Ersatz. Bestellung {o}",
    "ja": "届いた靴が壊れていました。注文番号 {o}",
}
ASKING = (
    "Where is my order {o}?",
    "Can I return order {o}? It does not fit.",
    "Thanks for the quick help! {o}",
)


@dataclass
class Incident:
    name: str
    began: datetime | None = None
    ids: set[str] = field(default_factory=set)

    def saw(self, at: datetime, *refs: str) -> None:
        self.began = min(self.began or at, at)
        self.ids.update(refs)


@dataclass
class Truth:
    incidents: dict[str, Incident]
    last_day: str


@dataclass
class _World:
    cs: Commerce
    desk: Desk
    ws: str
    rng: random.Random
    truth: dict[str, Incident]
    orders_per_day: int
    tickets_per_day: int
    n: int = 0
    pending: list[tuple[datetime, int, Callable[[], object]]] = field(default_factory=list)

    def later(self, at: datetime, action: Callable[[], object]) -> None:
        self.n += 1
        heapq.heappush(self.pending, (at, self.n, action))

    def run_until(self, until: datetime) -> None:
        """Run the scheduled actions due by ``until``, in the order of their times."""
        while self.pending and self.pending[0][0] <= until:
            heapq.heappop(self.pending)[2]()

    def ingest(self, kind: str, body: list[dict[str, Any]], at: datetime) -> None:
        if body:
            commerce.ingest(self.cs, self.ws, SOURCE, kind, body, at)

    def next_id(self, prefix: str) -> str:
        self.n += 1
        return f"{prefix}{self.n}"


def seed(
    cs: Commerce,
    desk: Desk,
    ws: str,
    days: int = 35,
    incident_day: int = 29,
    orders_per_day: int = 24,
    tickets_per_day: int = 3,
    seed_value: int = 20,
) -> Truth:
    w = _World(
        cs,
        desk,
        ws,
        random.Random(seed_value),
        {k: Incident(k) for k in ("defective_batch", "agent_behind", "store_late", "price_split")},
        orders_per_day,
        tickets_per_day,
    )
    _catalogue(w)
    for day in range(days):
        _day(w, day, day >= incident_day)
    return Truth(w.truth, (START + timedelta(days=days - 1)).date().isoformat())


def _catalogue(w: _World) -> None:
    at, v = START - timedelta(days=1), 1
    w.ingest(
        "locations",
        [
            {
                "event_id": "loc-W1",
                "version": v,
                "location_id": "W1",
                "kind": "warehouse",
                "region": "north",
                "capabilities": ["ship"],
            }
        ]
        + [
            {
                "event_id": f"loc-{s}",
                "version": v,
                "location_id": s,
                "kind": "store",
                "region": r,
                "capabilities": ["bopis"],
            }
            for s, r in STORES.items()
        ],
        at,
    )
    w.ingest(
        "products",
        [
            {
                "event_id": f"prod-{p}",
                "version": v,
                "product_id": p,
                "name": p,
                "category": c,
                "supplier_ids": sups,
                "variants": [{"sku": f"{p}-{s}", "size": s} for s in SIZES],
            }
            for p, (c, sups) in PRODUCTS.items()
        ],
        at,
    )
    ends = (START + timedelta(days=400)).isoformat()
    w.ingest(
        "listings",
        [
            {
                "event_id": f"list-{p}-{ch}",
                "version": v,
                "product_id": p,
                "channel": ch,
                "currency": "EUR",
                "list_price": 80.0,
                "price": 80.0,
                "valid_from": at.isoformat(),
                "valid_to": ends,
            }
            for p in PRODUCTS
            for ch in ("web", "app")
        ],
        at,
    )
    for agent in AGENTS:
        team.configure_agent(
            w.desk, w.ws, agent, {"languages": ["en", "de", "ja"], "capacity": 500, "team": "eu"}, at
        )


def _day(w: _World, day: int, incident: bool) -> None:
    base = START + timedelta(days=day)
    orders: list[dict[str, Any]] = []
    returns: list[dict[str, Any]] = []
    shipments: list[dict[str, Any]] = []
    complaints: list[tuple[str, datetime]] = []
    for _ in range(w.rng.randint(w.orders_per_day * 5 // 6, w.orders_per_day * 7 // 6)):
        oid = w.next_id("O")
        product = w.rng.choices(list(PRODUCTS), weights=(4, 2, 2, 2))[0]  # P1 sells best
        supplier = w.rng.choice(PRODUCTS[product][1])
        size, channel = w.rng.choice(SIZES), w.rng.choice(("web", "app"))
        store = w.rng.choice(list(STORES)) if w.rng.random() < 0.3 else None
        placed = base + timedelta(hours=8, minutes=w.rng.randint(0, 600))
        line = {
            "line_no": 1,
            "sku": f"{product}-{size}",
            "qty": 1,
            "unit_price": 80.0,
            "supplier_id": supplier,
            "fulfilment": "bopis" if store else "ship",
            "location_id": store,
        }
        orders.append(
            {
                "event_id": f"{oid}-v1",
                "version": 1,
                "order_id": oid,
                "status": "confirmed",
                "channel": channel,
                "placed_at": placed.isoformat(),
                "currency": "EUR",
                "customer": {"email": f"c{oid}@mail.example"},
                "lines": [line],
                "total": 80.0,
            }
        )
        defective = incident and product == "P1" and supplier == "SUP-A"
        damaged = w.rng.random() < (0.45 if defective else 0.01)
        reason = (
            "damaged"
            if damaged
            else w.rng.choice(("size", "changed_mind"))
            if w.rng.random() < 0.06
            else None
        )
        if reason:
            rid = w.next_id("R")
            returns.append(
                {
                    "event_id": rid,
                    "version": 1,
                    "return_id": rid,
                    "order_id": oid,
                    "line_no": 1,
                    "sku": line["sku"],
                    "qty": 1,
                    "status": "requested",
                    "reason": reason,
                    "occurred_at": placed.isoformat(),
                }
            )
            if defective and damaged:
                w.truth["defective_batch"].saw(placed, f"return:{rid}", f"order:{oid}")
                if w.rng.random() < 0.5:  # half of them also write to the service desk
                    complaints.append((oid, placed))
        if store:
            late = (incident and store == "ST2") or w.rng.random() < 0.02
            sid = w.next_id("S")
            shipments.append(
                {
                    "event_id": sid,
                    "version": 1,
                    "shipment_id": sid,
                    "order_id": oid,
                    "location_id": store,
                    "mode": "bopis",
                    "status": "delivered",
                    "shipped_at": placed.isoformat(),
                    "promised_by": (placed + timedelta(hours=24)).isoformat(),
                    "delivered_at": (placed + timedelta(hours=40 if late else 20)).isoformat(),
                    "occurred_at": (placed + timedelta(hours=40 if late else 20)).isoformat(),
                }
            )
            if incident and store == "ST2":
                w.truth["store_late"].saw(placed + timedelta(hours=24), f"shipment:{sid}", f"order:{oid}")
    end = base + timedelta(hours=23)
    w.ingest("orders", orders, end)
    w.ingest("returns", returns, end)
    w.ingest("shipments", shipments, end)
    if incident and w.truth["price_split"].began is None:
        _promotion(w, base)
    _tickets(w, base, incident, complaints, [o["order_id"] for o in orders])
    for hour in (12, 17, 23):  # the worker's SLA sweep (every minute in production), between actions
        w.run_until(base + timedelta(hours=hour))
        slas.sweep(w.desk, w.ws, base + timedelta(hours=hour))


def _promotion(w: _World, base: datetime) -> None:
    at, until = base + timedelta(hours=6), base + timedelta(days=30)
    body = [
        {
            "event_id": f"promo-{ch}",
            "version": 2,
            "product_id": "P3",
            "channel": ch,
            "currency": "EUR",
            "list_price": 80.0,
            "price": price,
            "promotion_id": "AUTUMN",
            "valid_from": at.isoformat(),
            "valid_to": until.isoformat(),
        }
        for ch, price in (("web", 60.0), ("app", 68.0))
    ]
    w.ingest("listings", body, at)
    day = at.date().isoformat()
    w.truth["price_split"].saw(at, *(f"listing:P3|{ch}|EUR|AUTUMN|{day}" for ch in ("web", "app")))


def _tickets(
    w: _World, base: datetime, incident: bool, complaints: list[tuple[str, datetime]], orders: list[str]
) -> None:
    """Schedule the day's messages; each, when its time comes, is received, assigned, answered
    (late by the agent who falls behind) and sometimes rated, in the order of their times."""
    langs = ("en", "de", "ja")
    asks = [(w.rng.choice(ASKING).format(o=w.rng.choice(orders)), None) for _ in range(w.tickets_per_day)]
    texts = asks + [(BROKEN[langs[i % 3]].format(o=oid), oid) for i, (oid, _) in enumerate(complaints)]
    for i, (text, complaint) in enumerate(texts):
        at = base + timedelta(hours=9, minutes=20 * i)
        w.later(at, partial(_receive, w, at, text, complaint, incident))


def _receive(w: _World, at: datetime, text: str, complaint: str | None, incident: bool) -> None:
    mid = w.next_id("m")
    channel = w.rng.choice(("chat", "phone"))
    got = intake.receive(
        w.desk, w.ws, intake.Incoming(channel, mid, "email", f"{mid}@mail.example", "", "Help", text, ()), at
    )
    tid, agent = got.ticket_id, w.rng.choice(AGENTS)
    if tid is None:
        return
    desk_service.assign(w.desk, w.ws, tid, at, agent)
    if complaint:
        w.truth["defective_batch"].saw(at, f"ticket:{tid}")
    behind = incident and agent == "ben"
    if behind:
        w.truth["agent_behind"].saw(at, f"ticket:{tid}")
    reply_at = at + timedelta(hours=50 if behind else w.rng.uniform(0.2, 2.0))
    w.later(
        reply_at,
        partial(desk_service.reply, w.desk, w.ws, tid, agent, reply_at, "We are on it.", None, "solved"),
    )
    if w.rng.random() < 0.5:
        rated = reply_at + timedelta(hours=1)
        w.later(rated, partial(desk_service.rate, w.desk, w.ws, tid, w.rng.choice((4, 5, 5, 3)), "", rated))


@dataclass(frozen=True, slots=True)
class Score:
    """The flags against the truth: a flag is right when most of its evidence is one incident's;
    an incident is found when a right flag points at it."""

    flags: int
    right: int
    found: dict[str, list[str]]  # incident -> the flag ids that found it
    wrong: list[str]  # flag ids whose evidence is no incident's

    @property
    def precision(self) -> float:
        return self.right / self.flags if self.flags else 1.0

    def recall(self, truth: Truth) -> float:
        return len(self.found) / len(truth.incidents)


def score(flags: list[dict[str, Any]], truth: Truth) -> Score:
    found: dict[str, list[str]] = {}
    wrong = []
    for f in flags:
        evidence = set(f["evidence"])
        overlap = {name: len(evidence & i.ids) for name, i in truth.incidents.items()}
        best = max(overlap, key=lambda name: overlap[name])
        if evidence and 2 * overlap[best] >= len(evidence):
            found.setdefault(best, []).append(f["flag_id"])
        else:
            wrong.append(f["flag_id"])
    return Score(len(flags), len(flags) - len(wrong), found, wrong)
