"""The request, its kinds and states, and the errors of the DSR use cases. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from frontoffice.errors import FrontofficeError


class Kind(StrEnum):
    ACCESS = "access"
    PORTABILITY = "portability"
    ERASURE = "erasure"
    RECTIFICATION = "rectification"
    RESTRICTION = "restriction"
    OBJECTION = "objection"


class Status(StrEnum):
    OPEN = "open"
    VERIFICATION_SENT = "verification_sent"
    VERIFIED = "verified"
    COMPLETED = "completed"
    REJECTED = "rejected"
    EXPIRED = "expired"


CLOSED = frozenset({Status.COMPLETED, Status.REJECTED, Status.EXPIRED})


class DsrError(FrontofficeError):
    code = "dsr_error"
    status = 400


class VerificationFailed(DsrError):
    """A wrong, expired, used or locked token; the message says which and what to do."""

    code = "verification_failed"
    status = 403


class WrongState(DsrError):
    code = "wrong_state"
    status = 409


def parse_kind(value: str) -> Kind:
    try:
        return Kind(value)
    except ValueError:
        raise DsrError(f"Unknown request kind {value!r}; use one of: "
                       f"{', '.join(k.value for k in Kind)}.") from None


@dataclass(frozen=True, slots=True)
class DsrRequest:
    id: str
    workspace_id: str
    kind: Kind
    status: Status
    person_id: str
    requester_kind: str
    requester_masked: str
    contact_kind: str | None  # where the token went (kind and masked value)
    contact_masked: str | None
    region: str
    region_reason: str
    opened_at: datetime
    due_at: datetime
    extended_due_at: datetime | None
    extension_reason: str | None
    verified_at: datetime | None
    closed_at: datetime | None
    reason: str | None  # why it was rejected or expired
    details: dict[str, Any]
    outcome: dict[str, Any] | None

    @property
    def deadline(self) -> datetime:
        return self.extended_due_at or self.due_at

    def overdue(self, now: datetime) -> bool:
        return self.status not in CLOSED and now > self.deadline

    def as_dict(self, now: datetime) -> dict[str, Any]:
        """The request as the API and CLI show it: contacts masked, no token, no plaintext PII."""
        def t(value: datetime | None) -> str | None:
            return value.isoformat() if value else None

        return {
            "id": self.id, "kind": self.kind.value, "status": self.status.value,
            "person_id": self.person_id, "requester": f"{self.requester_kind}:{self.requester_masked}",
            "token_sent_to": f"{self.contact_kind}:{self.contact_masked}" if self.contact_kind else None,
            "region": self.region, "region_reason": self.region_reason, "opened_at": t(self.opened_at),
            "due_at": t(self.due_at), "extended_due_at": t(self.extended_due_at),
            "extension_reason": self.extension_reason, "deadline": t(self.deadline),
            "overdue": self.overdue(now), "verified_at": t(self.verified_at),
            "closed_at": t(self.closed_at), "reason": self.reason, "outcome": self.outcome,
        }
