"""Request bodies of the decisions API."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from frontoffice.decisions.catalogue import ID

TEXT = r"^[^\x00]{1,200}$"


class DecideIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    person_id: str = Field(pattern=TEXT, description="A person id (merged ids are followed).")
    channel: str = Field(pattern=r"^[a-z][a-z0-9_]{0,31}$", description="web, app, email, ...")
    placement: str = Field("default", pattern=TEXT, description="Where it is shown (home, cart).")
    n: int = Field(3, ge=1, le=50, description="How many ranked actions to return.")
    mode: str | None = Field(None, pattern="^(ship|boss|bopis|curbside|bodfs)$",
                             description="Fulfilment mode stock is checked for (default: the "
                                         "person's preferred one, else ship).")
    near: str | None = Field(None, pattern=TEXT, description="Location for store modes (default: "
                                                              "the person's preferred store).")


class OutcomeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision_id: str = Field(pattern=TEXT)
    action_id: str | None = Field(None, pattern=ID, description="Default: the first action shown.")
    kind: str = Field(pattern=r"^[a-z][a-z0-9_]{0,31}$",
                      description="click, purchase, kept, returned, dismissed, or your own with "
                                  "a reward.")
    reward: float | None = Field(None, ge=-1000, le=1000)
    outcome_id: str | None = Field(None, pattern=TEXT, description="Idempotency key.")
