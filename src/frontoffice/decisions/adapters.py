"""Decisions' ports onto the other capabilities, each through its owner's port or service:
identity's ``People``, commerce's state and use cases (traits, availability, price conflicts),
segments' membership port. Consent is asked of outbound's gate (``consent_gate``)."""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

import orjson

from frontoffice.commerce import service as commerce
from frontoffice.commerce.ports import CommerceState
from frontoffice.commerce.records import customer_keys
from frontoffice.consent.projector import SUBJECT_KINDS
from frontoffice.decisions.intent import Purchase
from frontoffice.decisions.ports import CustomerFacts, Person, Verdict
from frontoffice.decisions.recs import Interaction
from frontoffice.decisions.return_risk import Line
from frontoffice.domain.events import now
from frontoffice.errors import NotFound
from frontoffice.identity.extract import normalise_identifier
from frontoffice.identity.model import IdKind
from frontoffice.identity.people import People
from frontoffice.identity.service import person_commerce_keys
from frontoffice.normalise import Invalid
from frontoffice.segments.membership import Membership

KEY_KINDS = ("user_id", "email", "phone", "buyer_id")
PERSON_KINDS = tuple(sorted({*KEY_KINDS, *SUBJECT_KINDS}))
"""The identifier kinds a decision reads of its person: commerce's customer keys (``KEY_KINDS``)
and consent's subjects."""
STOCK_TTL_S = 1.0  # decisions may promise stock up to a second old; holds are the real guard
PRICES_TTL_S = 5.0
TTL_KEYS = 10_000


