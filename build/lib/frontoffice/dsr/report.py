"""The access / portability artefacts: a machine-readable JSON document and a self-contained,
escaped HTML report of everything held about the person.

The heading (request, person, the sources the data came from) is the report's own; every other
section is a capability's (its ``Report`` hook in the registry): identity's golden record with
each trait's provenance, identifiers and records; consent per subject with its full history and
proof; commerce's orders, returns and subscriptions; the collector's event timeline as stored.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson

from frontoffice import capabilities
from frontoffice.services import identity as identity_service
from frontoffice.storage.sql import SqlStore

SUBJECT_KINDS = ("user_id", "anonymous_id", "email", "phone")
FORMAT_VERSION = 1


def subjects_of(person_id: str, identifiers: Iterable[tuple[str, str]]) -> list[str]:
    """The consent subject keys that speak for the person (consent is keyed by subject, not person)."""
    return [f"person_id:{person_id}", *sorted(f"{k}:{v}" for k, v in identifiers if k in SUBJECT_KINDS)]


@dataclass(frozen=True, slots=True)
class PersonView:
    """What a capability's report hook starts from: the person as identity resolved them."""

    store: SqlStore
    workspace_id: str
    person_id: str  # the live id
    profile: dict[str, Any]  # identity's profile: traits, identifiers, records, commerce keys

    @property
    def identifiers(self) -> list[tuple[str, str]]:
        return [(i["kind"], i["value"]) for i in self.profile["identifiers"]]


def access_document(store: SqlStore, ws: str, person_id: str, request_id: str,
                    now: datetime) -> dict[str, Any]:
    """The document: its heading, then every capability's sections in registry order."""
    profile = identity_service.profile(store, ws, person_id)
    view = PersonView(store, ws, profile["person_id"], profile)
    doc: dict[str, Any] = {"format": "frontoffice.dsr.access", "version": FORMAT_VERSION,
                           "request_id": request_id, "generated_at": now.isoformat(),
                           "person_id": view.person_id, "sources": {}}
    for capability in capabilities.every():
        if capability.report is not None:
            doc.update(capability.report.sections(view))
    used = ({r["source_id"] for r in doc.get("records", ())}
            | {e["source_id"] for e in doc.get("events", ())})
    doc["sources"] = {s.id: {"name": s.name, "channel": s.channel.value}
                      for s in store.registry.sources(ws) if s.id in used}
    return doc


def escape(value: object) -> str:
    if isinstance(value, str):
        return html.escape(value)
    return html.escape(orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode())


def table(headers: Iterable[str], rows: Iterable[Iterable[object]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


_STYLE = ("body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}"
          "table{border-collapse:collapse;margin:.5em 0 1.5em}"
          "td,th{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top}"
          "th{background:#f3f3f3}")


def access_html(doc: Mapping[str, Any]) -> str:
    """Self-contained (no scripts, no external resources; a CSP forbids any) and every value escaped."""
    parts = [
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">",
        "<meta http-equiv=\"Content-Security-Policy\" "
        "content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        f"<title>Your personal data — {escape(doc['request_id'])}</title>",
        f"<style>{_STYLE}</style></head><body>",
        "<h1>Your personal data</h1>",
        f"<p>Request {escape(doc['request_id'])}, generated {escape(doc['generated_at'])}. "
        f"Person {escape(doc['person_id'])}, "
        f"first seen {escape(doc['profile']['first_seen'])}, "
        f"last seen {escape(doc['profile']['last_seen'])}, "
        f"{escape(doc['profile']['record_count'])} records.</p>",
    ]
    parts += [capability.report.html(doc) for capability in capabilities.every()
              if capability.report is not None and capability.report.html is not None]
    parts.append("</body></html>")
    return "".join(parts)
