"""The insights of one storage with the other capabilities' ports they read and write: the
decisions' ``DecisionLog`` (next-best-action acceptance), implemented by the decisions
capability's store, and the inbox's tasks a new flag opens (unless ``insights_open_tasks`` is off)."""

from __future__ import annotations

from frontoffice.decisions.store import DecisionsStore
from frontoffice.inbox.tasks import InboxTasks
from frontoffice.insights.projector import InsightsHub
from frontoffice.settings import Settings
from frontoffice.storage.sql import SqlStore


def hub(store: SqlStore, settings: Settings) -> InsightsHub:
    tasks = InboxTasks(store) if settings.insights_open_tasks else None
    return InsightsHub(store, DecisionsStore(store), tasks)