class _Ttl:
    """A small cache of values for ``ttl`` seconds. Keys carry request input (a store id, a set
    of SKUs), so past ``TTL_KEYS`` keys a put first drops the expired ones (and the bound doubles
    while the live keys fill half of it: each drop is paid for by as many puts)."""

    def __init__(self, ttl: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._ttl, self._clock, self._lock = ttl, clock, threading.Lock()
        self._values: dict[Any, tuple[float, Any]] = {}
        self._bound = TTL_KEYS

    def __len__(self) -> int:
        return len(self._values)

    def get(self, key: Any) -> Any | None:
        with self._lock:
            found = self._values.get(key)
        return found[1] if found and self._clock() - found[0] < self._ttl else None

    def put(self, key: Any, value: Any) -> None:
        at = self._clock()
        with self._lock:
            if len(self._values) >= self._bound:
                self._values = {k: v for k, v in self._values.items() if at - v[0] < self._ttl}
                self._bound = max(TTL_KEYS, 2 * len(self._values))
            self._values[key] = (at, value)


class PeopleCustomers:
    def __init__(self, people: People, cs: CommerceState) -> None:
        self._people, self._cs = people, cs

    def find(self, ws: str, person_id: str) -> Person | None:
        # a live id's golden record says it is live: one read for both, redirects only when not
        golden = self._people.golden(ws, [person_id])
        live: str | None = person_id
        if person_id not in golden:
            live = self._people.resolve_id(ws, person_id)
            golden = self._people.golden(ws, [live]) if live is not None else {}
        if live is None or live not in golden:
            return None
        return Person(live, golden[live],
                      tuple(self._people.identifiers(ws, [live], PERSON_KINDS).get(live, [])),
                      frozenset(self._people.merged_ids(ws, [live]).get(live, set())))

    def facts(self, ws: str, person: Person) -> CustomerFacts:
        keys = person_commerce_keys([(k, v) for k, v in person.identifiers if k in KEY_KINDS])
        t = commerce.purchase_traits(self._cs, ws, keys) if keys else {}
        country, region = ship_to(dict(person.golden))
        return CustomerFacts(
            preferred_store=t.get("preferred_store"),
            preferred_fulfilment=t.get("preferred_fulfilment"),
            kept_sizes=dict(t.get("kept_sizes", {})), return_rate=float(t.get("return_rate", 0.0)),
            units_bought=int(t.get("units_bought", 0)), order_count=int(t.get("order_count", 0)),
            ship_to_country=country, ship_to_region=region)


def ship_to(golden: dict[str, Any]) -> tuple[str | None, str | None]:
    """(country, region) of the person's address in identity's golden record."""
    address = (golden.get("address") or {}).get("value")
    address = address if isinstance(address, dict) else {}
    country = address.get("country") or (golden.get("country") or {}).get("value")
    region = address.get("region") or address.get("state")
    return (str(country).upper() if country else None, str(region) if region else None)


class CommerceInteractions:
    """Kept purchases per person: commerce's orders less their returns, each order's customer
    keys placed with the people identity says hold them (normalised as identity normalises)."""

    def __init__(self, people: People, cs: CommerceState) -> None:
        self._people, self._cs = people, cs

    def _persons(self, ws: str, orders: list[dict[str, Any]]) -> dict[str, str]:
        # kind -> normalised value -> the orders naming it
        wanted: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for order in orders:
            for key in customer_keys(order.get("customer") or {}):
                kind, _, value = key.partition(":")
                if kind not in ("user_id", "email", "phone"):
                    continue
                found = normalise_identifier(IdKind(kind), value)
                if not isinstance(found, Invalid):
                    wanted[kind][found.value].append(order["order_id"])
        out: dict[str, str] = {}
        for kind, values in sorted(wanted.items()):
            for value, persons in self._people.holders(ws, kind, values).items():
                for order_id in values[value]:
                    out.setdefault(order_id, min(persons))
        return out

    def _bought(self, ws: str) -> list[tuple[str, dict[str, Any], dict[str, Any], int]]:
        """(person, order, line, units returned) of every line of a placed order."""
        orders = [orjson.loads(e.doc) for e in self._cs.entities(ws, "order")]
        orders = [o for o in orders if o["status"] != "cancelled"]
        returned: dict[tuple[str, int], int] = defaultdict(int)
        for e in self._cs.entities(ws, "return"):
            r = orjson.loads(e.doc)
            if r["status"] != "cancelled":
                returned[(r["order_id"], r["line_no"])] += r["qty"]
        persons = self._persons(ws, orders)
        return [(persons[o["order_id"]], o, line, returned.get((o["order_id"], line["line_no"]), 0))
                for o in orders if o["order_id"] in persons for line in o["lines"]]

    def kept(self, ws: str) -> tuple[list[Interaction], dict[str, set[str]]]:
        variants = {e.entity_id: e.ref for e in self._cs.entities(ws, "variant")}
        attributes = {e.entity_id: {orjson.loads(e.doc).get("category") or "other"}
                      for e in self._cs.entities(ws, "product")}
        rows = []
        for person, order, line, back in self._bought(ws):
            product = variants.get(line["sku"])
            if line["qty"] > back and product:
                rows.append(Interaction(person, product, float(line["qty"] - back),
                                        order["placed_at"]))
        return rows, attributes

    def purchases(self, ws: str) -> list[Purchase]:
        """Every placed order of a known person: when, and its total."""
        seen: dict[str, Purchase] = {}
        for person, order, _, _ in self._bought(ws):
            at = datetime.fromisoformat(order["placed_at"].replace("Z", "+00:00"))
            seen.setdefault(order["order_id"], Purchase(person, at, float(order["total"])))
        return list(seen.values())

    def lines(self, ws: str) -> list[Line]:
        """Every bought line, returned or kept, with what return risk is learned from."""
        variants = {e.entity_id: orjson.loads(e.doc) for e in self._cs.entities(ws, "variant")}
        products = {e.entity_id: orjson.loads(e.doc) for e in self._cs.entities(ws, "product")}
        out = []
        for person, order, line, back in self._bought(ws):
            variant = variants.get(line["sku"], {})
            product = products.get(variant.get("product_id", ""), {})
            supplier = line.get("supplier_id") or next(iter(product.get("supplier_ids", [])), "")
            out.append(Line(person, variant.get("product_id", line["sku"]), supplier,
                            product.get("category") or "other", variant.get("size", ""),
                            back > 0, order["placed_at"]))
        return out


class CommerceStock:
    """Commerce's availability of all the candidates' SKUs in one read, cached ``STOCK_TTL_S`` as
    one entry per set of SKUs (a decision's candidates on a channel are the same set until the
    catalogue changes, so one lookup serves a decision). ``ship`` with a known ship-to country
    counts the pool's shipping locations in that country."""

    def __init__(self, cs: CommerceState, clock: Callable[[], float] = time.monotonic) -> None:
        self._cs, self._cache = cs, _Ttl(STOCK_TTL_S, clock)

    def available(self, ws: str, skus: Sequence[str], channel: str, mode: str,
                  near: str | None, ship_to: str | None) -> dict[str, int]:
        country = ship_to if mode == "ship" else None
        key = (ws, channel, mode, near, country, tuple(skus))
        found: dict[str, int] | None = self._cache.get(key)
        if found is None:
            try:
                views = commerce.availabilities_for(self._cs, ws, skus, channel, mode, near,
                                                    now())
            except NotFound:  # the asked store is unknown: nothing there to promise
                views = {}
            found = {sku: _promised(views.get(sku), mode, country) for sku in skus}
            self._cache.put(key, found)
        return found


def _promised(view: dict[str, Any] | None, mode: str, country: str | None) -> int:
    if view is None:
        return 0
    if country is None:
        return int(view["modes"][mode]["available"])
    return sum(int(row["available"]) for row in view["locations"]
               if "ship" in row["capabilities"] and row["country"].upper() == country)


class CommercePrices:
    def __init__(self, cs: CommerceState, tolerance: float) -> None:
        self._cs, self._tolerance, self._cache = cs, tolerance, _Ttl(PRICES_TTL_S)

    def conflicts(self, ws: str) -> dict[str, str]:
        found: dict[str, str] | None = self._cache.get(ws)
        if found is None:
            at: datetime = now()
            found = {c["product_id"]: c["reason"]
                     for c in commerce.price_conflicts(self._cs, ws, self._tolerance, at)}
            self._cache.put(ws, found)
        return found


class SegmentsMembership:
    """Eligibility by segment, asked of segments' membership port."""

    def __init__(self, membership: Membership) -> None:
        self._membership = membership

    def check(self, ws: str, person_id: str, segment_id: str) -> Verdict:
        found = self._membership.of(ws, person_id, segment_id)
        if found is None:
            return Verdict(False, "the person is not a member now (segments' membership)")
        return Verdict(True, f"member of segment {segment_id!r} since {found.since}: {found.why}")
