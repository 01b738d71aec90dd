"""Running moments: every new entry into a segment a moment follows, every projected event an
event moment matches, every person's date (birthday, first-purchase anniversary) come due in
their time zone, and every deferred firing whose quiet hours are over is decided — frequency cap,
quiet hours in the person's time zone, then the consent gate and the action (``moment_actions``)
— and logged with its decision and rule. A date moment's next date is scheduled per person, so the
worker's timer wakes for it (``next_due``), not a daily batch."""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace
from typing import Any, Protocol

from frontoffice.identity.people import People
from frontoffice.identity.people_store import person_name
from frontoffice.segments import service
from frontoffice.segments.model import Event, InvalidDefinition
from frontoffice.segments.moment_actions import ActionPorts, Firing, act
from frontoffice.segments.moment_dates import local_day, next_due, parse_day
from frontoffice.segments.moments import Moment, parse_moment, precheck
from frontoffice.segments.ports import SegmentsData

EVENTS = "events"  # the moments' cursor over the projected events
FAR = 2**62  # an unreadable date: never due


class MomentRows(Protocol):
    def entered_since(self, ws: str, after_id: int, limit: int = 1000) -> list[tuple[int, str, str]]: ...
    def last_history(self, ws: str) -> int: ...
    def set_last_history(self, ws: str, history_id: int) -> None: ...
    def fired_at(self, ws: str, moment: str, person_id: str) -> list[int]: ...
    def log(self, ws: str, row: dict[str, Any]) -> None: ...
    def deferred_due(self, ws: str, now_ms: int) -> list[dict[str, Any]]: ...
    def position(self, ws: str, name: str) -> int | None: ...
    def set_position(self, ws: str, name: str, position: int) -> None: ...
    def last_event(self, ws: str) -> int: ...
    def events_since(self, ws: str, after_seq: int, names: Collection[str],
                     limit: int = 1000) -> list[tuple[int, str, Event]]: ...
    def unscheduled(self, ws: str, moment: str, date: str,
                    limit: int = 1000) -> list[tuple[str, str | int]]: ...
    def schedule(self, ws: str, moment: str, dues: Sequence[tuple[str, int, str]]) -> None: ...
    def dates_due(self, ws: str, now_ms: int, limit: int = 1000) -> list[tuple[str, str, str]]: ...


def define_moment(data: SegmentsData, ws: str, doc: Any, at: str) -> dict[str, Any]:
    m = parse_moment(doc)
    if m.trigger.kind == "event" and m.trigger.since_seq < 0:  # from the events the log takes next
        m = replace(m, trigger=replace(m.trigger, since_seq=data.cursor(ws)))
    segment = m.trigger.segment
    if segment is not None and not any(d.name == segment for d in data.definitions(ws, "segment")):
        raise InvalidDefinition("$.entered", f"no segment {segment!r}; save it first.")
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


def _events(rows: MomentRows, ws: str, moments: Sequence[Moment]) -> list[tuple[Moment, str, str]]:
    """The event moments' matches among the events projected since the last run (an event the
    log held before the moment was saved, at or before its ``since_seq``, never fires it)."""
    last = rows.position(ws, EVENTS) or 0
    names = {m.trigger.event.event for m in moments if m.trigger.event is not None}
    todo: list[tuple[Moment, str, str]] = []
    while names and (page := rows.events_since(ws, last, names)):
        for seq, person, event in page:
            todo += [(m, person, f"event {event.name} seq {seq}") for m in moments
                     if m.trigger.event is not None and seq > m.trigger.since_seq
                     and m.trigger.event.matches(event, 0)]
        last = page[-1][0]
    rows.set_position(ws, EVENTS, last)
    return todo


def _zone_of(golden: Mapping[str, Any], facts: Mapping[str, str]) -> str | None:
    return facts.get("context:timezone") or _trait(golden, "timezone")


