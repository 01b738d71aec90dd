"""Reading what the gate needs about people, in batches: who an event or an identifier belongs to,
and each person's subjects, golden record, consent ledger and region evidence.

Keys: ``person:<id>`` for a person identity knows; ``subject:<kind:value>`` for a consent subject
no person holds yet (its own consent and evidence only). A reference that cannot be placed gets
a refusal `Verdict` instead of a key.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import Any

import orjson

from frontoffice.consent.ledger import ConsentState, state_of
from frontoffice.consent.projector import CONSENT_FAMILY, SUBJECT_KINDS, evidence_from_dict, parse_subject
from frontoffice.consent.region import Evidence, evidence_from_traits
from frontoffice.domain.events import StoredEvent
from frontoffice.identity.extract import normalise_identifier
from frontoffice.identity.model import IdKind
from frontoffice.identity.people import People
from frontoffice.normalise import Invalid
from frontoffice.outbound.gate import PersonConsent, Verdict, erased, person_consent, unknown
from frontoffice.outbound.ports import Consents, Suppressions

CHUNK = 500  # people loaded at once
ALL_SEQ = 2**62
_KIND_ORDER = {k: i for i, k in enumerate(("person_id", "user_id", "email", "phone", "anonymous_id"))}

Loaded = PersonConsent | Verdict


def _subject_order(key: str) -> tuple[int, str]:
    return _KIND_ORDER.get(key.partition(":")[0], len(_KIND_ORDER)), key


def _golden_traits(golden: Mapping[str, Any]) -> dict[str, Any]:
    return {name: v["value"] for name, v in golden.items() if isinstance(v, dict) and "value" in v}


def _chunks(items: Sequence[Any]) -> list[Sequence[Any]]:
    return [items[i:i + CHUNK] for i in range(0, len(items), CHUNK)]


class PeopleReader:
    def __init__(self, people: People, consents: Consents, suppressions: Suppressions, workspace_id: str,
                 now: datetime) -> None:
        self.people, self.consents, self.suppressions = people, consents, suppressions
        self.ws, self.now = workspace_id, now
        self._aliases: dict[tuple[str, str], set[str]] | None = None

    def aliases(self) -> dict[tuple[str, str], set[str]]:
        """Consent subjects written differently from identity's normalised form (``email:Ann@X.com``
        for ``email:ann@x.com``, a phone without its country code…), by (kind, normalised value):
        a refusal captured under any spelling must count. One indexed range scan per gate."""
        if self._aliases is None:
            self._aliases = {}
            for kind in ("email", "phone"):
                for subject in self.consents.written_subjects(self.ws, kind):
                    normal = normalise_identifier(IdKind(kind), subject.partition(":")[2])
                    if not isinstance(normal, Invalid) and f"{kind}:{normal.value}" != subject:
                        self._aliases.setdefault((kind, normal.value), set()).add(subject)
        return self._aliases

    # -- events -----------------------------------------------------------------------------
    def event_references(self, events: Sequence[StoredEvent]) -> list[str | None]:
        """The person of each event (identity's record of it), else the identifier it names."""
        by_seq = self.people.of_stored(self.ws, events)
        out: list[str | None] = []
        for e in events:
            r = e.record
            if e.seq in by_seq:
                out.append("person:" + by_seq[e.seq])
            elif r.user_id:
                out.append(f"user_id:{r.user_id}")
            elif r.anonymous_id:
                out.append(f"anonymous_id:{r.anonymous_id}")
            elif r.family == CONSENT_FAMILY:
                subject = orjson.loads(r.payload).get("subject")
                out.append(subject if isinstance(subject, str) else None)
            else:
                out.append(None)
        return out

    # -- references -------------------------------------------------------------------------
    def place(self, references: Collection[str]) -> tuple[dict[str, str | Verdict], dict[str, set[str]]]:
        """Each reference (person id, or ``kind:value``) → its key or why it cannot be placed, and the
        subject keys written differently from their normalised form, per person key (so a consent
        captured for ``email:Ann@X.com`` counts for the person holding ``email:ann@x.com``). An
        identifier of an erased person is refused whatever else still knows it."""
        placed: dict[str, str | Verdict] = {}
        extra: dict[str, set[str]] = {}
        wanted: dict[tuple[str, str], list[tuple[str, str]]] = {}  # (kind, normal) → (reference, as written)
        for ref in references:
            kind, sep, value = ref.partition(":") if ":" in ref or "@" not in ref else ("email", ":", ref)
            if not sep or kind == "person_id":
                pid = value if sep else ref
                live = self.live_person(pid)
                placed[ref] = "person:" + live if live else unknown(ref, f"no person {pid!r}")
                continue
            try:
                normal = normalise_identifier(IdKind(kind), value)
            except ValueError:
                placed[ref] = unknown(ref, f"{kind!r} is not an identifier kind")
                continue
            if isinstance(normal, Invalid):
                placed[ref] = unknown(ref, f"{kind} {value!r} cannot identify anyone ({normal.reason.value})")
                continue
            wanted.setdefault((kind, normal.value), []).append((ref, f"{kind}:{value}"))
        listed = self.suppressions.suppressed(self.ws, {w for refs in wanted.values() for _, w in refs})
        for ref, as_written in [p for refs in wanted.values() for p in refs if p[1] in listed]:
            placed[ref] = erased(ref, as_written)
        wanted = {k: kept for k, refs in wanted.items() if (kept := [p for p in refs if p[1] not in listed])}
        holders: dict[tuple[str, str], set[str]] = {}
        for kind in sorted({k for k, _ in wanted}):
            found = self.people.holders(self.ws, kind, [v for k, v in wanted if k == kind])
            holders.update({(kind, value): pids for value, pids in found.items()})
        for (kind, value), refs in wanted.items():
            people = sorted(holders.get((kind, value), ()))
            for ref, as_written in refs:
                subject = parse_subject(as_written) if kind in SUBJECT_KINDS else None
                if len(people) > 1:
                    placed[ref] = unknown(ref, f"{as_written} belongs to {len(people)} people")
                elif people:
                    key = placed[ref] = "person:" + people[0]
                    if subject is not None and subject != f"{kind}:{value}":
                        extra.setdefault(key, set()).add(subject)
                elif subject is not None:
                    placed[ref] = "subject:" + subject
                else:
                    placed[ref] = unknown(ref, f"no person with {as_written}")
        return placed, extra

    def live_person(self, pid: str) -> str | None:
        """The live id of ``pid``, following merge redirects."""
        return self.people.resolve_id(self.ws, pid)

    # -- loading ----------------------------------------------------------------------------
    def load(self, keys: Sequence[str], extra: Mapping[str, set[str]]) -> dict[str, Loaded]:
        """``person:`` and ``subject:`` keys → the merged consent the gate decides on."""
        out: dict[str, Loaded] = {}
        persons = [k for k in keys if k.startswith("person:")]
        subjects = [k for k in keys if k.startswith("subject:")]
        for chunk in _chunks(persons):
            out.update(self._persons([k.removeprefix("person:") for k in chunk], extra))
        if subjects:
            out.update(self._subjects([k.removeprefix("subject:") for k in subjects]))
        return out

    def _persons(self, pids: Sequence[str], extra: Mapping[str, set[str]]) -> dict[str, Loaded]:
        subjects = {p: {f"person_id:{p}"} | extra.get("person:" + p, set()) for p in pids}
        for pid, old_ids in self.people.merged_ids(self.ws, pids).items():
            subjects[pid] |= {f"person_id:{old}" for old in old_ids}
        aliases = self.aliases()
        for pid, held in self.people.identifiers(self.ws, pids, SUBJECT_KINDS).items():
            for kind, value in held:
                subjects[pid].add(f"{kind}:{value}")
                subjects[pid] |= aliases.get((kind, value), set())
        golden = self.people.golden(self.ws, pids)
        changes, evidence = self.consents.subjects_as_of(
            self.ws, {s for ss in subjects.values() for s in ss}, ALL_SEQ)
        out: dict[str, Loaded] = {}
        for pid in pids:
            if pid not in golden:
                out["person:" + pid] = unknown(pid, f"no person {pid!r} (merged or erased since?)")
                continue
            ordered = sorted(subjects[pid], key=_subject_order)
            states = {s: state_of(s, changes[s]) for s in ordered if changes.get(s)}
            evidences = [evidence_from_traits(_golden_traits(golden[pid]))]
            evidences += [evidence_from_dict(evidence[s]) for s in ordered if s in evidence]
            out["person:" + pid] = person_consent(pid, states, evidences, True, self.now)
        return out

    def _subjects(self, keys: Sequence[str]) -> dict[str, Loaded]:
        changes, evidence = self.consents.subjects_as_of(self.ws, keys, ALL_SEQ)
        out: dict[str, Loaded] = {}
        for key in keys:
            if key not in evidence and not changes.get(key):
                out["subject:" + key] = unknown(key, f"neither identity nor consent knows {key}")
                continue
            states: dict[str, ConsentState] = {key: state_of(key, changes[key])} if changes.get(key) else {}
            evs = [evidence_from_dict(evidence[key])] if key in evidence else [Evidence()]
            out["subject:" + key] = person_consent(key, states, evs, True, self.now)
        return out
