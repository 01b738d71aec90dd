"""The insights of one storage with the other capabilities' ports they read: the decisions'
``DecisionLog`` (next-best-action acceptance), implemented by the decisions capability's store."""

from __future__ import annotations

from frontoffice.decisions.store import DecisionsStore
from frontoffice.insights.projector import InsightsHub
from frontoffice.storage.sql import SqlStore


def hub(store: SqlStore) -> InsightsHub:
    return InsightsHub(store, DecisionsStore(store))
