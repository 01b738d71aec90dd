"""Consent: the ledger of choices per subject, their state, and person-level consent."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from frontoffice.capability import Capability, Purge, Report

if TYPE_CHECKING:
    from fastapi import APIRouter

    from frontoffice.bootstrap import Container, Hubs
    from frontoffice.consent.ledger import ConsentChange
    from frontoffice.dsr.report import PersonView
    from frontoffice.privacy.purge import Erasing
    from frontoffice.projection.contract import Projection
    from frontoffice.storage.sql import SqlStore

BY_PERSON = (("consent_person_state", "person_id"), ("consent_conflicts", "person_id"))
BY_SUBJECT = (("consent_state", "subject"), ("consent_subjects", "subject"))


def _routers(c: Container) -> list[APIRouter]:
    from frontoffice.consent.api import consent_router
    from frontoffice.consent.people_api import consent_people_router

    return [consent_people_router(c), consent_router(c)]  # people's before /consent/{subject}


def _projections(hubs: Hubs, store: SqlStore) -> list[Projection]:
    from frontoffice.consent.projector import CONSENT_FAMILY, TRACKING_FAMILY
    from frontoffice.projection.contract import Plain

    # person-level consent after subject consent, whose results it combines (and identity's
    # merges: it runs on every pass)
    return [Plain("consent", hubs.consent.at(store), reads=frozenset({CONSENT_FAMILY, TRACKING_FAMILY})),
            Plain("person-consent", hubs.person_consent.at(store))]


def _purge(erasing: Erasing) -> None:
    for table, column in BY_PERSON:
        erasing.delete_by_person(table, column)
    for table, column in BY_SUBJECT:  # a subject key, or the person id as one
        erasing.delete_by_person_or_subject(table, column)


def _change(c: ConsentChange) -> dict[str, Any]:
    return {"purpose": c.purpose, "status": c.status, "at": c.at.isoformat(), "method": c.method,
            "source": c.source, "notice_version": c.notice_version, "explicit": c.explicit,
            "change_id": c.change_id}


def _sections(person: PersonView) -> dict[str, Any]:
    from frontoffice.consent.service import subject_consent
    from frontoffice.dsr.report import subjects_of

    consent = []
    for subject in subjects_of(person.person_id, person.identifiers):
        view = subject_consent(person.store, person.workspace_id, subject)
        if view.known:
            consent.append({"subject": subject, "region": view.region.region,
                            "region_reason": view.region.reason,
                            "current": [_change(c) for _, c in sorted(view.state.current.items())],
                            "history": [_change(c) for h in view.state.history.values() for c in h]})
    return {"consent": consent}


def _html(doc: Mapping[str, Any]) -> str:
    from frontoffice.dsr.report import escape, table

    parts = ["<h2>Consent</h2>"]
    for s in doc["consent"]:
        parts.append(f"<h3>{escape(s['subject'])} — region {escape(s['region'])}</h3>")
        parts.append(table(("purpose", "status", "at", "method", "source"),
                           ((c["purpose"], c["status"], c["at"], c["method"], c["source"])
                            for c in s["history"])))
    return "".join(parts)


CAPABILITY = Capability(
    name="consent",
    tables=("consent_checkpoint", "consent_conflicts", "consent_ledger", "consent_person_checkpoint",
            "consent_person_state", "consent_salts", "consent_state", "consent_subjects"),
    schema="frontoffice.consent.tables",
    routers=_routers,
    commands={"consent": "frontoffice.consent.cli:consent"},
    projections=_projections,
    purge=Purge(tables=tuple(sorted(t for t, _ in (*BY_PERSON, *BY_SUBJECT))), run=_purge),
    report=Report(sections=_sections, html=_html),
)
