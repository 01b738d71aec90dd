"""The inbox's ports over the other capabilities, for one storage: identity's ``People`` (who
wrote) and commerce's state and intake (orders, shipments, returns; starting a return); segments'
membership port (VIP routing), consent's person-level rows and next-best-action's preview (what
to offer beside a ticket)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import orjson

from frontoffice.commerce import service as commerce
from frontoffice.commerce.store import CommerceStore
from frontoffice.consent.person_service import PersonConsentHub
from frontoffice.domain.events import now
from frontoffice.errors import NotFound
from frontoffice.identity.people_store import PeopleSql
from frontoffice.inbox.order_policy import Resend
from frontoffice.inbox.ports import SOURCE, CustomerContext
from frontoffice.normalise.identifiers import normalise_email, normalise_phone
from frontoffice.normalise.results import Normalised
from frontoffice.segments.membership import Membership
from frontoffice.settings import Settings
from frontoffice.storage.sql import SqlStore


def normalised(kind: str, value: str) -> str | None:
    """The value as identity indexes it (None: not an identifier identity would hold)."""
    if kind == "email":
        found = normalise_email(value)
    elif kind == "phone":
        found = normalise_phone(value, None)
    else:
        return value.strip() or None
    return found.value if isinstance(found, Normalised) else None


def commerce_keys(kind: str, value: str) -> list[str]:
    """Commerce's customer keys (``commerce.records.customer_keys``) for a sender."""
    if kind == "email":
        return [f"email:{value.strip().lower()}"]
    if kind == "phone":
        return [f"phone:{''.join(ch for ch in value if ch.isdigit())}"]
    if kind == "marketplace_buyer":
        return [f"buyer_id:{value.partition(':')[2] or value}"]
    return []


class CustomersSql:
    """``ports.Customers`` on one storage."""

    def __init__(self, store: SqlStore) -> None:
        self.people = PeopleSql(store)
        self.commerce = CommerceStore(store)

    def resolve(self, ws: str, kind: str, value: str) -> str | None:
        kind = "anonymous_id" if kind == "social" else kind  # network:handle, the profile's anonymous id
        key = normalised(kind, value)
        if key is None:
            return None
        holders = sorted(self.people.holders(ws, kind, [key]).get(key, set()))
        live = [p for p in (self.people.resolve_id(ws, h) for h in holders) if p]
        return live[0] if len(set(live)) == 1 else None  # two people on one address: nobody for sure

    def _keys(self, ws: str, person_id: str | None, keys: Sequence[str]) -> list[str]:
        found = {k for raw in keys for k in commerce_keys(*raw.split(":", 1))} if keys else set()
        if person_id:
            ids = self.people.identifiers(ws, [person_id], ["email", "phone", "marketplace_buyer", "user_id"])
            for kind, value in ids.get(person_id, []):
                found.update(commerce_keys(kind, value) if kind != "user_id" else [f"user_id:{value}"])
        return sorted(found)

    def context(self, ws: str, person_id: str | None, keys: Sequence[str]) -> CustomerContext:
        cs = self.commerce
        order_ids = cs.entity_ids_for_keys(ws, "order", self._keys(ws, person_id, keys))
        orders = [orjson.loads(e.doc) for e in cs.entities_named(ws, "order", order_ids)]
        shipments = [orjson.loads(e.doc) for i in order_ids for e in cs.entities(ws, "shipment", i)]
        returns = [orjson.loads(e.doc) for i in order_ids for e in cs.entities(ws, "return", i)]
        golden = self.golden(ws, person_id) if person_id else {}
        return CustomerContext(person_id, golden, orders, shipments, returns)

    def golden(self, ws: str, person_id: str) -> dict[str, Any]:
        return dict(self.people.golden(ws, [person_id]).get(person_id, {}))

    def order(self, ws: str, order_id: str) -> dict[str, Any] | None:
        found = self.commerce.entity(ws, "order", order_id)
        return orjson.loads(found.doc) if found else None

    def delivery_alerts(self, ws: str) -> list[dict[str, Any]]:
        return commerce.delivery_alerts(self.commerce, ws)

    def available(self, ws: str, sku: str, channel: str) -> int:
        try:
            found = commerce.availability_for(self.commerce, ws, sku, channel, "ship", None, now())
        except NotFound:
            return 0
        return int(found["modes"].get("ship", {}).get("available", 0))

    def start_return(self, ws: str, order_id: str, lines: Sequence[Mapping[str, Any]], reason: str,
                     return_id: str) -> dict[str, Any]:
        order = self.order(ws, order_id) or {}
        skus = {line["line_no"]: line["sku"] for line in order.get("lines", [])}
        events = [{"event_id": f"{return_id}:{line['line_no']}", "version": 1,
                   "return_id": f"{return_id}-{line['line_no']}", "order_id": order_id,
                   "line_no": line["line_no"], "sku": skus.get(line["line_no"], line.get("sku", "")),
                   "qty": line.get("qty", 1), "status": "requested", "reason": reason[:100]}
                  for line in lines]
        commerce.ingest(self.commerce, ws, SOURCE, "returns", events, now())
        return {"return_id": return_id, "order_id": order_id,
                "returns": [e["return_id"] for e in events], "reason": reason}

    def ship_again(self, ws: str, plan: Resend) -> dict[str, Any]:
        shipment = {"event_id": plan.shipment_id, "version": 1, "shipment_id": plan.shipment_id,
                    "order_id": plan.order_id, "location_id": plan.location_id, "carrier": plan.carrier,
                    "line_nos": plan.line_nos, "status": "pending",
                    "promised_by": plan.promised_by.isoformat()}
        commerce.ingest(self.commerce, ws, SOURCE, "shipments", [shipment], now())
        return shipment

    def cancel_order(self, ws: str, order: Mapping[str, Any], reason: str) -> dict[str, Any]:
        version = int(order.get("version", 0)) + 1
        cancelled = {**order, "status": "cancelled", "version": version,
                     "event_id": f"cancel-{order['order_id']}-{version}"}
        commerce.ingest(self.commerce, ws, SOURCE, "orders", [cancelled], now())
        return self.order(ws, str(order["order_id"])) or cancelled


