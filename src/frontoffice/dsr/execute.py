"""Carrying out a verified request.

* access / portability: the JSON document and the HTML report, stored as artefacts;
* erasure: ``frontoffice.privacy.erasure.erase_person`` (crypto-shredding), after dropping this
  module's own copies of the person's data (artefacts of earlier requests, outbox messages);
* rectification: an ``identify`` with the corrected traits, appended to the log from the
  workspace's ``frontoffice-dsr`` source, server-side (its key is known to nobody) and of channel
  ``app`` — the most trusted channel of survivorship — so, being also the newest observation, the
  correction wins under both the ``most_recent`` and the ``trusted_source`` rules;
* restriction / objection: consent changes (status denied, method ``dsr_restriction`` /
  ``dsr_objection``, source ``dsr:<request id>``) for every subject key of the person, written
  through the consent log and projection like any other capture, so the one policy check refuses.
"""

from __future__ import annotations

import dataclasses
import importlib
import secrets
from collections.abc import Callable
from datetime import datetime
from typing import Any

import orjson

from frontoffice.consent import service as consent_service
from frontoffice.consent.capture import Proof
from frontoffice.consent.store import ConsentStore
from frontoffice.domain.events import Limits, normalise_batch
from frontoffice.domain.tenancy import Channel, Trust
from frontoffice.dsr.model import DsrError, DsrRequest, Kind
from frontoffice.dsr.options import restricted_purposes
from frontoffice.dsr.report import access_document, access_html, subjects_of
from frontoffice.dsr.store import DsrStore
from frontoffice.identity.hub import IdentityHub
from frontoffice.identity.store import IdentitySql
from frontoffice.storage.port import AppendBatch
from frontoffice.storage.scrub import scrub
from frontoffice.storage.sql import SqlStore
from frontoffice.tenancy import service as tenancy

DSR_SOURCE = "frontoffice-dsr"
# Survivorship ranks channels (identity.golden.DEFAULT_CHANNEL_TRUST); "app" is the first.
DSR_SOURCE_CHANNEL = Channel.APP
DSR_PII_TABLES = ("dsr_outbox", "dsr_artefacts", "dsr_requests")
_LIMITS = Limits(max_event_bytes=32 * 1024, max_json_depth=32)
# The anchor of a correction: the strongest identifier that ties it to the person.
_ANCHORS = ("user_id", "loyalty_id", "email", "phone", "anonymous_id")

Erase = Callable[..., Any]


@dataclasses.dataclass
class Hubs:
    identity: IdentityHub
    consent: consent_service.ConsentHub


def dsr_source_id(store: SqlStore, ws: str) -> str:
    """The workspace's DSR source, created on first use with a write key nobody knows (in the
    registry: the main database, also for a located workspace)."""
    found = store.registry.source(ws, DSR_SOURCE)
    if found is None:
        found, _ = tenancy.create_source(store.registry, ws, DSR_SOURCE, DSR_SOURCE_CHANNEL.value,
                                         write_key="fo_wk_dsr_" + secrets.token_urlsafe(32),
                                         trust=Trust.SERVER.value)
    return found.id


def run(store: SqlStore, hubs: Hubs, request: DsrRequest, person_id: str, actor: str, now: datetime,
        erase: Erase | None = None) -> dict[str, Any]:
    """Execute; returns the outcome to record (counts and names, never personal data)."""
    if request.kind in (Kind.ACCESS, Kind.PORTABILITY):
        return _access(store, request, person_id, now)
    if request.kind is Kind.ERASURE:
        return _erase(store, hubs, request, person_id, actor, now, erase)
    if request.kind is Kind.RECTIFICATION:
        return _rectify(store, hubs.identity, request, person_id, now)
    purposes = (list(restricted_purposes()) if request.kind is Kind.RESTRICTION
                else list(request.details["purposes"]))
    return _deny(store, hubs.consent, request, person_id, purposes, now)


def _access(store: SqlStore, request: DsrRequest, person_id: str, now: datetime) -> dict[str, Any]:
    ws = request.workspace_id
    doc = access_document(store, ws, person_id, request.id, now)
    body = orjson.dumps(doc, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS)
    sql = DsrStore(store)
    sql.put_artefact(ws, request.id, "json", body, now)
    sql.put_artefact(ws, request.id, "html", access_html(doc).encode("utf-8"), now)
    return {"artefacts": ["json", "html"], "events": len(doc["events"]),
            "identifiers": len(doc["identifiers"]),
            "orders": len(doc["commerce"]["orders"]), "consent_subjects": len(doc["consent"])}


