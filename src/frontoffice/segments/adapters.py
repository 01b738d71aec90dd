"""The projection's ports on one storage: segments' tables, identity's ``People``, the log, and
consent read through the outbound gate (the one place consent decides who may be contacted);
and the worker's segments projection: memberships, then the moments they and events and dates
trigger, the audience syncs, then the delivery of the e-mail, SMS and push those queued."""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import UTC, datetime

from frontoffice.commerce.service import customer_facts, order_customers
from frontoffice.commerce.store import CommerceStore
from frontoffice.destinations.address import allowed_hosts
from frontoffice.identity.people_store import PeopleSql
from frontoffice.identity.service import person_commerce_keys
from frontoffice.normalise.keys import normalise_identifier
from frontoffice.normalise.kinds import IdKind
from frontoffice.normalise.results import Normalised
from frontoffice.outbound import provider as sms_push
from frontoffice.outbound.mail import Mailer, SmtpMailer, deliver
from frontoffice.outbound.store import gate_for, sql_ports
from frontoffice.segments import audience, moments_service
from frontoffice.segments.hooks import DestinationWebhooks
from frontoffice.segments.moment_actions import ActionPorts, Offers, Tasks
from frontoffice.segments.moments_store import MomentsStore
from frontoffice.segments.projector import SegmentsProjector
from frontoffice.segments.store import SegmentsStore
from frontoffice.settings import Settings
from frontoffice.storage.sql import SqlStore

SCHEDULE_EVERY_S = 60.0  # how often the worker looks for people whose date moments have no date yet


class GateConsent:
    """``ports.ConsentCheck`` on the outbound gate: fails closed (a gate error is a refusal)."""

    def __init__(self, store: SqlStore) -> None:
        self._store = store

    def allowed(self, ws: str, person_ids: Collection[str], consents: Collection[tuple[str, str]],
                now_ms: int) -> dict[str, set[tuple[str, str]]]:
        gate = gate_for(self._store, ws, datetime.fromtimestamp(now_ms / 1000, UTC))
        refs = [f"person:{p}" for p in person_ids]
        gate.prefetch(refs)
        return {p: {(purpose, channel) for purpose, channel in consents
                    if gate.check(f"person:{p}", purpose, channel).allowed} for p in person_ids}


class CommerceFacts:
    """``ports.CommerceCheck`` on commerce's port (``CommerceState``): a person's customer keys are
    made from their identifiers as the golden record's commerce traits make them."""

    def __init__(self, store: SqlStore) -> None:
        self._commerce = CommerceStore(store)

    def facts(self, ws: str, identifiers: Mapping[str, Sequence[tuple[str, str]]]
              ) -> dict[str, dict[str, str]]:
        out: dict[str, dict[str, str]] = {}
        for pid, held in identifiers.items():
            found = customer_facts(self._commerce, ws, person_commerce_keys(held))
            facts = {f"commerce:bought_category:{c}": "1" for c in found.categories}
            if found.open_returns:
                facts["commerce:open_return"] = ", ".join(found.open_returns)
            if found.late_deliveries:
                facts["commerce:late_delivery"] = ", ".join(found.late_deliveries)
            if facts:
                out[pid] = facts
        return out

    def buyers(self, ws: str, order_ids: Collection[str]) -> dict[str, list[tuple[str, str]]]:
        out: dict[str, list[tuple[str, str]]] = {}
        for order_id, customer in order_customers(self._commerce, ws, sorted(order_ids)).items():
            found = [(IdKind.ORDER_REF.value, order_id)]
            for kind in (IdKind.USER_ID, IdKind.EMAIL, IdKind.PHONE):
                raw = customer.get(kind.value)
                if isinstance(raw, str) and isinstance(done := normalise_identifier(kind, raw), Normalised):
                    found.append((kind.value, done.value))
            out[order_id] = found
        return out


