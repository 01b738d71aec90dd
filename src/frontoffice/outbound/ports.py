"""What outbound's use cases need, as ports: identity's people (``identity.people.People``), the
consent each subject recorded, and outbound's own log and outbox. ``outbound.store`` implements
them on the database; ``tests/fakes/outbound.py`` in memory."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from frontoffice.consent.ledger import ConsentChange
from frontoffice.identity.people import People
from frontoffice.outbound.gate import Verdict


@dataclass(frozen=True, slots=True)
class Logged:
    """One gate verdict on one outbound path (a decision's action, or a message)."""

    path: str  # "decision" | "message"
    request_id: str
    action: str
    purpose: str
    channel: str
    verdict: Verdict


@dataclass(frozen=True, slots=True)
class OutboxMessage:
    message_id: str
    person_id: str
    channel: str
    address: str
    purpose: str
    template_id: str
    variables: dict[str, Any]
    reason: str
    rule: str


class Consents(Protocol):
    """Consent's records, read by subject key (``email:ann@x.com``, ``person_id:p_1``…)."""

    def subjects_as_of(self, ws: str, keys: Collection[str], up_to_seq: int
                       ) -> tuple[dict[str, list[ConsentChange]], dict[str, dict[str, str]]]:
        """Each subject's ledger changes up to a log seq, and the region evidence of those known."""
        ...

    def written_subjects(self, ws: str, kind: str) -> list[str]:
        """The ledger's subjects of ``kind`` as they were written (``email:Ann@X.com``)."""
        ...


class Suppressions(Protocol):
    """Privacy's suppression list: the identifiers of erased people."""

    def suppressed(self, ws: str, identifiers: Collection[str]) -> set[str]:
        """Which of the ``kind:value`` identifiers (as written) belong to an erased person."""
        ...


class OutboundLog(Protocol):
    """Every verdict of the gate on an outbound path, and the messages queued."""

    def log(self, ws: str, rows: Sequence[Logged]) -> None: ...

    def logged(self, ws: str, request_id: str | None = None) -> list[dict[str, Any]]: ...

    def enqueue(self, ws: str, message: OutboxMessage, logged: Logged) -> bool:
        """Queue the message and log its verdict together; False if its id was queued before."""
        ...

    def outbox(self, ws: str) -> list[dict[str, Any]]: ...


@dataclass(frozen=True, slots=True)
class OutboundPorts:
    people: People
    consents: Consents
    suppressions: Suppressions
    log: OutboundLog
