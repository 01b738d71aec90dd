"""The delivery loop: read the log from each destination's cursor, gate, sign, POST, record.

Only events both projections (identity and consent) have already seen are delivered, so the
gate never judges an event before knowing whose it is. For every event that matches the
destination's filter the gate checks the destination's purpose on the ``webhook`` channel for
the event's person: a refusal is recorded with its reason and the event never leaves; an
allowed event is POSTed with an HMAC-SHA256 signature, retried with exponential backoff, and
dead-lettered after the destination's ``max_attempts``.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit, urlunsplit

import httpx
import orjson

from frontoffice.consent.packs import RegionPack
from frontoffice.consent.projector import CONSENT_FAMILY
from frontoffice.consent.store import ConsentStore
from frontoffice.destinations.address import Target, check
from frontoffice.destinations.store import CHANNEL, Delivery, Destination, DestinationStore
from frontoffice.domain.events import StoredEvent
from frontoffice.domain.tenancy import Status
from frontoffice.identity.store import IdentitySql
from frontoffice.outbound.store import gate_for
from frontoffice.storage.sql import SqlStore

SIGNATURE_HEADER = "X-Frontoffice-Signature"
PAGE_EVENTS = 500
TIMEOUT_S = 10.0
CONNECT_TIMEOUT_S = 3.0
BACKOFF_S = 0.5
NO_RETRY = frozenset(range(400, 500)) - {408, 425, 429}


def sign(secret: str, body: bytes) -> str:
    """``sha256=<hex HMAC-SHA256 of the body keyed by the secret>``, the value of the signature header."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


@dataclass
class RoundReport:
    destination: str
    delivered: int = 0
    refused: int = 0
    dead_letter: int = 0
    filtered: int = 0
    cursor_seq: int = 0
    reasons: dict[str, int] = field(default_factory=dict)  # gate rule → events refused under it
    examples: dict[str, str] = field(default_factory=dict)  # gate rule → the first reason given


def _matches(dest: Destination, event: StoredEvent) -> bool:
    """The destination's filter; consent-ledger events (proof records) never go to destinations."""
    r = event.record
    if r.family == CONSENT_FAMILY:
        return False
    if dest.event_types and r.type not in dest.event_types:
        return False
    return not (dest.event_names and (r.type != "track" or r.event not in dest.event_names))


def body_of(dest: Destination, event: StoredEvent) -> bytes:
    return orjson.dumps({"destination": dest.name, "purpose": dest.purpose, "seq": event.seq,
                         "messageId": event.record.message_id,
                         "event": orjson.Fragment(event.record.payload)})


def _pinned(url: str, target: Target) -> tuple[str, dict[str, str], dict[str, str]]:
    """``url`` with its host replaced by the checked address, the Host header and the TLS name
    that keep the receiver seeing its own name: the connection goes where the check looked."""
    parts = urlsplit(url)
    userinfo, at, host = parts.netloc.rpartition("@")
    ip = f"[{target.ip}]" if ":" in target.ip else target.ip
    netloc = userinfo + at + (f"{ip}:{parts.port}" if parts.port else ip)
    extensions = {"sni_hostname": target.host} if parts.scheme == "https" else {}
    return urlunsplit(parts._replace(netloc=netloc)), {"Host": host}, extensions


def post_body(client: httpx.Client, dest: Destination, target: Target, body: bytes, delivery_id: str,
              backoff_s: float, sleep: Callable[[float], object]) -> tuple[bool, int, int | None, str]:
    """POST ``body`` signed with the destination's secret, retried with backoff up to its
    ``max_attempts`` (a 4xx refusal is not retried): (delivered, attempts, last status, why it failed)."""
    url, host, extensions = _pinned(dest.url, target)
    headers = {"Content-Type": "application/json", SIGNATURE_HEADER: sign(dest.secret, body),
               "X-Frontoffice-Delivery": delivery_id, **host}
    status: int | None = None
    why = ""
    for attempt in range(1, dest.max_attempts + 1):
        try:
            response = client.post(url, content=body, headers=headers, extensions=extensions)
            status = response.status_code
            if 200 <= status < 300:
                return True, attempt, status, ""
            why = f"HTTP {status}"
            if status in NO_RETRY:
                return False, attempt, status, f"{why}: the receiver refused it; not retried"
        except httpx.HTTPError as exc:
            why = f"{type(exc).__name__}: {exc}"
        if attempt < dest.max_attempts:
            sleep(backoff_s * 2 ** (attempt - 1))
    return False, dest.max_attempts, status, f"{why} after {dest.max_attempts} attempts"


