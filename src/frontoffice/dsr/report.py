"""The access / portability artefacts: a machine-readable JSON document and a self-contained,
escaped HTML report of everything held about the person.

The JSON has the golden record with each trait's provenance, the person's identifiers and
records, consent per subject with its full history and proof, the event timeline as stored,
and the orders, returns and subscriptions of the commerce projection.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

import orjson

from frontoffice.consent.ledger import ConsentChange
from frontoffice.services import consent as consent_service
from frontoffice.services import identity as identity_service
from frontoffice.storage.commerce_sql import CommerceStore
from frontoffice.storage.sql import SqlStore

SUBJECT_KINDS = ("user_id", "anonymous_id", "email", "phone")
FORMAT_VERSION = 1


def subjects_of(person_id: str, identifiers: Iterable[tuple[str, str]]) -> list[str]:
    """The consent subject keys that speak for the person (consent is keyed by subject, not person)."""
    return [f"person_id:{person_id}", *sorted(f"{k}:{v}" for k, v in identifiers if k in SUBJECT_KINDS)]


def _change(c: ConsentChange) -> dict[str, Any]:
    return {"purpose": c.purpose, "status": c.status, "at": c.at.isoformat(), "method": c.method,
            "source": c.source, "notice_version": c.notice_version, "explicit": c.explicit,
            "change_id": c.change_id}


def _payload(raw: bytes) -> object:
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        return {"undecodable_bytes": len(raw)}


def access_document(store: SqlStore, ws: str, person_id: str, request_id: str,
                    now: datetime) -> dict[str, Any]:
    profile = identity_service.profile(store, ws, person_id)
    pid = profile["person_id"]
    identifiers = [(i["kind"], i["value"]) for i in profile["identifiers"]]
    consent = []
    for subject in subjects_of(pid, identifiers):
        view = consent_service.subject_consent(store, ws, subject)
        if view.known:
            consent.append({"subject": subject, "region": view.region.region,
                            "region_reason": view.region.reason,
                            "current": [_change(c) for _, c in sorted(view.state.current.items())],
                            "history": [_change(c) for h in view.state.history.values() for c in h]})
    _, events = identity_service.timeline(store, ws, pid, limit=1_000_000)
    timeline = [{"seq": e.seq, "source_id": e.source_id, "type": e.record.type, "event": e.record.event,
                 "timestamp": e.record.timestamp, "payload": _payload(e.record.payload)} for e in events]
    cs = CommerceStore(store)
    keys = profile["commerce"].get("customer_keys", [])
    order_ids = cs.entity_ids_for_keys(ws, "order", keys)
    orders = [orjson.loads(e.doc) for i in order_ids if (e := cs.entity(ws, "order", i))]
    returns = [orjson.loads(e.doc) for i in order_ids for e in cs.entities(ws, "return", i)]
    subscriptions = [orjson.loads(e.doc) for i in cs.entity_ids_for_keys(ws, "subscription", keys)
                     if (e := cs.entity(ws, "subscription", i))]
    used = {r["source_id"] for r in profile["records"]} | {e["source_id"] for e in timeline}
    sources = {s.id: {"name": s.name, "channel": s.channel.value}
               for s in store.registry.sources(ws) if s.id in used}
    return {
        "format": "frontoffice.dsr.access", "version": FORMAT_VERSION, "request_id": request_id,
        "generated_at": now.isoformat(), "person_id": pid, "sources": sources,
        "profile": {"traits": profile["traits"], "first_seen": profile["first_seen"],
                    "last_seen": profile["last_seen"], "record_count": profile["record_count"]},
        "identifiers": profile["identifiers"], "records": profile["records"],
        "consent": consent, "events": timeline,
        "commerce": {"traits": profile["commerce"], "orders": orders, "returns": returns,
                     "subscriptions": subscriptions},
    }


def _e(value: object) -> str:
    if isinstance(value, str):
        return html.escape(value)
    return html.escape(orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode())


def _table(headers: Iterable[str], rows: Iterable[Iterable[object]]) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _trait_rows(traits: Mapping[str, Any], sources: Mapping[str, Any]) -> list[list[object]]:
    def source(sid: str) -> str:
        known = sources.get(sid)
        return f"{known['name']} ({known['channel']})" if known else sid

    rows: list[list[object]] = []
    for name, t in sorted(traits.items()):
        if "values" in t:
            rows += [[name, v["value"], t["rule"], source(v["source_id"]), v["observed_at"]]
                     for v in t["values"]]
        else:
            rows.append([name, t["value"], t["rule"], source(t["source_id"]), t["observed_at"]])
    return rows


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
        f"<title>Your personal data — {_e(doc['request_id'])}</title><style>{_STYLE}</style></head><body>",
        "<h1>Your personal data</h1>",
        f"<p>Request {_e(doc['request_id'])}, generated {_e(doc['generated_at'])}. "
        f"Person {_e(doc['person_id'])}, "
        f"first seen {_e(doc['profile']['first_seen'])}, last seen {_e(doc['profile']['last_seen'])}, "
        f"{_e(doc['profile']['record_count'])} records.</p>",
        "<h2>Profile (each value with where it came from)</h2>",
        _table(("trait", "value", "rule", "source", "observed at"),
               _trait_rows(doc["profile"]["traits"], doc["sources"])),
        "<h2>Identifiers</h2>",
        _table(("kind", "value"), ((i["kind"], i["value"]) for i in doc["identifiers"])),
        "<h2>Consent</h2>",
    ]
    for s in doc["consent"]:
        parts.append(f"<h3>{_e(s['subject'])} — region {_e(s['region'])}</h3>")
        parts.append(_table(("purpose", "status", "at", "method", "source"),
                            ((c["purpose"], c["status"], c["at"], c["method"], c["source"])
                             for c in s["history"])))
    commerce = doc["commerce"]
    parts += ["<h2>Orders</h2>", _table(("order",), ([o] for o in commerce["orders"])),
              "<h2>Returns</h2>", _table(("return",), ([r] for r in commerce["returns"])),
              "<h2>Subscriptions</h2>", _table(("subscription",), ([s] for s in commerce["subscriptions"])),
              f"<h2>Events ({len(doc['events'])})</h2>",
              _table(("seq", "time", "type", "event", "data"),
                     ((e["seq"], e["timestamp"], e["type"], e["event"] or "", e["payload"])
                      for e in doc["events"])),
              "</body></html>"]
    return "".join(parts)
