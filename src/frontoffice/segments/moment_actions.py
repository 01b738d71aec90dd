"""What a moment's firing does, once its cap and quiet hours let it: every action passes the
consent gate first (the moment's purpose on the action's channel, logged by outbound), then sends
a message, calls a webhook destination, opens a service task in the inbox, or asks
next-best-action to decide an offer. Each outcome is a ``Decision`` with its rule and reason, and
the reference of what it made (a message, a ticket, a decision)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from frontoffice.errors import NotFound
from frontoffice.outbound import service as outbound
from frontoffice.outbound.ports import OutboundPorts
from frontoffice.outbound.templates import render
from frontoffice.segments.moments import Action, Decision, Moment


class Webhooks(Protocol):
    """Webhook destinations (``frontoffice destinations``): their purpose, and a signed POST."""

    def purpose(self, ws: str, destination: str) -> str | None:
        """The destination's purpose; None when there is no active destination of that name."""
        ...

    def post(self, ws: str, destination: str, body: Mapping[str, Any], delivery_id: str) -> tuple[bool, str]:
        """POST ``body`` signed with the destination's secret, retried; (delivered, what happened)."""
        ...


class Tasks(Protocol):
    """The inbox: open a service task (a ticket) about a person."""

    def open(self, ws: str, person_id: str, key: str, subject: str, text: str, now: datetime) -> str:
        """Open the task once per ``key``; its ticket id."""
        ...


class Offers(Protocol):
    """Next-best-action: decide (and log) the best actions for a person on a channel."""

    def offer(self, ws: str, person_id: str, channel: str, placement: str,
              now: datetime) -> tuple[str, list[str]]:
        """(decision id, the action ids chosen)."""
        ...


@dataclass(frozen=True, slots=True)
class ActionPorts:
    outbound: OutboundPorts
    webhooks: Webhooks | None = None
    tasks: Tasks | None = None
    offers: Offers | None = None


@dataclass(frozen=True, slots=True)
class Firing:
    """One moment due for one person: why (``trigger``) and the message's variables."""

    moment: Moment
    person: str
    trigger: str
    variables: Mapping[str, Any]
    ref: str  # a stable id of this firing (the message id, the task's key)


def _unavailable(what: str) -> Decision:
    return Decision("refused", "action/unavailable", f"no {what} is configured in this process; "
                                                    "the worker wires it")


def _gate(ports: ActionPorts, ws: str, f: Firing, a: Action, purpose: str, now: datetime) -> Decision | None:
    candidate = outbound.Candidate(f"moment:{f.moment.name}:{a.kind}", purpose, a.channel)
    result = outbound.decide(ports.outbound, ws, f.person, [candidate], now)
    if result.refused:
        verdict = result.refused[0][1]
        return Decision("refused", verdict.rule, verdict.reason)
    return None


def act(ports: ActionPorts, ws: str, f: Firing, now_ms: int) -> tuple[Decision, str | None]:
    """Run the firing's action through the gate; its decision and what it made."""
    a, now = f.moment.action, datetime.fromtimestamp(now_ms / 1000, UTC)
    if a.kind == "send":
        result = outbound.send_message(ports.outbound, ws, outbound.MessageRequest(
            f.person, a.channel, a.purpose, a.template or "", dict(f.variables), f.ref), now)
        if result.queued:
            return Decision("fired", result.verdict.rule, f"{a.channel} message {result.code}"), f.ref
        return Decision("refused", result.verdict.rule, result.verdict.reason), f.ref
    if a.kind == "webhook":
        return _webhook(ports, ws, f, a, now)
    if a.kind == "task":
        if ports.tasks is None:
            return _unavailable("inbox"), None
        refused = _gate(ports, ws, f, a, a.purpose, now)
        if refused:
            return refused, None
        subject, text, _ = render(a.template or "", f.variables)
        ticket = ports.tasks.open(ws, f.person, f.ref, subject, text, now)
        return Decision("fired", "task/opened", f"service task {ticket} opened: {subject}"), ticket
    if ports.offers is None:
        return _unavailable("next-best-action"), None
    refused = _gate(ports, ws, f, a, a.purpose, now)
    if refused:
        return refused, None
    try:
        decision, chosen = ports.offers.offer(ws, f.person, a.offer_channel, a.placement, now)
    except NotFound as exc:
        return Decision("refused", "offer/unknown-person", str(exc)), None
    picked = ", ".join(chosen) or "no action (none eligible)"
    why = f"next-best-action decided {picked} on {a.offer_channel}"
    return Decision("fired", "offer/decided", why), decision


def _webhook(ports: ActionPorts, ws: str, f: Firing, a: Action, now: datetime) -> tuple[Decision, str | None]:
    hooks, name = ports.webhooks, a.destination or ""
    if hooks is None:
        return _unavailable("webhook delivery"), None
    purpose = hooks.purpose(ws, name)
    if purpose is None:
        return Decision("refused", "webhook/no-destination", f"no active destination {name!r}; create it "
                                                             "with `frontoffice destinations create`"), None
    refused = _gate(ports, ws, f, a, purpose, now)
    if refused:
        return refused, None
    body = {"moment": f.moment.name, "person_id": f.person, "trigger": f.trigger, "at": now.isoformat()}
    ok, what = hooks.post(ws, name, body, f.ref)
    if ok:
        return Decision("fired", "webhook/delivered", f"delivered to {name}: {what}"), f.ref
    return Decision("failed", "webhook/dead-letter", f"{name}: {what}"), f.ref
