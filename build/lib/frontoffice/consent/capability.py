"""Consent: the ledger of choices per subject, their state, and person-level consent."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from frontoffice.capability import Capability, Purge, Report

if TYPE_CHECKING:
    import click
    from fastapi import APIRouter

    from frontoffice.bootstrap import Container
    from frontoffice.consent.ledger import ConsentChange
    from frontoffice.dsr.report import PersonView
    from frontoffice.privacy.purge import Erasing
    from frontoffice.projection.contract import Projection
    from frontoffice.settings import Settings
    from frontoffice.storage.sql import SqlStore

BY_PERSON = (("consent_person_state", "person_id"), ("consent_conflicts", "person_id"))
BY_SUBJECT = (("consent_state", "subject"), ("consent_subjects", "subject"))


def _routers(c: Container) -> list[APIRouter]:
    from frontoffice.api.consent import consent_router
    from frontoffice.api.consent_people import consent_people_router

    return [consent_people_router(c), consent_router(c)]  # people's before /consent/{subject}


def _commands() -> list[click.Command]:
    from frontoffice.cli.consent import consent

    return [consent]


def _projections(store: SqlStore, settings: Settings) -> list[Projection]:
    from frontoffice.projection.contract import Plain
    from frontoffice.services.consent import ConsentHub
    from frontoffice.services.consent_merge import PersonConsentHub

    # person-level consent after subject consent, whose results it combines
    return [Plain("consent", ConsentHub(store)), Plain("person-consent", PersonConsentHub(store))]


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
    from frontoffice.dsr.report import subjects_of
    from frontoffice.services.consent import subject_consent

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
    routers=_routers, commands=_commands, projections=_projections,
    purge=Purge(tables=tuple(sorted(t for t, _ in (*BY_PERSON, *BY_SUBJECT))), run=_purge),
    report=Report(sections=_sections, html=_html),
)
