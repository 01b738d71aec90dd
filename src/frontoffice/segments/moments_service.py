"""Running moments: every new entry into a segment that a moment follows (and every deferred
firing whose quiet hours are over) is decided — frequency cap, quiet hours in the person's time
zone, then outbound's consent gate and channel check — and logged with its decision and rule."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, Protocol

from frontoffice.identity.people import People
from frontoffice.identity.people_store import person_name
from frontoffice.outbound import service as outbound
from frontoffice.outbound.ports import OutboundPorts
from frontoffice.segments import service
from frontoffice.segments.model import InvalidDefinition
from frontoffice.segments.moments import Decision, Moment, parse_moment, precheck
from frontoffice.segments.ports import SegmentsData


class MomentRows(Protocol):
    def entered_since(self, ws: str, after_id: int, limit: int = 1000) -> list[tuple[int, str, str]]: ...
    def last_history(self, ws: str) -> int: ...
    def set_last_history(self, ws: str, history_id: int) -> None: ...
    def fired_at(self, ws: str, moment: str, person_id: str) -> list[int]: ...
    def log(self, ws: str, row: dict[str, Any]) -> None: ...
    def deferred_due(self, ws: str, now_ms: int) -> list[dict[str, Any]]: ...


def define_moment(data: SegmentsData, ws: str, doc: Any, at: str) -> dict[str, Any]:
    m = parse_moment(doc)
    if not any(d.name == m.entered for d in data.definitions(ws, "segment")):
        raise InvalidDefinition("$.entered", f"no segment {m.entered!r}; save it first.")
    version = data.save_definition(ws, "moment", m.name, m.as_dict(), at)
    return {"name": m.name, "version": version, "definition": m.as_dict()}


def load_bundle(data: SegmentsData, ws: str, doc: Any, at: str) -> dict[str, list[str]]:
    """Traits, then segments, then moments from one document (``segments/data/demo.yaml``)."""
    if not isinstance(doc, dict) or not set(doc) <= {"traits", "segments", "moments"}:
        raise InvalidDefinition("$", "a bundle is {traits: [...], segments: [...], moments: [...]}.")
    done: dict[str, list[str]] = {"traits": [], "segments": [], "moments": []}
    for doc_trait in doc.get("traits", []):
        done["traits"].append(service.define_trait(data, ws, doc_trait, at)["name"])
    for doc_segment in doc.get("segments", []):
        done["segments"].append(service.define_segment(data, ws, doc_segment, at)["name"])
    for doc_moment in doc.get("moments", []):
        done["moments"].append(define_moment(data, ws, doc_moment, at)["name"])
    return done


def _trait(golden: Mapping[str, Any], name: str) -> str | None:
    value = golden.get(name)
    found = value.get("value") if isinstance(value, dict) else None
    return found if isinstance(found, str) else None


def _variables(person: str, golden: Mapping[str, Any], facts: Mapping[str, str],
               trigger: str) -> dict[str, Any]:
    names = list(person_name(person, golden))
    given, family = (names[0][1], names[0][2]) if names else ("", "")
    voucher = "SORRY-" + hashlib.sha256(f"{person}:{trigger}".encode()).hexdigest()[:8].upper()
    return {"given": given, "family": family, "voucher": voucher,
            "locale": facts.get("context:locale") or _trait(golden, "locale") or "en"}


def run(rows: MomentRows, data: SegmentsData, people: People, ports: OutboundPorts, ws: str,
        now_ms: int) -> list[dict[str, Any]]:
    """Decide and log every moment due; the firings, newest last."""
    moments = [parse_moment(d.body) for d in data.definitions(ws, "moment")]
    if not moments:
        return []
    by_name = {m.name: m for m in moments}
    todo: list[tuple[Moment, str, str]] = []
    last = rows.last_history(ws)
    for history_id, person, segment in rows.entered_since(ws, last):
        todo += [(m, person, f"entered {segment} #{history_id}") for m in moments if m.entered == segment]
        last = history_id
    for deferred in rows.deferred_due(ws, now_ms):
        if deferred["moment"] in by_name:
            todo.append((by_name[deferred["moment"]], deferred["person_id"], deferred["trigger"]))
    persons = sorted({p for _, p, _ in todo})
    golden = people.golden(ws, persons) if todo else {}
    facts = data.facts(ws, persons) if todo else {}
    fired = []
    for m, person, trigger in todo:
        mine, known = golden.get(person, {}), facts.get(person, {})
        zone = known.get("context:timezone") or _trait(mine, "timezone")
        decision = precheck(m, now_ms, rows.fired_at(ws, m.name, person), zone)
        message_id = None
        if decision is None:
            key = f"{ws}:{m.name}:{person}:{trigger}"
            message_id = "mom_" + hashlib.sha256(key.encode()).hexdigest()[:24]
            variables = _variables(person, mine, known, trigger)
            result = outbound.send_message(ports, ws, outbound.MessageRequest(
                person, m.channel, m.purpose, m.template, variables, message_id),
                datetime.fromtimestamp(now_ms / 1000, UTC))
            decision = (Decision("fired", result.verdict.rule, f"message {result.code}") if result.queued
                        else Decision("refused", result.verdict.rule, result.verdict.reason))
        row = {"moment": m.name, "person_id": person, "trigger": trigger, "decision": decision.decision,
               "rule": decision.rule, "reason": decision.reason, "message_id": message_id, "at": now_ms,
               "resume_at": decision.resume_at}
        rows.log(ws, row)
        fired.append(row)
    rows.set_last_history(ws, last)
    return fired
