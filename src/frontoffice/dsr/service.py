"""The DSR lifecycle: open → verification_sent → verified → completed, or rejected / expired.

Every step writes its audit row in the same transaction as the state change. Identifiers appear
in the audit log and in answers only masked; the requester's identifier is kept as a keyed hash.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from frontoffice.consent.packs import pack_for
from frontoffice.consent.store import ConsentStore
from frontoffice.domain.tenancy import new_id
from frontoffice.dsr.config import DsrConfig
from frontoffice.dsr.contacts import person_facts
from frontoffice.dsr.deadlines import due_date, extended_due_date
from frontoffice.dsr.execute import Erase, Hubs, run
from frontoffice.dsr.masking import keyed_hash, mask
from frontoffice.dsr.model import CLOSED, DsrError, DsrRequest, Kind, Status, VerificationFailed, WrongState
from frontoffice.dsr.notify import Notifier, token_message
from frontoffice.dsr.options import validate_details
from frontoffice.dsr.store import DsrStore
from frontoffice.dsr.tokens import check, new_token, token_hash
from frontoffice.errors import NotFound
from frontoffice.identity.extract import normalise_identifier
from frontoffice.identity.service import parse_kind
from frontoffice.identity.store import IdentitySql
from frontoffice.normalise import Invalid
from frontoffice.storage.sql import SqlStore

NO_VERIFIED_CONTACT = (
    "no verified contact: ask the person to verify their email or phone (confirm the address with "
    "the brand, whose server-side system then sends an identify with emailVerified: true or an "
    "'Email Verified' event; a web or app key's claim does not count), then open the request again")


@dataclass(frozen=True, slots=True)
class Opened:
    request: DsrRequest
    delivered: str | None  # where the notifier put the token (e.g. "dsr_outbox message 7"), None if refused


def require(store: SqlStore, ws: str, request_id: str) -> DsrRequest:
    found = None if "\x00" in request_id or len(request_id) > 64 else DsrStore(store).get(ws, request_id)
    if found is None:
        raise NotFound(f"No data-subject request {request_id!r}; list them with `frontoffice dsr list`.")
    return found


def open_request(store: SqlStore, ws: str, kind: Kind, id_kind: str, id_value: str, *,
                 details: Mapping[str, Any] | None, actor: str, now: datetime, config: DsrConfig,
                 notifier: Notifier) -> Opened:
    """Find the person by one identifier, open the request with its region deadline, and send a
    token to a verified contact of that person (the requester's own identifier only if verified)."""
    now = now.replace(microsecond=now.microsecond // 1000 * 1000)  # as stored: milliseconds
    parsed = parse_kind(id_kind)
    if "\x00" in id_value or len(id_value) > 320:
        raise DsrError(f"That {id_kind} is not an identifier (NUL character or over 320 characters).")
    normalised = normalise_identifier(parsed, id_value)
    if isinstance(normalised, Invalid):
        raise DsrError(f"{id_kind} {id_value!r} cannot identify anyone ({normalised.reason.value}); "
                       "ask for the identifier the person uses with the brand.")
    value = normalised.value
    found = IdentitySql(store).lookup(ws, parsed.value, value)
    if not found:
        raise NotFound(f"Nobody is known by that {id_kind}; no personal data is held under it "
                       "(has `frontoffice resolve` run since it arrived?).")
    if len(found) > 1:
        raise DsrError(f"That {id_kind} belongs to {len(found)} people; ask for another identifier.")
    checked = validate_details(kind, details or {})
    facts = person_facts(store, ws, found[0], config.verification_channels)
    region = facts.region
    rule = pack_for(region.region).dsr
    request = DsrRequest(
        id="dsr_" + new_id(), workspace_id=ws, kind=kind, status=Status.OPEN, person_id=found[0],
        requester_kind=parsed.value, requester_masked=mask(parsed.value, value), contact_kind=None,
        contact_masked=None, region=region.region, region_reason=region.reason, opened_at=now,
        due_at=due_date(now, rule), extended_due_at=None, extension_reason=None, verified_at=None,
        closed_at=None, reason=None, details=checked, outcome=None)
    sql = DsrStore(store)
    salt = ConsentStore(store).salt(ws)
    sql.insert(request, keyed_hash(parsed.value, value, salt), actor,
               {"kind": kind.value, "requester": f"{parsed.value}:{request.requester_masked}",
                "region": region.region, "due_at": request.due_at.isoformat(),
                "deadline_rule": f"{rule.deadline_days} {'business' if rule.business_days else 'calendar'} "
                                 "days"})
    requester = (parsed.value, value)
    contacts = facts.verified_contacts()
    ignored = {f"{k}:{mask(k, v)}": why for (k, v), why in sorted(facts.ignored.items())}
    if not contacts:
        rejected = replace(request, status=Status.REJECTED, closed_at=now, reason=NO_VERIFIED_CONTACT)
        sql.update(rejected, actor, now, "rejected",
                   {"reason": NO_VERIFIED_CONTACT, **({"ignored_claims": ignored} if ignored else {})})
        return Opened(rejected, None)
    contact = requester if requester in facts.verified else contacts[0]
    token = new_token()
    expires = now + config.token_ttl
    sql.set_token(ws, request.id, token_hash(request.id, token), expires, now)
    where = notifier.send(ws, request.id, contact[0], contact[1],
                          token_message(kind.value, request.id, token, expires), now)
    sent = replace(request, status=Status.VERIFICATION_SENT, contact_kind=contact[0],
                   contact_masked=mask(*contact))
    sql.update(sent, actor, now, "token_sent",
               {"to": f"{contact[0]}:{sent.contact_masked}", "via": where,
                "rerouted": contact != requester, "verified_by": facts.verified[contact],
                "expires_at": expires.isoformat(), **({"ignored_claims": ignored} if ignored else {})})
    return Opened(sent, where)


def verify(store: SqlStore, ws: str, request_id: str, token: str, *, actor: str, now: datetime,
           config: DsrConfig) -> DsrRequest:
    """Check the token; a wrong one counts an attempt, an expired one expires the request, the last
    allowed wrong one rejects it. Raises :class:`VerificationFailed` with the reason."""
    sql = DsrStore(store)
    request = require(store, ws, request_id)
    if request.status is not Status.VERIFICATION_SENT:
        raise WrongState(f"Request {request_id} is {request.status.value}; only a request waiting for its "
                         "token (verification_sent) can be verified.")
    stored = sql.token(ws, request_id)
    try:
        check(stored, request_id, token, now, config.max_attempts)
    except VerificationFailed as exc:
        if stored is not None and stored.used_at is None:
            sql.count_attempt(ws, request_id)
        attempts = (stored.attempts + 1) if stored else 0
        if stored is not None and now > stored.expires_at:
            closed = replace(request, status=Status.EXPIRED, closed_at=now, reason=str(exc))
            sql.update(closed, actor, now, "expired", {"reason": str(exc)})
        elif attempts >= config.max_attempts:
            closed = replace(request, status=Status.REJECTED, closed_at=now, reason=str(exc))
            sql.update(closed, actor, now, "verification_failed", {"reason": str(exc), "locked": True})
        else:
            sql.audit(ws, request_id, now, actor, "verification_failed", {"reason": str(exc)})
        raise
    if not sql.use_token(ws, request_id, now):
        sql.audit(ws, request_id, now, actor, "verification_failed", {"reason": "token already used"})
        raise VerificationFailed("This token was already used; a token works once.")
    verified = replace(request, status=Status.VERIFIED, verified_at=now)
    sql.update(verified, actor, now, "verified", {"to": f"{request.contact_kind}:{request.contact_masked}"})
    return verified


def execute(store: SqlStore, ws: str, request_id: str, *, hubs: Hubs, actor: str, now: datetime,
            erase: Erase | None = None) -> DsrRequest:
    """Carry out a verified request (see :mod:`frontoffice.dsr.execute`); the request is completed
    with its outcome, the token message is dropped from the outbox."""
    request = require(store, ws, request_id)
    if request.status is not Status.VERIFIED:
        raise WrongState(f"Request {request_id} is {request.status.value}; only a verified request can be "
                         "executed (verify its token first).")
    person_id = IdentitySql(store).resolve_id(ws, request.person_id)
    if person_id is None:
        raise DsrError(f"Person {request.person_id} of request {request_id} no longer exists (erased or "
                       "split since); reject the request with that reason or open a new one.")
    outcome = run(store, hubs, request, person_id, actor, now, erase)
    done = replace(request, status=Status.COMPLETED, closed_at=now, outcome=outcome,
                   details={} if request.kind is Kind.RECTIFICATION else request.details)
    sql = DsrStore(store)
    sql.update(done, actor, now, "executed", {"kind": request.kind.value, "person_id": person_id,
                                              **{k: v for k, v in outcome.items() if k != "report"}})
    sql.purge_messages(ws, [request_id])
    return done


def extend(store: SqlStore, ws: str, request_id: str, reason: str, *, actor: str,
           now: datetime) -> DsrRequest:
    request = require(store, ws, request_id)
    if request.status in CLOSED:
        raise WrongState(f"Request {request_id} is {request.status.value}; a closed request has no deadline.")
    if "\x00" in reason or len(reason) > 1000:
        raise DsrError("The reason must be text of at most 1000 characters.")
    rule = pack_for(request.region).dsr
    new_due = extended_due_date(request.due_at, rule, request.region, reason,
                                request.extended_due_at is not None)
    extended = replace(request, extended_due_at=new_due, extension_reason=reason.strip())
    DsrStore(store).update(extended, actor, now, "extended", {"reason": reason.strip(),
                                                             "due_at": new_due.isoformat()})
    return extended


def expire_stale(store: SqlStore, ws: str, *, actor: str, now: datetime) -> list[str]:
    """Requests whose token ran out unused become ``expired``; returns their ids."""
    sql = DsrStore(store)
    done = []
    for request in sql.requests(ws, Status.VERIFICATION_SENT.value, limit=100_000):
        stored = sql.token(ws, request.id)
        if stored is not None and now > stored.expires_at:
            reason = f"the token expired at {stored.expires_at.isoformat()} unused"
            sql.update(replace(request, status=Status.EXPIRED, closed_at=now, reason=reason), actor, now,
                       "expired", {"reason": reason})
            done.append(request.id)
    return done


def list_requests(store: SqlStore, ws: str, *, now: datetime, status: str | None = None,
                  overdue: bool = False) -> list[DsrRequest]:
    if status is not None and status not in {s.value for s in Status}:
        raise DsrError(f"Unknown status {status!r}; use one of: {', '.join(s.value for s in Status)}.")
    found = DsrStore(store).requests(ws, status, limit=100_000)
    return [r for r in found if r.overdue(now)] if overdue else found


def download(store: SqlStore, ws: str, request_id: str, fmt: str, *, actor: str, now: datetime) -> bytes:
    request = require(store, ws, request_id)
    if fmt not in ("json", "html"):
        raise DsrError(f"Unknown artefact format {fmt!r}; use json or html.")
    content = DsrStore(store).artefact(ws, request_id, fmt)
    if content is None:
        raise NotFound(f"Request {request_id} ({request.kind.value}, {request.status.value}) has no {fmt} "
                       "artefact; access and portability requests have one once executed.")
    DsrStore(store).audit(ws, request_id, now, actor, "artefact_downloaded", {"format": fmt,
                                                                            "bytes": len(content)})
    return content
