"""The inbox API's request bodies and access (its routes: ``tickets_api``, ``desk_api``,
``webhooks_api``; composed in ``api``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from frontoffice.api.access import require
from frontoffice.domain.tenancy import Scope, Workspace
from frontoffice.inbox.deps import Desk
from frontoffice.inbox.ports import Ticket

DeskOf = Callable[[Workspace], Desk]

Reader = Annotated[Workspace, require(Scope.EVENTS_READ)]
Writer = Annotated[Workspace, require(Scope.EVENTS_WRITE)]
Text = Annotated[str, Field(min_length=1, max_length=20_000)]


class InboxMessageIn(BaseModel):
    channel: Literal["chat", "phone", "marketplace", "social", "api"] = "api"
    sender_kind: Literal["email", "phone", "marketplace_buyer", "chat", "social"]
    sender: Annotated[str, Field(min_length=1, max_length=320)]
    sender_name: str = ""
    subject: str = ""
    text: Text
    message_id: str | None = Field(default=None, max_length=256,
                                   description="Your id for the message; a retry with it is stored once.")
    ticket_id: str | None = Field(default=None, description="Add to this ticket instead of threading.")


class InboxReplyIn(BaseModel):
    agent: Annotated[str, Field(min_length=1, max_length=100)]
    text: str | None = Field(default=None, max_length=20_000)
    macro: str | None = None
    status: str | None = None


class InboxNoteIn(BaseModel):
    author: Annotated[str, Field(min_length=1, max_length=100)]
    text: Text


class InboxChangeIn(BaseModel):
    by: str = "api"
    status: str | None = None
    priority: str | None = None
    team: str | None = None
    tags_add: list[str] = Field(default_factory=list)
    tags_remove: list[str] = Field(default_factory=list)


class InboxAssignIn(BaseModel):
    agent_id: str | None = Field(default=None, description="Unset: routing picks and says why.")
    by: str = "api"


class InboxRatingIn(BaseModel):
    score: Annotated[int, Field(ge=1, le=5)]
    comment: str = Field(default="", max_length=2000)


class InboxReturnIn(BaseModel):
    order_id: str
    lines: list[dict[str, Any]] = Field(min_length=1, description='[{"line_no": 1, "qty": 1}]')
    reason: Annotated[str, Field(min_length=1, max_length=100)]
    agent: str = "api"


class InboxAgentIn(BaseModel):
    name: str | None = None
    team: str | None = None
    languages: list[str] | None = None
    categories: list[str] | None = None
    channels: list[str] | None = None
    vip: bool | None = None
    lead: bool | None = Field(default=None, description="A lead: escalations go to the team's leads.")
    capacity: Annotated[int, Field(ge=0, le=1000)] | None = None
    presence: Literal["online", "away", "offline"] | None = None


class InboxMacroIn(BaseModel):
    bodies: dict[str, str] = Field(description='Text per language: {"en": "Hi {{customer.name}}, …"}')
    actions: dict[str, Any] = Field(default_factory=dict, description='e.g. {"status": "pending"}')


class InboxCorrectionIn(BaseModel):
    by: str = "api"
    category: str | None = None
    sentiment: str | None = None
    language: str | None = None


class InboxArticleIn(BaseModel):
    language: Annotated[str, Field(min_length=2, max_length=8)]
    title: Annotated[str, Field(min_length=1, max_length=300)]
    body: Annotated[str, Field(min_length=1, max_length=50_000)]


class InboxTextsIn(BaseModel):
    texts: list[Text] = Field(min_length=1, max_length=500)


class InboxCancelIn(BaseModel):
    reason: Annotated[str, Field(min_length=1, max_length=100)]
    agent: str = "api"


class InboxResendIn(BaseModel):
    agent: str = "api"


class InboxPolicyIn(BaseModel):
    priority: Literal["low", "normal", "high", "urgent"] | None = Field(
        default=None, description="Unset: every priority.")
    channel: Literal["email", "chat", "phone", "marketplace", "social", "api"] | None = Field(
        default=None, description="Unset: every channel.")
    segment: str | None = Field(default=None, description="A segment the customer is in (unset: anyone).")
    first_response_hours: Annotated[float, Field(gt=0, le=10_000)]
    next_response_hours: Annotated[float, Field(gt=0, le=10_000)]
    resolution_hours: Annotated[float, Field(gt=0, le=100_000)]


class InboxCalendarIn(BaseModel):
    timezone: str = Field(description="IANA time zone, e.g. Europe/Berlin.")
    country: str | None = Field(default=None, description="ISO 3166 country whose public holidays close.")
    subdivision: str | None = Field(default=None, description="Its region's holidays too (DE: BY).")
    hours: str = Field(default="09:00-17:00", description="Working hours, HH:MM-HH:MM.")
    weekdays: list[Annotated[int, Field(ge=0, le=6)]] = Field(default=[0, 1, 2, 3, 4],
                                                              description="0 is Monday.")
    teams: list[str] = Field(default_factory=list, description="The teams working on this calendar.")


def ticket_json(t: Ticket) -> dict[str, Any]:
    return asdict(t)
