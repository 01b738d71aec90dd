"""The segments projection: each event of the log, placed with its person by identity, is
stored with that person and queues them; each queued person is evaluated at once — computed
traits, facts, every active segment in dependency order — and their memberships change with the
reason. A person whose answers time alone can change (a window, a day since) is queued again for
that instant, so a windowed membership ends on time, not on the next event or once a day.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Protocol

import orjson

from frontoffice.consent.ports import persons_holding
from frontoffice.consent.projector import CONSENT_FAMILY
from frontoffice.domain.events import TRACKING, StoredEvent, iso
from frontoffice.identity.people import People
from frontoffice.projection.contract import FilteredLog, page_of
from frontoffice.segments.assess import Since, assess
from frontoffice.segments.catalog import Catalog, load
from frontoffice.segments.conditions import IDENTITY_KIND, REACHABLE, reads_commerce
from frontoffice.segments.model import Event
from frontoffice.segments.ports import CommerceCheck, ConsentCheck, NewEvent, Outcome, SegmentsData

PAGE = 2000
CONTEXT_KEYS = ("locale", "timezone")  # kept from an event's context: the person's language and zone
PEOPLE_AT_ONCE = 200
PREDICTED = "predicted:"  # facts another capability writes (segments keep them)
COMMERCE_FAMILY = "commerce"
LATE = "shipment.late"  # a late delivery becomes an event of the order's buyer
BUYER_KINDS = ("user_id", "email", "phone", "marketplace_buyer")  # what commerce keys customers by
IDENTITY_BEHIND_S = 0.05  # how soon to look again for events identity has placed since
Clock = Callable[[], float]


# What segments read of the log: people's events (identity places tracking events), consent
# changes and commerce events; the other families are passed unread.
READS = frozenset({TRACKING, CONSENT_FAMILY, COMMERCE_FAMILY})


class Log(FilteredLog, Protocol):
    def last_seq(self, workspace_id: str) -> int: ...


def _ms(timestamp: str) -> int:
    parsed = datetime.fromisoformat(timestamp.replace("Z", "+00:00"))
    return int((parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).timestamp() * 1000)


def event_of(stored: StoredEvent, person: str) -> NewEvent | None:
    """A person's event as segments reads it: a track's name and properties, else the type and the
    payload's top-level values (a commerce order's total, status, currency…)."""
    r = stored.record
    try:
        payload = orjson.loads(r.payload)
    except orjson.JSONDecodeError:
        return None
    if not isinstance(payload, dict):
        return None
    props = payload.get("properties") if r.event else payload
    if not isinstance(props, dict):
        props = {}
    scalars = {k: v for k, v in props.items() if v is None or isinstance(v, str | int | float | bool)}
    context = payload.get("context")
    if isinstance(context, dict):
        scalars |= {f"context.{k}": v for k in CONTEXT_KEYS if isinstance(v := context.get(k), str)}
    return NewEvent(stored.seq, person, r.event or r.type, _ms(r.timestamp), scalars)


def facts_of(golden: dict[str, Any], identifiers: Sequence[tuple[str, str]],
             allowed: Collection[tuple[str, str]], events: Sequence[Event] = ()) -> dict[str, str]:
    """What conditions and moments read besides events: golden traits, reachability, consent, and
    the language and time zone the person's latest events carried."""
    facts = {f"context:{key}": value for e in events for key in CONTEXT_KEYS
             if isinstance(value := e.props.get(f"context.{key}"), str)}
    facts |= {f"trait:{name}": str(v["value"]) for name, v in golden.items()
             if isinstance(v, dict) and isinstance(v.get("value"), str | int | float)}
    held = {kind for kind, _ in identifiers}
    facts |= {f"reach:{kind}": "1" for kind in REACHABLE if IDENTITY_KIND.get(kind, kind) in held}
    facts |= {f"consent:{purpose}:{channel}": "1" for purpose, channel in allowed}
    return facts


class NoCommerce:
    """``CommerceCheck`` of a storage without commerce: no facts, no buyers."""

    def facts(self, ws: str, identifiers: Mapping[str, Sequence[tuple[str, str]]]
              ) -> dict[str, dict[str, str]]:
        return {}

    def buyers(self, ws: str, order_ids: Collection[str]) -> dict[str, list[tuple[str, str]]]:
        return {}