class SegmentMember:
    """VIP routing asks segments' membership port."""

    def __init__(self, membership: Membership) -> None:
        self._membership = membership

    def member(self, ws: str, person_id: str, segment: str) -> bool:
        return self._membership.of(ws, person_id, segment) is not None


class ConsentOfPerson:
    """Consent beside a ticket: consent's merge of the person's subjects, now (its person hub,
    over identity's ``People`` and consent's ``PersonConsentRows`` ports)."""

    def __init__(self, hub: PersonConsentHub) -> None:
        self._hub = hub

    def for_person(self, ws: str, person_id: str) -> list[dict[str, Any]]:
        merged = self._hub.person(ws, person_id)
        return [] if merged is None else [
            {"purpose": purpose, "status": str(w.change.status), "at": w.change.at.isoformat(),
             "reason": w.reason} for purpose, w in sorted(merged.purposes.items())]


class DecisionActions:
    """The person's next best actions for a service reply: next-best-action's preview on the
    e-mail channel (it logs no decision, so it counts towards no cap or contact policy)."""

    def __init__(self, store: SqlStore, settings: Settings, n: int = 3) -> None:
        from frontoffice.decisions.arbiter import Arbiter
        from frontoffice.decisions.wiring import wire

        self._wired = wire(store, settings)
        self._arbiter = Arbiter(lambda _: self._wired.store)
        self._contacts, self._n = settings.decisions_contacts_per_day, n

    def for_person(self, ws: str, person_id: str) -> list[dict[str, Any]]:
        from frontoffice.decisions.decide import Ask, decide

        found = decide(self._wired.ports, self._arbiter, ws, Ask(person_id, "email", "service", self._n),
                       now(), self._contacts, record=False)
        return list(found["actions"])