def _schedule(rows: MomentRows, data: SegmentsData, people: People, ws: str, moments: Sequence[Moment],
              now_ms: int) -> None:
    """Give every person a date moment has no date for yet their next one, in their time zone."""
    for m in moments:
        kind = m.trigger.date or ""
        while found := rows.unscheduled(ws, m.name, kind):
            persons = [p for p, _ in found]
            facts, golden = data.facts(ws, persons), people.golden(ws, persons)
            dues = []
            for person, origin in found:
                tz = _zone_of(golden.get(person, {}), facts.get(person, {}))
                day = parse_day(str(origin)) if kind == "birthday" else local_day(int(origin), tz)
                if day is None:
                    dues.append((person, FAR, f"{kind} unreadable: {origin!r}"))
                    continue
                due = next_due(kind, day, m.trigger.hour, tz, now_ms)
                dues.append((person, due.at, due.occurrence))
            rows.schedule(ws, m.name, dues)


def _reschedule(rows: MomentRows, data: SegmentsData, people: People, ws: str, m: Moment, person: str,
                occurrence: str, now_ms: int) -> None:
    """The year after the occurrence that came (a 29 February birthday kept on the 28th stays there)."""
    kind = m.trigger.date or ""
    came = parse_day(occurrence.rsplit(" ", 1)[-1])
    if came is None:
        return
    facts, golden = data.facts(ws, [person]), people.golden(ws, [person])
    tz = _zone_of(golden.get(person, {}), facts.get(person, {}))
    due = next_due(kind, came, m.trigger.hour, tz, now_ms, after=came)
    rows.schedule(ws, m.name, [(person, due.at, due.occurrence)])


def run(rows: MomentRows, data: SegmentsData, people: People, ports: ActionPorts, ws: str,
        now_ms: int, schedule: bool = True) -> list[dict[str, Any]]:
    """Decide and log every moment due; the firings, newest last. ``schedule``: also give the
    people a date moment has no date for yet theirs (a scan of everyone: the worker throttles it)."""
    moments = [parse_moment(d.body) for d in data.definitions(ws, "moment")]
    if not moments:
        return []
    by_name = {m.name: m for m in moments}
    todo: list[tuple[Moment, str, str]] = []
    last = rows.last_history(ws)
    for history_id, person, segment in rows.entered_since(ws, last):
        todo += [(m, person, f"entered {segment} #{history_id}") for m in moments
                 if m.trigger.segment == segment]
        last = history_id
    todo += _events(rows, ws, [m for m in moments if m.trigger.kind == "event"])
    dated = [m for m in moments if m.trigger.kind == "date"]
    if schedule:
        _schedule(rows, data, people, ws, dated, now_ms)
    came = [(by_name[name], person, occurrence) for name, person, occurrence in rows.dates_due(ws, now_ms)
            if name in by_name]
    todo += came
    for deferred in rows.deferred_due(ws, now_ms):
        if deferred["moment"] in by_name:
            todo.append((by_name[deferred["moment"]], deferred["person_id"], deferred["trigger"]))
    persons = sorted({p for _, p, _ in todo})
    golden = people.golden(ws, persons) if todo else {}
    facts = data.facts(ws, persons) if todo else {}
    fired = []
    for m, person, trigger in todo:
        mine, known = golden.get(person, {}), facts.get(person, {})
        decision = precheck(m, now_ms, rows.fired_at(ws, m.name, person), _zone_of(mine, known))
        ref = None
        if decision is None:
            key = f"{ws}:{m.name}:{person}:{trigger}"
            firing = Firing(m, person, trigger, _variables(person, mine, known, trigger),
                            "mom_" + hashlib.sha256(key.encode()).hexdigest()[:24])
            decision, ref = act(ports, ws, firing, now_ms)
        row = {"moment": m.name, "person_id": person, "trigger": trigger, "decision": decision.decision,
               "rule": decision.rule, "reason": decision.reason, "message_id": ref, "at": now_ms,
               "resume_at": decision.resume_at}
        rows.log(ws, row)
        fired.append(row)
    for m, person, occurrence in came:
        _reschedule(rows, data, people, ws, m, person, occurrence, now_ms)
    rows.set_last_history(ws, last)
    return fired