class SegmentsProjector:
    """Projects one storage's workspaces (``catch_up``) on its ports; ``clock`` is the wall clock
    in seconds (``time.time``), which windows are measured against."""

    name = "segments"

    def __init__(self, data: SegmentsData, log: Log, people: People, consent: ConsentCheck,
                 clock: Clock = time.time, commerce: CommerceCheck | None = None) -> None:
        self.data, self.log, self.people, self.consent, self.clock = data, log, people, consent, clock
        self.commerce: CommerceCheck = commerce or NoCommerce()
        self._locks: dict[str, threading.Lock] = {}
        self._catalogs: dict[str, tuple[tuple[int, int], Catalog]] = {}
        self._behind: dict[str, bool] = {}  # identity had not placed the log's end at the last catch-up
        self._guard = threading.Lock()

    def _lock(self, ws: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(ws, threading.Lock())

    def now(self) -> int:
        return int(self.clock() * 1000)

    def catalog(self, ws: str) -> Catalog:
        """The active definitions, parsed again only when one changed (their stamp moved)."""
        stamp = self.data.stamp(ws)
        cached = self._catalogs.get(ws)
        if cached is None or cached[0] != stamp:
            cached = self._catalogs[ws] = (stamp, load(self.data.definitions(ws, "trait"),
                                                       self.data.definitions(ws, "segment")))
        return cached[1]

    def catch_up(self, ws: str, on_progress: Callable[[int], None] = lambda n: None) -> int:
        """Store the log's new events with their people and evaluate those people at once (one
        transaction a page), then everyone due by time or by a changed definition."""
        with self._lock(ws):
            moved = self._follow_people(ws)
            applied = self._read_log(ws, on_progress)
            return moved + applied + self._evaluate_due(ws)

    def _follow_people(self, ws: str) -> int:
        """Identity's merges and splits: the events of the people they touch are placed again
        where identity now places them (through any chain of merges), and those people are
        evaluated again, an absorbed one leaving its segments with the merge as the cause."""
        after, done = self.data.last_change(ws), 0
        while changes := self.people.changes(ws, after, PAGE):
            touched: dict[str, str] = {}
            for c in changes:
                others = c.payload.get("merged" if c.type == "person.merged" else "into", [])
                if c.type in ("person.merged", "person.split") and isinstance(others, list):
                    for pid in (c.person_id, *others):
                        touched[str(pid)] = f"{c.type} into {c.person_id}" if c.type == "person.merged" \
                            else f"{c.type} of {c.person_id}"
            if touched:
                held = self.data.person_events(ws, list(touched))
                seqs = [e.seq for events in held.values() for e in events]
                placed = self.people.of_events(ws, seqs)
                live = {p: self.people.resolve_id(ws, p) for p in set(placed.values())}
                self.data.replace(ws, {seq: found for seq, p in placed.items() if (found := live[p])},
                                  touched)
                done += len(touched)
            after = changes[-1].id
            self.data.set_last_change(ws, after)
            if len(changes) < PAGE:  # the last page: asking again would find nothing
                break
        return done

    def _read_log(self, ws: str, on_progress: Callable[[int], None]) -> int:
        """The log's new events up to where identity has placed them: an event identity has not
        projected yet has no person, and would be passed for good."""
        after, applied = self.data.cursor(ws), 0
        last, placed_upto = self.log.last_seq(ws), self.people.placed_upto(ws)
        self._behind[ws] = placed_upto < last
        upto = min(last, placed_upto)
        while after < upto:
            page, after = page_of(self.log, ws, after, upto, PAGE, families=READS)
            placed = self.people.of_stored(ws, page)
            buyers = self._commerce_moved(ws, page)
            events = [n for e in page if e.seq in placed and (n := event_of(e, placed[e.seq])) is not None]
            events += [n for e in page if e.record.type == LATE and buyers.get(e.seq)
                       and (n := event_of(e, min(buyers[e.seq]))) is not None]
            causes: dict[str, str] = {}
            pending: dict[str, list[Event]] = {}
            for n in sorted(events, key=lambda n: n.seq):
                causes[n.person_id] = f"event seq {n.seq}"
                pending.setdefault(n.person_id, []).append(Event(n.seq, n.name, n.at, n.props))
            for person in sorted(self._consent_moved(ws, page, placed) - set(causes)):
                causes[person] = "consent changed"
            for seq, people in sorted(buyers.items()):
                for person in sorted(people - set(causes)):
                    causes[person] = f"commerce event seq {seq}"
            outcomes = (self.evaluate(ws, self.catalog(ws), list(causes.items()), self.now(), pending)
                        if causes else [])
            self.data.apply(ws, events, after, outcomes)
            applied += len(page)
            on_progress(applied)
        return applied

    def _consent_moved(self, ws: str, page: Sequence[StoredEvent], placed: Collection[int]) -> set[str]:
        """The people a page's consent changes are about (identity places no consent event)."""
        subjects = set()
        for e in page:
            if e.seq not in placed and e.record.family == CONSENT_FAMILY:
                subject = orjson.loads(e.record.payload).get("subject")
                if isinstance(subject, str):
                    subjects.add(subject)
        return persons_holding(self.people, ws, subjects) if subjects else set()

    def _commerce_moved(self, ws: str, page: Sequence[StoredEvent]) -> dict[int, set[str]]:
        """The buyers each commerce event of the page is about (by seq): the people holding the
        identifiers of its order's customer, as commerce's port gives them."""
        orders: dict[int, str] = {}
        for e in page:
            if e.record.family == COMMERCE_FAMILY:
                order = orjson.loads(e.record.payload).get("order_id")
                if isinstance(order, str):
                    orders[e.seq] = order
        if not orders:
            return {}
        found = self.commerce.buyers(ws, set(orders.values()))
        by_kind: dict[str, set[str]] = {}
        for identifiers in found.values():
            for kind, value in identifiers:
                by_kind.setdefault(kind, set()).add(value)
        holders = {(kind, value): people for kind, values in sorted(by_kind.items())
                   for value, people in self.people.holders(ws, kind, values).items()}
        out = {seq: {p for i in found.get(order, []) for p in holders.get(i, set())}
               for seq, order in orders.items()}
        return {seq: people for seq, people in out.items() if people}

    def _evaluate_due(self, ws: str) -> int:
        now, done = self.now(), 0
        catalog: Catalog | None = None
        while due := self.data.due(ws, now, PEOPLE_AT_ONCE):
            catalog = catalog or self.catalog(ws)
            self.data.save(ws, self.evaluate(ws, catalog, due, now))
            done += len(due)
        return done

    def evaluate(self, ws: str, catalog: Catalog, due: Sequence[tuple[str, str]], now: int,
                 pending: Mapping[str, list[Event]] | None = None) -> list[Outcome]:
        """The outcome of evaluating each (person, cause) at ``now``; ``pending``: each person's
        events not stored yet (they are stored with the outcome). A person evaluated before whose
        only news is these events, and whose due time is still ahead, is evaluated in part
        (``assess.Since``); so is a person with no stored event, from the empty person's answers."""
        pids = [p for p, _ in due]
        events = self.data.person_events(ws, pids)
        returning = {pid for pid in (pending or {}) if events.get(pid)}  # stored: evaluated before
        due_at = self.data.due_at(ws, returning) if returning else {}
        for pid, new in (pending or {}).items():
            events[pid] = sorted([*events.get(pid, []), *new], key=lambda e: (e.at, e.seq))
        members = self.data.members_of(ws, pids)
        stored = self.data.facts(ws, pids)
        golden = self.people.golden(ws, pids)
        identifiers = self.people.identifiers(ws, pids, {*REACHABLE, *IDENTITY_KIND.values(), *BUYER_KINDS})
        consents = catalog.consents()
        allowed = self.consent.allowed(ws, pids, consents, now) if consents else {}
        bought = (self.commerce.facts(ws, identifiers)
                  if any(reads_commerce(s.condition) for s in catalog.segments) else {})
        windows = catalog.windowed()
        at = iso(datetime.fromtimestamp(now / 1000, UTC))
        out = []
        for pid, cause in due:
            mine = events.get(pid, [])
            held = stored.get(pid, {})
            predicted = {k: v for k, v in held.items() if k.startswith(PREDICTED)}
            since = None
            if pending is not None and pid in pending:
                names = frozenset(e.name for e in pending[pid])
                if pid not in returning:
                    since = Since(names, {}, from_empty=True)
                elif due_at.get(pid, now + 1) > now:
                    since = Since(names, held)
            outcome = Outcome(pid, at, cause, facts_of(golden.get(pid, {}), identifiers.get(pid, []),
                                                       allowed.get(pid, set()), mine) | bought.get(pid, {}))
            outcome.facts_stored = outcome.facts == {k: v for k, v in held.items() if k not in predicted}
            out.append(assess(catalog, outcome, mine, predicted, members.get(pid, set()), now, windows,
                              since))
        return out

    def rebuild(self, ws: str) -> int:
        with self._lock(ws):
            self.data.reset(ws)
        return self.catch_up(ws)

    def due(self, ws: str) -> float | None:
        """When the runner should call again although the log is quiet: a window ends, or identity
        has not placed the log's last events yet (it runs in another worker process, or failed)."""
        if self._behind.get(ws, False):  # as the last catch-up found it
            return time.monotonic() + IDENTITY_BEHIND_S
        next_ms = self.data.next_due(ws)
        if next_ms is None:
            return None
        return time.monotonic() + max(0.0, next_ms / 1000 - self.clock())