def projected_up_to(store: SqlStore, ws: str) -> int:
    """The last seq both the identity and the consent projection have applied."""
    return min(IdentitySql(store).checkpoint(ws)[0], ConsentStore(store).checkpoint(ws))


def deliver(store: SqlStore, dest: Destination, client: httpx.Client, now: datetime, *,
            packs: Mapping[str, RegionPack] | None = None, backoff_s: float = BACKOFF_S,
            sleep: Callable[[float], object] = time.sleep, page_events: int = PAGE_EVENTS,
            allow: frozenset[str] = frozenset()) -> RoundReport:
    """Deliver everything after the destination's cursor that the projections have seen. The
    URL's host is checked (and pinned) first: an internal address not in ``allow`` raises
    ``AddressRefused`` before anything is sent or the cursor moves."""
    report = RoundReport(dest.name, cursor_seq=dest.cursor_seq)
    if dest.status is not Status.ACTIVE:
        return report
    target: Target | None = None
    ds = DestinationStore(store)
    gate = gate_for(store, dest.workspace_id, now, packs)
    upto = projected_up_to(store, dest.workspace_id)
    cursor = dest.cursor_seq
    while cursor < upto:
        page = [e for e in store.events(dest.workspace_id, after_seq=cursor, limit=page_events)
                if e.seq <= upto]
        if not page:
            break
        wanted = [e for e in page if _matches(dest, e)]
        report.filtered += len(page) - len(wanted)
        rows: list[Delivery] = []
        for event, verdict in zip(wanted, gate.check_events(wanted, dest.purpose, CHANNEL), strict=True):
            if not verdict.allowed:
                report.refused += 1
                report.reasons[verdict.rule] = report.reasons.get(verdict.rule, 0) + 1
                report.examples.setdefault(verdict.rule, verdict.reason)
                rows.append(Delivery(event.seq, event.record.message_id, verdict.person, "refused",
                                     verdict.reason, verdict.rule, 0, None))
                continue
            target = target or check(dest.url, allow)  # once per round, only when there is a post
            ok, attempts, status, why = post_body(client, dest, target, body_of(dest, event),
                                                  f"{dest.id}:{event.seq}", backoff_s, sleep)
            report.delivered += ok
            report.dead_letter += not ok
            rows.append(Delivery(event.seq, event.record.message_id, verdict.person,
                                 "delivered" if ok else "dead_letter", verdict.reason if ok else why,
                                 verdict.rule, attempts, status))
        cursor = page[-1].seq
        ds.record(dest, rows, cursor)
    report.cursor_seq = cursor
    return report


def client(connect_s: float = CONNECT_TIMEOUT_S, read_s: float = TIMEOUT_S) -> httpx.Client:
    """A client whose every wait is bounded: a receiver that never accepts, or accepts and never
    answers, costs at most these seconds per attempt. Proxies from the environment are ignored
    (the address check is about where the connection goes)."""
    return httpx.Client(timeout=httpx.Timeout(read_s, connect=connect_s), trust_env=False)


def deliver_workspace(store: SqlStore, ws: str, now: datetime, *, timeout_s: float = TIMEOUT_S,
                      backoff_s: float = BACKOFF_S, packs: Mapping[str, RegionPack] | None = None,
                      allow: frozenset[str] = frozenset()) -> list[RoundReport]:
    """One round for every active destination of a workspace (the CLI's ``deliver --once``)."""
    dests = [d for d in DestinationStore(store).all(ws) if d.status is Status.ACTIVE]
    if not dests:
        return []
    with client(min(timeout_s, CONNECT_TIMEOUT_S), timeout_s) as http:
        return [deliver(store, d, http, now, packs=packs, backoff_s=backoff_s, allow=allow) for d in dests]
