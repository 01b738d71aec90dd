"""Pydantic models that document the API in OpenAPI (the collector parses bodies itself)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


def error_responses(described: dict[int, str]) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses=`` for a router: each status documented with the JSON error body."""
    return {code: {"model": ErrorBody, "description": text} for code, text in described.items()}


class ErrorBody(BaseModel):
    code: str = Field(description="Machine-readable error code.")
    message: str = Field(description="What went wrong and what to do next.")
    rejected: list[RejectedEvent] | None = None


class RejectedEvent(BaseModel):
    index: int
    messageId: str | None
    reason: str


class CollectorResponse(BaseModel):
    success: Literal[True] = True
    accepted: int = Field(description="Events stored by this request.")
    duplicates: int = Field(description="Events already stored earlier (same source and messageId).")
    rejected: list[RejectedEvent] = Field(description="Invalid events, quarantined with a reason.")


_ID = str | int


class SegmentEvent(BaseModel):
    """One event of the Segment tracking spec; unknown fields are kept as sent."""

    model_config = ConfigDict(extra="allow")
    type: Literal["identify", "track", "page", "screen", "group", "alias"] | None = None
    userId: _ID | None = None
    anonymousId: _ID | None = None
    previousId: _ID | None = None
    groupId: _ID | None = None
    messageId: str | None = None
    event: str | None = None
    name: str | None = None
    properties: dict[str, Any] | None = None
    traits: dict[str, Any] | None = None
    context: dict[str, Any] | None = None
    integrations: dict[str, Any] | None = None
    timestamp: str | None = Field(default=None, description="ISO-8601; used as is when sent.")
    originalTimestamp: str | None = None
    sentAt: str | None = None
    writeKey: str | None = None


class SegmentBatch(BaseModel):
    model_config = ConfigDict(extra="allow")
    batch: list[SegmentEvent]
    context: dict[str, Any] | None = None
    integrations: dict[str, Any] | None = None
    sentAt: str | None = None
    writeKey: str | None = None


class WorkspaceIn(BaseModel):
    name: str
    region: str = "GLOBAL"
    data_location: str | None = Field(
        default=None, description="ISO country where its data is stored; a region with local residency "
                                  "(RU, CN) needs a storage there (setting storage_locations).")


class WorkspaceOut(BaseModel):
    id: str
    name: str
    region: str
    status: str
    created_at: str


class SourceIn(BaseModel):
    name: str
    channel: str
    write_key: str | None = Field(default=None, description="Keep an existing SDK's write key.")
    trust: str | None = Field(default=None, description=(
        "'client' when the key ships to browsers or devices (its events never prove an email or "
        "phone), 'server' when it stays on servers. Default: client for web, app, chat and social, "
        "server for every other channel."))


class SourceOut(BaseModel):
    id: str
    workspace_id: str
    name: str
    channel: str
    trust: str
    key_hint: str
    status: str
    created_at: str
    write_key: str | None = Field(default=None, description="Shown once, when created.")


class TokenIn(BaseModel):
    name: str
    scopes: list[str]
    value: str | None = Field(default=None, description=(
        "Keep a token value existing scripts already use (at least 16 characters); "
        "default: a new random one."))


class TokenOut(BaseModel):
    id: str
    workspace_id: str | None
    name: str
    scopes: list[str]
    key_hint: str
    status: str
    created_at: str
    token: str | None = Field(default=None, description="Shown once, when created.")


class EventOut(BaseModel):
    seq: int
    source_id: str
    message_id: str
    family: str
    type: str
    event: str | None
    user_id: str | None
    anonymous_id: str | None
    timestamp: str
    received_at: str
    payload: dict[str, Any]


class LogOut(BaseModel):
    events: int = Field(description="Events stored in the workspace's log.")
    quarantined: int = Field(description="Inputs refused in bulk and kept aside with their reason.")
    last_seq: int = Field(description="The newest event's seq (0: none yet).")


class EventPage(BaseModel):
    events: list[EventOut]
    next_after: int | None = Field(description="Pass as ?after= for the next page; null at the end.")


class QuarantineOut(BaseModel):
    id: int
    source_id: str
    origin: str
    reference: str
    message_id: str | None
    reason: str
    payload: str
    received_at: str


class QuarantinePage(BaseModel):
    entries: list[QuarantineOut]
    next_after: int | None
