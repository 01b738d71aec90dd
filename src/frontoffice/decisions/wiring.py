"""Decisions' parts on one storage: its store and the adapters onto the other capabilities."""

from __future__ import annotations

from dataclasses import dataclass

from frontoffice.commerce.store import CommerceStore
from frontoffice.decisions.adapters import (
    CommerceInteractions,
    CommercePrices,
    CommerceStock,
    PeopleCustomers,
    SegmentsMembership,
)
from frontoffice.decisions.affinity import Recommender
from frontoffice.decisions.consent_gate import GateConsent
from frontoffice.decisions.decide import DecidePorts
from frontoffice.decisions.group_log import GroupLog
from frontoffice.decisions.store import DecisionsStore
from frontoffice.identity.people_store import PeopleSql
from frontoffice.segments.membership import MembershipSql
from frontoffice.settings import Settings
from frontoffice.storage.sql import SqlStore


@dataclass(frozen=True, slots=True)
class Wired:
    store: DecisionsStore
    ports: DecidePorts
    interactions: CommerceInteractions


def wire(store: SqlStore, settings: Settings, group_commit: bool = False) -> Wired:
    """``group_commit``: ``decide`` logs through a writer thread (``group_log``), as a serving
    process does; a one-shot command logs in its own transaction."""
    own, cs, people = DecisionsStore(store), CommerceStore(store), PeopleSql(store)
    interactions = CommerceInteractions(people, cs)
    return Wired(own, DecidePorts(
        actions=own, log=GroupLog(own) if group_commit else own, customers=PeopleCustomers(people, cs),
        consent=GateConsent(store), stock=CommerceStock(cs),
        prices=CommercePrices(cs, settings.decisions_price_tolerance),
        segments=SegmentsMembership(MembershipSql(store)),
        affinity=Recommender(interactions)), interactions)