def _default_erase() -> Erase:
    try:
        module = importlib.import_module("frontoffice.privacy.erasure")
    except ImportError:
        raise DsrError("Erasure is not available in this installation (frontoffice.privacy.erasure is "
                       "missing); the request stays verified: execute it again once it is.") from None
    erase: Erase = module.erase_person
    return erase


def _plain(value: object) -> object:
    """The erasure report as JSON-safe counts and flags (strings and ids pass; bytes do not)."""
    as_dict = getattr(value, "as_dict", None)
    if callable(as_dict):
        value = as_dict()
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = dataclasses.asdict(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items() if not isinstance(v, bytes)}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    return value if isinstance(value, str | int | float | bool) or value is None else str(value)


def _erase(store: SqlStore, hubs: Hubs, request: DsrRequest, person_id: str, actor: str,
           now: datetime, erase: Erase | None) -> dict[str, Any]:
    ws = request.workspace_id
    eraser = erase or _default_erase()
    sql = DsrStore(store)
    own = sql.of_person(ws, person_id)
    purged = {"artefacts": sql.purge_artefacts(ws, own), "outbox_messages": sql.purge_messages(ws, own),
              "pending_details": sql.forget_details(ws, own)}
    report = eraser(store, ws, person_id, people=hubs.identity.people,
                    reason=f"data-subject request {request.id}",
                    requested_by=actor, now=now)
    if not store.secure_delete and any(purged.values()):
        # erase_person scrubs the tables it purged; the rows dropped here left dead tuples in ours
        # (secure_delete, SQLite's, and the erasure's VACUUM cover them there).
        scrub(store, list(DSR_PII_TABLES))
    return {"erased_person": person_id, "dsr_copies_dropped": purged, "report": _plain(report)}


def _rectify(store: SqlStore, hub: IdentityHub, request: DsrRequest, person_id: str,
             now: datetime) -> dict[str, Any]:
    ws = request.workspace_id
    traits = dict(request.details["traits"])
    ids = dict(sorted(IdentitySql(store).identifiers(ws, person_id), key=lambda kv: _ANCHORS.index(kv[0])
                      if kv[0] in _ANCHORS else len(_ANCHORS)))
    event: dict[str, Any] = {"type": "identify", "messageId": f"{request.id}:rectification",
                             "timestamp": now.isoformat(),
                             "context": {"dsr": {"request_id": request.id, "kind": "rectification"}}}
    if "user_id" in ids:
        event["userId"] = ids["user_id"]
    elif "loyalty_id" in ids:
        traits.setdefault("loyaltyId", ids["loyalty_id"])
    elif "email" in ids:
        event["anonymousId"] = ids["email"]  # an email anonymousId is also that email (identity.extract)
    elif "phone" in ids:
        traits.setdefault("phone", ids["phone"])
    elif "anonymous_id" in ids:
        event["anonymousId"] = ids["anonymous_id"]
    else:
        raise DsrError(f"Person {person_id} has no identifier a correction could be tied to.")
    event["traits"] = traits
    source_id = dsr_source_id(store, ws)
    accepted, rejected = normalise_batch([event], batch={}, forced_type=None, source_id=source_id,
                                         received_at=now, limits=_LIMITS)
    if rejected:
        raise DsrError(f"The correction was refused by the event checks: {rejected[0].reason}")
    store.append([AppendBatch(ws, source_id, accepted, origin="dsr", reference=request.id)])
    hub.catch_up(ws)
    return {"corrected": sorted(request.details["traits"]), "event": accepted[0].message_id,
            "source": DSR_SOURCE}


def _deny(store: SqlStore, hub: consent_service.ConsentHub, request: DsrRequest, person_id: str,
          purposes: list[str], now: datetime) -> dict[str, Any]:
    ws = request.workspace_id
    method = f"dsr_{request.kind.value}"
    raw = orjson.dumps({"request_id": request.id, "kind": request.kind.value}).decode()
    salt = ConsentStore(store).salt(ws)
    subjects = subjects_of(person_id, IdentitySql(store).identifiers(ws, person_id))
    records = []
    for subject in subjects:
        proof = Proof.of(subject, f"dsr:{request.id}", now, salt)
        for purpose in purposes:
            change = proof.change(purpose, "denied", method, raw, explicit=True)
            records.append(consent_service.consent_record(change, now, None))
    consent_service.append(store, hub, ws, records)
    return {"purposes": purposes, "subjects": len(subjects), "method": method}
