"""The action catalogue: what may be offered, to whom, where, when, how often, at what margin.

An action is one of five kinds (a product recommendation, an offer or promotion, content, a
service message, a loyalty reward). Each save is a new version; the newest version of an action
is the one decided with, and a retired action is never a candidate.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

KINDS = ("product", "offer", "content", "service", "loyalty")
ID = r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$"
NAME = r"^[a-z][a-z0-9_]{0,49}$"


class Caps(BaseModel):
    model_config = ConfigDict(extra="forbid")

    per_person: int | None = Field(default=None, ge=1, description="Times one person may be shown it "
                                   "within `window_days`.")
    window_days: int = Field(default=7, ge=1, le=365)
    total: int | None = Field(default=None, ge=1, description="Times it may be shown in all.")


class Action(BaseModel):
    """One action of the catalogue, as saved (each save is a new version)."""

    model_config = ConfigDict(extra="forbid")

    action_id: str = Field(pattern=ID)
    kind: Literal["product", "offer", "content", "service", "loyalty"]
    title: str = Field(min_length=1, max_length=200)
    purpose: str = Field("personalisation", pattern=NAME,
                         description="The consent purpose it is used for (service: essential).")
    channels: list[str] = Field(min_length=1, max_length=20,
                                description="Channels it may be shown on (web, app, email, ...).")
    product_id: str | None = Field(None, pattern=ID, description="The product it promotes.")
    skus: list[str] = Field(default_factory=list, max_length=200,
                            description="Variants that must be available to promise (any one).")
    category: str | None = Field(None, max_length=100)
    tags: list[str] = Field(default_factory=list, max_length=50)
    segment: str | None = Field(None, pattern=ID,
                                description="Eligibility: only members of this segment.")
    valid_from: datetime | None = None
    valid_to: datetime | None = None
    caps: Caps = Field(default_factory=Caps)
    value: float = Field(0.0, ge=0, description="Revenue when taken and kept.")
    margin: float = Field(1.0, ge=0, le=1, description="Share of `value` that is margin.")
    cost: float = Field(0.0, ge=0, description="Cost of making it (a discount, a reward).")

    @model_validator(mode="after")
    def _window(self) -> Action:
        if self.valid_from and self.valid_to and self.valid_to <= self.valid_from:
            raise ValueError("valid_to must come after valid_from")
        if self.kind in ("product", "offer") and not self.product_id and not self.skus:
            raise ValueError(f"a {self.kind} action names its product_id or skus, so stock and "
                             "price can be checked")
        return self

    def kept_value(self) -> float:
        """What it earns when taken and kept: margin on its value, less its cost."""
        return self.value * self.margin - self.cost
