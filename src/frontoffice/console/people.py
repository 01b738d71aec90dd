"""What the people pages read, each section through its owning capability's services or ports:
identity (search, golden record, timeline), consent (per purpose, with proof and history) and
commerce (orders, shipments, returns)."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import orjson

from frontoffice.commerce.store import CommerceStore
from frontoffice.consent.person_service import person_consent
from frontoffice.consent.service import subject_consent
from frontoffice.console.i18n import script_lang
from frontoffice.identity import service as identity
from frontoffice.identity.extract import normalise_identifier
from frontoffice.identity.model import IdKind
from frontoffice.identity.name_search import NameIndex
from frontoffice.identity.people import People
from frontoffice.identity.people_store import PeopleSql
from frontoffice.identity.store import IdentitySql
from frontoffice.normalise import Invalid
from frontoffice.storage.sql import SqlStore

SEARCH_LIMIT = 50
# identifiers a searched text may be, tried in this order (each an index lookup)
_KINDS = (IdKind.EMAIL, IdKind.PHONE, IdKind.USER_ID, IdKind.LOYALTY_ID, IdKind.MARKETPLACE_BUYER,
          IdKind.ANONYMOUS_ID, IdKind.DEVICE_ID, IdKind.ORDER_REF)


@dataclass(frozen=True, slots=True)
class Found:
    person_id: str
    name: str
    email: str
    records: int
    last_seen: str
    by: str  # "person id", an identifier kind, or "name"


def search(store: SqlStore, ws: str, text: str) -> list[tuple[str, str]]:
    """``(person_id, found by)`` of the people an identifier of any kind, a person id or a name in
    any script points to (at most ``SEARCH_LIMIT``)."""
    text = text.strip()
    if not text:
        return []
    people: People = PeopleSql(store)
    hits: dict[str, str] = {}
    live = people.resolve_id(ws, text)
    if live is not None:
        hits[live] = "person_id"
    sql = IdentitySql(store)
    for kind in _KINDS:
        normal = normalise_identifier(kind, text, None)
        if not isinstance(normal, Invalid):
            for pid in sql.lookup(ws, kind.value, normal.value):
                hits.setdefault(pid, kind.value)
    if not any(ch.isdigit() or ch == "@" for ch in text):
        for pid in _name_index(store, ws).find(text, SEARCH_LIMIT):
            hits.setdefault(pid, "name")
    return list(hits.items())[:SEARCH_LIMIT]


def described(store: SqlStore, ws: str, hits: list[tuple[str, str]]) -> list[Found]:
    """Name, email, records and last contact of the people found (those still there)."""
    sql = IdentitySql(store)
    return [f for pid, by in hits if (f := _found(sql, ws, pid, by))]


_indexes: dict[tuple[int, str], tuple[tuple[int, int], NameIndex]] = {}
_indexes_lock = threading.Lock()


def _name_index(store: SqlStore, ws: str) -> NameIndex:
    """The workspace's name index, rebuilt when the identity projection has moved on (an erased
    person left in it until then is dropped when its golden record is read)."""
    stamp = IdentitySql(store).checkpoint(ws)
    key = (id(store), ws)
    with _indexes_lock:
        cached = _indexes.get(key)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    index = NameIndex(PeopleSql(store).names(ws))
    with _indexes_lock:
        _indexes[key] = (stamp, index)
    return index


def _value(trait: Any) -> str:
    if not isinstance(trait, dict):
        return ""
    if "values" in trait:
        return str(trait["values"][0]["value"]) if trait["values"] else ""
    return str(trait.get("value", ""))


def display_name(traits: dict[str, Any]) -> str:
    """Given then family name; family first when the family name is written in Han, kana or
    Hangul (山田 太郎, 김 민준)."""
    given, family = _value(traits.get("firstName")), _value(traits.get("lastName"))
    parts = (family, given) if script_lang(family) in ("ja", "zh", "ko") else (given, family)
    return " ".join(p for p in parts if p) or _value(traits.get("name"))


def _found(sql: IdentitySql, ws: str, pid: str, by: str) -> Found | None:
    person = sql.person(ws, pid)
    if person is None:
        return None
    traits, count, _, last = person
    email = _value(traits.get("email")) or next(
        (value for kind, value in sql.identifiers(ws, pid) if kind == IdKind.EMAIL.value), "")
    return Found(pid, display_name(traits), email, count, last, by)


def profile(store: SqlStore, ws: str, person_id: str) -> dict[str, Any]:
    """Identity's golden record (traits with provenance, identifiers, records, computed
    commerce traits), as the API's ``GET .../people/{id}`` shows it."""
    return identity.profile(store, ws, person_id)


def timeline(store: SqlStore, ws: str, person_id: str, page: int, size: int) -> tuple[list[Any], bool]:
    """One page of the person's events across channels, newest first; and whether there are more."""
    _, events = identity.timeline(store, ws, person_id, page * size + 1)
    newest = list(reversed(events))
    return newest[(page - 1) * size: page * size], len(newest) > page * size


def consent(store: SqlStore, ws: str, person_id: str) -> dict[str, Any]:
    """Consent per purpose (the deciding record and why), and each subject's proof and history."""
    view = person_consent(store, ws, person_id)
    history = []
    for subject in view.subjects:
        for row in subject_consent(store, ws, subject).ledger:
            c = row.change
            history.append({"subject": subject, "purpose": c.purpose, "status": c.status,
                            "at": c.at.isoformat(), "method": c.method, "source": c.source,
                            "notice": c.notice_version or "", "proof": c.raw or "",
                            "change_id": c.change_id, "seq": row.seq})
    history.sort(key=lambda h: str(h["at"]), reverse=True)
    return {"purposes": view.purposes, "conflicts": view.conflicts, "history": history}


def commerce(store: SqlStore, ws: str, customer_keys: list[str]) -> dict[str, list[dict[str, Any]]]:
    """The person's orders, with their shipments and returns, from the commerce projection."""
    cs = CommerceStore(store)
    orders = []
    for order_id in cs.entity_ids_for_keys(ws, "order", customer_keys):
        entity = cs.entity(ws, "order", order_id)
        if entity is not None:
            orders.append(orjson.loads(entity.doc))
    shipments = [orjson.loads(e.doc) for o in orders for e in cs.entities(ws, "shipment", o.get("order_id"))]
    returns = [orjson.loads(e.doc) for o in orders for e in cs.entities(ws, "return", o.get("order_id"))]
    return {"orders": orders, "shipments": shipments, "returns": returns}