def projector_for(store: SqlStore, clock: Callable[[], float] | None = None) -> SegmentsProjector:
    """The segments projection of ``store`` (``clock``: seconds since the epoch, ``time.time``)."""
    ports = (SegmentsStore(store), store, PeopleSql(store), GateConsent(store))
    return SegmentsProjector(*ports, clock or time.time, CommerceFacts(store))


def mailer_from(settings: Settings) -> Mailer | None:
    if not settings.smtp_host:
        return None
    return SmtpMailer(settings.smtp_host, settings.smtp_port, settings.smtp_sender)


def provider_from(settings: Settings) -> sms_push.HttpProvider | None:
    if not settings.message_provider_url or not settings.message_provider_secret:
        return None
    return sms_push.HttpProvider(settings.message_provider_url, settings.message_provider_secret,
                                 settings.message_provider_callback_url)


def action_ports(store: SqlStore, settings: Settings, tasks: Tasks | None = None,
                 offers: Offers | None = None) -> ActionPorts:
    """What moments act through on ``store``: the outbound gate and outbox, webhook destinations,
    and (wired by the capability) the inbox's tasks and next-best-action's offers."""
    webhooks = DestinationWebhooks(store, allowed_hosts(settings.destinations_allow_hosts),
                                   settings.destinations_read_timeout_seconds)
    return ActionPorts(sql_ports(store), webhooks, tasks, offers)


class SegmentsProjection:
    """What the worker runs for one storage (``Projection``): the projector, then the moments the
    new memberships, events and dates trigger, the audience syncs, then (with a mailer, a
    provider) the delivery of queued e-mail, SMS and push."""

    name = "segments"
    reads = None  # also identity's merges, and time (windows, moments, deliveries)

    def __init__(self, store: SqlStore, mailer: Mailer | None, clock: Callable[[], float] | None = None,
                 actions: ActionPorts | None = None, provider: sms_push.HttpProvider | None = None) -> None:
        self.store, self.mailer, self.provider = store, mailer, provider
        self.actions = actions or ActionPorts(sql_ports(store))
        self.projector = projector_for(store, clock)
        self.moments = MomentsStore(store)
        self._scheduled: dict[str, float] = {}  # when each workspace's new dates were last looked for
        self._unscheduled: set[str] = set()  # workspaces that changed since (a look is owed)

    def catch_up(self, ws: str, on_progress: Callable[[int], None] = lambda n: None) -> int:
        applied = self.projector.catch_up(ws, on_progress)
        now_ms = self.projector.now()
        data, people = self.projector.data, self.projector.people
        schedule = time.monotonic() - self._scheduled.get(ws, -SCHEDULE_EVERY_S) >= SCHEDULE_EVERY_S
        if schedule:
            self._scheduled[ws] = time.monotonic()
            self._unscheduled.discard(ws)
        else:
            self._unscheduled.add(ws)
        fired = moments_service.run(self.moments, data, people, self.actions, ws, now_ms, schedule)
        synced = audience.sync(self.moments, data, self.actions, ws, now_ms)
        if self.mailer is not None:
            deliver(self.store, ws, self.mailer)
        if self.provider is not None:
            sms_push.deliver(self.store, ws, self.provider)
        return applied + len(fired) + len(synced)

    def rebuild(self, ws: str) -> int:
        """Replay the log; the memberships it re-enters trigger no moment a second time."""
        done = self.projector.rebuild(ws)
        MomentsStore(self.store).skip_history(ws)
        return done

    def due(self, ws: str) -> float | None:
        """The projector's next instant, or a date moment's or a deferred firing's, or the next look
        for new dates when one was skipped, whichever is earliest."""
        owed = self._scheduled[ws] + SCHEDULE_EVERY_S if ws in self._unscheduled else None
        found = [t for t in (self.projector.due(ws), self._moments_due(ws), owed) if t is not None]
        return min(found) if found else None

    def _moments_due(self, ws: str) -> float | None:
        next_ms = self.moments.next_due(ws)
        if next_ms is None:
            return None
        return time.monotonic() + max(0.0, next_ms / 1000 - self.projector.clock())
