"""The projection's ports on one storage: segments' tables, identity's ``People``, the log, and
consent read through the outbound gate (the one place consent decides who may be contacted);
and the worker's segments projection: memberships, then the moments they trigger, then the
delivery of the e-mail those queued."""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import UTC, datetime

from frontoffice.commerce.service import customer_facts, order_customers
from frontoffice.commerce.store import CommerceStore
from frontoffice.identity.people_store import PeopleSql
from frontoffice.identity.service import person_commerce_keys
from frontoffice.normalise.keys import normalise_identifier
from frontoffice.normalise.kinds import IdKind
from frontoffice.normalise.results import Normalised
from frontoffice.outbound.mail import Mailer, SmtpMailer, deliver
from frontoffice.outbound.store import gate_for, sql_ports
from frontoffice.segments import moments_service
from frontoffice.segments.moments_store import MomentsStore
from frontoffice.segments.projector import SegmentsProjector
from frontoffice.segments.store import SegmentsStore
from frontoffice.settings import Settings
from frontoffice.storage.sql import SqlStore


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


class SegmentsProjection:
    """What the worker runs for one storage (``Projection``): the projector, then the moments the
    new memberships trigger, then (with a mailer) the delivery of queued e-mail."""

    name = "segments"

    def __init__(self, store: SqlStore, mailer: Mailer | None,
                 clock: Callable[[], float] | None = None) -> None:
        self.store, self.mailer = store, mailer
        self.projector = projector_for(store, clock)

    def catch_up(self, ws: str, on_progress: Callable[[int], None] = lambda n: None) -> int:
        applied = self.projector.catch_up(ws, on_progress)
        fired = moments_service.run(MomentsStore(self.store), self.projector.data, self.projector.people,
                                    sql_ports(self.store), ws, self.projector.now())
        if self.mailer is not None:
            deliver(self.store, ws, self.mailer)
        return applied + len(fired)

    def rebuild(self, ws: str) -> int:
        """Replay the log; the memberships it re-enters trigger no moment a second time."""
        done = self.projector.rebuild(ws)
        MomentsStore(self.store).skip_history(ws)
        return done

    def due(self, ws: str) -> float | None:
        return self.projector.due(ws)
