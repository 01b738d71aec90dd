"""Decisions and messages: two outbound paths whose only rule today is the consent gate.

A decision takes candidate actions (each with a purpose and a channel) for one person and
splits them into allowed and refused, every one with the gate's reason, all logged. A message
is queued in the outbox only when the gate allows its purpose on its channel and the person
holds an identifier for that channel; otherwise it is refused with a code and reason, logged.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import orjson

from frontoffice.consent.packs import RegionPack
from frontoffice.errors import InvalidInput
from frontoffice.identity.model import IdKind
from frontoffice.outbound.gate import Verdict
from frontoffice.outbound.lookup import OutboundGate
from frontoffice.outbound.store import Logged, OutboundStore, OutboxMessage
from frontoffice.storage.sql import SqlStore

MESSAGE_CHANNELS: Mapping[str, IdKind] = {"email": IdKind.EMAIL, "sms": IdKind.PHONE,
                                          "push": IdKind.DEVICE_ID}


@dataclass(frozen=True, slots=True)
class Candidate:
    action: str
    purpose: str
    channel: str


@dataclass(frozen=True, slots=True)
class DecisionResult:
    decision_id: str
    person: str
    region: str
    allowed: list[tuple[Candidate, Verdict]] = field(default_factory=list)
    refused: list[tuple[Candidate, Verdict]] = field(default_factory=list)


def decide(store: SqlStore, ws: str, person: str, candidates: Sequence[Candidate], now: datetime,
           packs: Mapping[str, RegionPack] | None = None) -> DecisionResult:
    gate = OutboundGate(store, ws, now, packs)
    decision_id = "dec_" + uuid.uuid4().hex
    verdicts = [(c, gate.check(person, c.purpose, c.channel)) for c in candidates]
    OutboundStore(store).log(ws, [Logged("decision", decision_id, c.action, c.purpose, c.channel, v)
                                  for c, v in verdicts])
    first = verdicts[0][1] if verdicts else None
    return DecisionResult(decision_id, first.person if first else person, first.region if first else "-",
                          [(c, v) for c, v in verdicts if v.allowed],
                          [(c, v) for c, v in verdicts if not v.allowed])


@dataclass(frozen=True, slots=True)
class MessageRequest:
    person: str
    channel: str
    purpose: str
    template_id: str
    variables: dict[str, Any] = field(default_factory=dict)
    message_id: str | None = None


@dataclass(frozen=True, slots=True)
class MessageResult:
    queued: bool
    code: str  # "queued", "duplicate", "consent_refused", "no_channel_identifier"
    message_id: str
    verdict: Verdict
    address: str | None = None


def _address(store: SqlStore, ws: str, verdict: Verdict, channel: str) -> str | None:
    kind = MESSAGE_CHANNELS[channel]
    rows = store.query("SELECT value FROM identity_index WHERE workspace_id = ? AND person_id = ? AND "
                       "kind = ? ORDER BY value", (ws, verdict.person, kind.value))
    return str(rows[0][0]) if rows else None


def send_message(store: SqlStore, ws: str, request: MessageRequest, now: datetime,
                 packs: Mapping[str, RegionPack] | None = None) -> MessageResult:
    """Queue the message if the gate allows it; the refusal otherwise. Either way it is logged."""
    try:
        orjson.dumps(request.variables)
    except orjson.JSONEncodeError as exc:
        raise InvalidInput(f"Message variables cannot be stored as JSON ({exc}); send strings, numbers "
                           "within 64 bits, booleans, lists and objects.") from None
    message_id = request.message_id or "msg_" + uuid.uuid4().hex
    action = f"message:{request.template_id}"
    out = OutboundStore(store)
    verdict = OutboundGate(store, ws, now, packs).check(request.person, request.purpose, request.channel)
    if not verdict.allowed:
        out.log(ws, [Logged("message", message_id, action, request.purpose, request.channel, verdict)])
        return MessageResult(False, "consent_refused", message_id, verdict)
    address = _address(store, ws, verdict, request.channel) if request.channel in MESSAGE_CHANNELS else None
    if address is None:
        kind = MESSAGE_CHANNELS.get(request.channel)
        missing = Verdict(False, f"the person has no {kind.value if kind else request.channel} identifier to "
                                 f"send a {request.channel} message to; refusing",
                          "channel/no-identifier", verdict.person, verdict.region)
        out.log(ws, [Logged("message", message_id, action, request.purpose, request.channel, missing)])
        return MessageResult(False, "no_channel_identifier", message_id, missing)
    logged = Logged("message", message_id, action, request.purpose, request.channel, verdict)
    message = OutboxMessage(message_id, verdict.person, request.channel, address, request.purpose,
                            request.template_id, request.variables, verdict.reason, verdict.rule)
    queued = out.enqueue(ws, message, logged)
    return MessageResult(queued, "queued" if queued else "duplicate", message_id, verdict, address)
