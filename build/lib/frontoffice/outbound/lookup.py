"""`OutboundGate`: the gate with its storage, batch-friendly and failing closed.

One gate object serves one outbound call (an export, one delivery round, one request): it
places references and loads people in batches (`people.PeopleReader`), caches each person's
merged consent, and answers many checks from memory. Any error while reading becomes a refusal
with its reason, never an exception that could let data out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

from frontoffice.consent.packs import RegionPack, load_packs
from frontoffice.domain.events import StoredEvent
from frontoffice.outbound.gate import (
    PersonConsent,
    Verdict,
    about_nobody,
    decide,
    failure,
    impersonal,
    unknown,
)
from frontoffice.outbound.people import Loaded, PeopleReader
from frontoffice.storage.sql import SqlStore


class OutboundGate:
    """Checks for one workspace at one instant. ``packs`` defaults to the packaged region packs."""

    def __init__(self, store: SqlStore, workspace_id: str, now: datetime,
                 packs: Mapping[str, RegionPack] | None = None) -> None:
        self.store, self.ws, self.now = store, workspace_id, now
        self._reader = PeopleReader(store, workspace_id, now)
        self._packs = packs
        self._people: dict[str, Loaded] = {}  # person:/subject: key → merged consent, or why not
        self._refs: dict[str, str | Verdict] = {}  # reference → key, or why it cannot be placed
        self._verdicts: dict[tuple[str, str, str], Verdict] = {}
        self.checks = 0

    def check(self, reference: str, purpose: str, channel: str) -> Verdict:
        """``reference``: a person id, ``person:<id>``, or an identifier ``kind:value`` (email, phone,
        user_id, anonymous_id, …). Answers are memoised for the life of the gate."""
        self.checks += 1
        memo = (reference, purpose, channel)
        found = self._verdicts.get(memo)
        if found is None:
            found = self._verdicts[memo] = self._check(reference, purpose, channel)
        return found

    def _check(self, reference: str, purpose: str, channel: str) -> Verdict:
        try:
            packs = self.packs()
            key = reference if reference.startswith("person:") else self._refs.get(reference)
            if key is None or (isinstance(key, str) and key not in self._people):
                self.prefetch([reference])
                key = reference if reference.startswith("person:") else self._refs[reference]
            if isinstance(key, Verdict):
                return key
            found = self._people[key]
            if isinstance(found, Verdict):
                return found
            return decide(found, purpose, channel, self.now, packs)
        except Exception as exc:  # fail closed: nothing leaves when consent cannot be read
            return failure(reference, exc)

    def check_events(self, events: Sequence[StoredEvent], purpose: str, channel: str) -> list[Verdict]:
        """One verdict per event, for the person the event belongs to (a page loaded at once)."""
        try:
            refs = self._reader.event_references(events)
            self.prefetch([r for r in refs if r is not None])
        except Exception as exc:
            self.checks += len(events)
            return [failure(f"seq {e.seq}", exc) for e in events]
        out = []
        for event, ref in zip(events, refs, strict=True):
            if ref is None:
                self.checks += 1
                seq = f"seq {event.seq}"
                out.append(impersonal(seq) if about_nobody(event.record)
                           else unknown(seq, "the event names no person"))
            else:
                out.append(self.check(ref, purpose, channel))
        return out

    def prefetch(self, references: Iterable[str]) -> None:
        """Place and load every reference not cached yet, in batches. Errors are kept per reference
        (as refusals), so one bad batch refuses its own people only."""
        refs = sorted({r for r in references if not r.startswith("person:") and r not in self._refs})
        try:
            placed, extra = self._reader.place(refs) if refs else ({}, {})
        except Exception as exc:
            placed, extra = {r: failure(r, exc) for r in refs}, {}
        self._refs.update(placed)
        keys = {r for r in references if r.startswith("person:")}
        keys |= {k for r in refs if isinstance(k := self._refs[r], str)}
        todo = sorted(k for k in keys if k not in self._people or k in extra)
        if any(k in extra for k in todo):  # a person's subjects grew: forget what was decided on less
            self._verdicts.clear()
        try:
            self._people.update(self._reader.load(todo, extra) if todo else {})
        except Exception as exc:
            self._people.update({k: failure(k.partition(":")[2], exc) for k in todo})

    def cached(self) -> list[PersonConsent]:
        """The people loaded so far, merged (for reports and benchmarks)."""
        return [v for v in self._people.values() if isinstance(v, PersonConsent)]

    def packs(self) -> Mapping[str, RegionPack]:
        if self._packs is None:
            self._packs = load_packs()
        return self._packs
