"""Audience syncs: a segment's entries and exits, each with its reason, sent to a webhook
destination as they happen — every change through the consent gate (the destination's purpose on
the webhook channel), signed and retried like any destination delivery, and logged beside the
moments' firings (``sync:NAME``).

``{"name": "crm_gold", "segment": "gold_tier", "destination": "crm"}``
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, Protocol

from frontoffice.outbound import service as outbound
from frontoffice.segments.model import InvalidDefinition, check_name, known_keys
from frontoffice.segments.moment_actions import ActionPorts, Webhooks
from frontoffice.segments.ports import SegmentsData


class SyncRows(Protocol):
    def position(self, ws: str, name: str) -> int | None: ...
    def set_position(self, ws: str, name: str, position: int) -> None: ...
    def changes_since(self, ws: str, segment: str, after_id: int,
                      limit: int = 1000) -> list[dict[str, Any]]: ...
    def log(self, ws: str, row: dict[str, Any]) -> None: ...


def parse_sync(doc: Any) -> dict[str, str]:
    if not isinstance(doc, dict):
        raise InvalidDefinition("$", 'an audience sync is {"name": ..., "segment": ..., "destination": ...}.')
    known_keys(doc, "$", {"name", "segment", "destination"})
    destination = doc.get("destination")
    if not isinstance(destination, str) or not destination:
        raise InvalidDefinition("$.destination", "name a webhook destination "
                                                 "(`frontoffice destinations list`).")
    return {"name": check_name(doc.get("name"), "$.name", "sync"),
            "segment": check_name(doc.get("segment"), "$.segment", "segment"), "destination": destination}


def define_sync(data: SegmentsData, ws: str, doc: Any, at: str) -> dict[str, Any]:
    """Save an audience sync; it sends the segment's whole history of changes, then each new one."""
    body = parse_sync(doc)
    if not any(d.name == body["segment"] for d in data.definitions(ws, "segment")):
        raise InvalidDefinition("$.segment", f"no segment {body['segment']!r}; save it first.")
    version = data.save_definition(ws, "sync", body["name"], body, at)
    return {"name": body["name"], "version": version, "definition": body}


def _send(hooks: Webhooks, ports: ActionPorts, ws: str, sync: Mapping[str, str], purpose: str,
          change: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    """One change through the gate and to the destination: the row logged."""
    name, segment, destination = sync["name"], sync["segment"], sync["destination"]
    person = change["person_id"]
    row = {"moment": f"sync:{name}", "person_id": person, "message_id": None,
           "trigger": f"{change['change']} {segment} #{change['id']}", "resume_at": None}
    candidate = outbound.Candidate(f"sync:{name}", purpose, "webhook")
    result = outbound.decide(ports.outbound, ws, person, [candidate], now)
    if result.refused:
        verdict = result.refused[0][1]
        return row | {"decision": "refused", "rule": verdict.rule, "reason": verdict.reason}
    body = {"sync": name, "segment": segment, "person_id": person, "change": change["change"],
            "at": change["at"], "why": change["why"], "cause": change["cause"]}
    ok, what = hooks.post(ws, destination, body, f"sync:{name}:{change['id']}")
    return row | {"decision": "fired" if ok else "failed", "reason": f"{destination}: {what}",
                  "rule": "webhook/delivered" if ok else "webhook/dead-letter"}


def sync(rows: SyncRows, data: SegmentsData, ports: ActionPorts, ws: str,
         now_ms: int) -> list[dict[str, Any]]:
    """Send every sync's new changes; the rows logged. A sync whose destination is missing waits."""
    hooks, done = ports.webhooks, []
    if hooks is None:
        return []
    now = datetime.fromtimestamp(now_ms / 1000, UTC)
    for d in data.definitions(ws, "sync"):
        purpose = hooks.purpose(ws, d.body["destination"])
        if purpose is None:
            continue
        cursor = f"sync:{d.name}"
        last = rows.position(ws, cursor) or 0
        while page := rows.changes_since(ws, d.body["segment"], last):
            for change in page:
                row = _send(hooks, ports, ws, d.body, purpose, change, now) | {"at": now_ms}
                rows.log(ws, row)
                done.append(row)
                last = int(change["id"])
            rows.set_position(ws, cursor, last)
    return done
