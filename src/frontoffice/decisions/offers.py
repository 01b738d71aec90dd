"""Next-best-action's port for other capabilities: decide the best actions for a person on a
channel and log the decision (it counts towards the caps and contact policy like any other).
Segments' moments use it to offer an action when a moment comes."""

from __future__ import annotations

from datetime import datetime

from frontoffice.decisions.arbiter import Arbiter
from frontoffice.decisions.decide import Ask, decide
from frontoffice.decisions.wiring import wire
from frontoffice.settings import Settings
from frontoffice.storage.sql import SqlStore


class DecisionOffers:
    def __init__(self, store: SqlStore, settings: Settings, n: int = 1) -> None:
        self._wired = wire(store, settings)
        self._arbiter = Arbiter(lambda _: self._wired.store)
        self._contacts, self._n = settings.decisions_contacts_per_day, n

    def offer(self, ws: str, person_id: str, channel: str, placement: str,
              now: datetime) -> tuple[str, list[str]]:
        """(decision id, the action ids chosen); ``NotFound`` for an unknown person."""
        found = decide(self._wired.ports, self._arbiter, ws, Ask(person_id, channel, placement, self._n), now,
                       self._contacts, record=True)
        return str(found["decision_id"]), [str(a["action_id"]) for a in found["actions"]]
