"""The probabilistic tier, live: train per workspace, match new records in micro-batches.

A run reads the records projected since the last run, scores those without a login against
every known record with the workspace's trained model (trained on first use from the
workspace's own records, persisted in ``identity_matcher``; never downloaded), then appends an
``identity.match`` event per automatic merge and queues the grey zone for review
(:mod:`frontoffice.identity.live_match` says which is which). The projector applies the events.

Then, once the projection holds those merges, the namesake pass: people who alone share a rare
name, no fact disagreeing (:mod:`frontoffice.identity.probabilistic.namesakes`), are joined by an
``identity.match`` event of rule ``namesake`` each, unless a reviewer rejected two of them.
"""

from __future__ import annotations

import math
import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import timedelta
from itertools import combinations
from typing import Any

import orjson

from frontoffice.domain.events import EventRecord, iso, now
from frontoffice.errors import FrontofficeError, InvalidInput
from frontoffice.identity.live_match import Known, MatchConfig, Proposal, decide, key_attributes, known_record
from frontoffice.identity.model import PersonAttributes
from frontoffice.identity.probabilistic import Model, ScoredPair, score, train
from frontoffice.identity.probabilistic.columns import Row, to_row
from frontoffice.identity.probabilistic.matcher import MIN_TRAINING_RECORDS
from frontoffice.identity.probabilistic.namesakes import NamesakeMatch, namesake_matches, people_of
from frontoffice.identity.review import MATCH, PairDecision, identity_source
from frontoffice.identity.review_store import ReviewItem, ReviewSql
from frontoffice.identity.store import IdentitySql
from frontoffice.settings import Settings
from frontoffice.storage.port import AppendBatch
from frontoffice.storage.sql import SqlStore

TRAINING_LEASE_S = 180.0  # how long a process may hold the training before another may take it
TRAINING_POLL_S = 0.25  # how often a process waiting for another's model looks for it


class TrainingFailed(FrontofficeError):
    code = "training_failed"


RETRY_GROWTH = 1.5
"""A training that did not converge is tried again once the distinct records grew by half: EM
needs likely duplicates, which more records bring; trying at every new record cost a Splink
training (1-3 s of CPU) per worker pass while a young workspace grew."""


def retry_at(failed_on: int) -> int:
    """How many distinct records the next training waits for, after one failed on ``failed_on``."""
    return max(math.ceil(failed_on * RETRY_GROWTH), failed_on + 1)


@dataclass
class MatchReport:
    candidates: int = 0
    """New records without a login that were scored."""
    against: int = 0
    """Distinct known records they were scored against."""
    pairs: int = 0
    """Scored pairs at or above the review threshold."""
    merged: int = 0
    queued: int = 0
    namesakes: int = 0
    """Joins the namesake pass appended (one found again on a later run is not counted again)."""
    trained: bool = False
    seconds: float = 0.0
    note: str = ""


class LiveMatcher:
    """One workspace's matcher. Keeps the attributes of every projected record in memory between
    runs (records never change; their people do, and are read afresh on every run)."""

    def __init__(self, store: SqlStore, workspace_id: str, config: MatchConfig | None = None) -> None:
        self.store, self.ws = store, workspace_id
        self.config = config or MatchConfig()
        self.sql, self.review = IdentitySql(store), ReviewSql(store)
        self.known: dict[str, Known] = {}
        self._rows: dict[str, Row] = {}  # the namesake pass's columns, per record (records never change)
        self.read_seq = 0
        self._model: tuple[str, Model] | None = None
        self._failed_on = 0  # distinct records the last training failed on (0: none failed)

    def refresh(self) -> None:
        while rows := self.sql.records(self.ws, after_seq=self.read_seq):
            for row in rows:
                known = known_record(row.record_id, row.seq, orjson.loads(row.data))
                if known is not None:
                    self.known[row.record_id] = known
            self.read_seq = rows[-1].seq

    def train(self) -> int:
        """Train on the workspace's records (distinct attributes) and persist the model."""
        self.refresh()
        distinct = distinct_records(self.known.values())
        if len(distinct) < MIN_TRAINING_RECORDS:
            raise InvalidInput(f"Training needs at least {MIN_TRAINING_RECORDS} records with a name; "
                               f"workspace has {len(distinct)}. Send or import more, then train.")
        try:
            model = train([(rids[0], attributes) for attributes, rids in distinct.items()])
        except ValueError as exc:  # Splink refuses what EM could not estimate
            self._failed_on = len(distinct)
            raise TrainingFailed(
                f"Training on {len(distinct)} distinct records did not converge ({exc}). The "
                "records may hold too few people seen twice (EM learns from likely duplicates); "
                "train again after more store, call-centre or imported records arrive.") from exc
        text = model.to_json()
        self.review.save_model(self.ws, text, len(distinct))
        self._model = (text, model)
        return len(distinct)

    def model(self) -> tuple[Model | None, bool]:
        """The persisted model (trained now when there is none yet and enough records). One
        process trains at a time: another that finds no model while one trains (the worker's live
        match and an API or CLI match, at once) waits for that model rather than train its own."""
        text = self.review.state(self.ws).model
        if text is None:
            if self._failed_on and len(distinct_records(self.known.values())) < retry_at(self._failed_on):
                return None, False
            holder = f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"
            while not self.review.claim_training(self.ws, holder, iso(now()),
                                                 iso(now() + timedelta(seconds=TRAINING_LEASE_S))):
                text = self._awaited()
                if text is not None:
                    return self._loaded(text), False
            try:
                self.train()
            except (InvalidInput, TrainingFailed):
                return None, False
            finally:
                self.review.release_training(self.ws, holder)
            return self._model[1] if self._model else None, True
        return self._loaded(text), False

    def _awaited(self) -> str | None:
        """The model another process is training, once it is saved; None when that process let
        go of the lease without one (its training failed, or it died and the lease ran out)."""
        while (until := self.review.training_until(self.ws)) is not None and until >= iso(now()):
            if (text := self.review.state(self.ws).model) is not None:
                return text
            time.sleep(TRAINING_POLL_S)
        return self.review.state(self.ws).model

    def _loaded(self, text: str) -> Model:
        if self._model is None or self._model[0] != text:
            self._model = (text, Model.from_json(text))
        return self._model[1]

    def run(self, rescore_all: bool = False, *, catch_up: Callable[[], object]) -> MatchReport:
        """Score, merge, then (``catch_up`` bringing the projection up to the merges just
        appended: the hub's projector, under its lock, or the server's, waited for) the namesake
        pass, when records arrived since the last run (every time with ``rescore_all``)."""
        started = time.perf_counter()
        report = MatchReport()
        self.refresh()
        state = self.review.state(self.ws)
        since = 0 if rescore_all else state.last_seq
        model, report.trained = self.model()
        if model is None:
            report.note = (f"no model yet: training on {self._failed_on} distinct records did not "
                           f"converge; tried again at {retry_at(self._failed_on)} (or run "
                           "`frontoffice identity train`)" if self._failed_on else
                           f"no model yet: fewer than {MIN_TRAINING_RECORDS} records with a name")
            return report
        new = [k for k in self.known.values() if k.candidate and k.seq > since]
        report.candidates = len(new)
        if new:
            self._match(model, new, report)
        if self.config.namesake_max_expected > 0 and (rescore_all or self.read_seq > state.last_seq):
            catch_up()
            report.namesakes = self._join_namesakes()
        self.review.advance(self.ws, self.read_seq)
        report.seconds = time.perf_counter() - started
        return report

    def _match(self, model: Model, new: list[Known], report: MatchReport) -> None:
        fresh = {k.record_id for k in new}
        distinct = distinct_records(k for k in self.known.values() if k.record_id not in fresh)
        report.against = len(distinct)
        scored = score(model, [(k.record_id, k.attributes) for k in new],
                       against=[(rids[0], a) for a, rids in distinct.items()] or None,
                       min_weight=self.config.review_weight)
        twins = {rids[0]: rids for rids in distinct.values()}
        ids = {r for p in scored for end in (p.left_id, p.right_id) for r in twins.get(end, [end])}
        person_of = self.sql.persons_of(self.ws, sorted(ids))
        pairs = list(_expanded(scored, twins, person_of))
        report.pairs = len(pairs)
        proposals = decide(pairs, person_of, self._identifiers(), self.config, self._rejected(),
                           model.households)
        at = iso(now())
        auto = self.config.auto_for(model.households)
        bar = f"{auto:g}" + ("" if model.households else ", the records holding no households")
        merges = [PairDecision(MATCH, p.pair.left_id, p.pair.right_id, "probabilistic",
                               f"{p.explanation} (auto-merge at match weight >= {bar})", p.pair.match_weight,
                               p.pair.probability).record(at) for p in proposals if p.merge]
        if merges:
            self.store.append([AppendBatch(self.ws, identity_source(self.ws), merges, origin="identity")])
        report.merged = len(merges)
        report.queued = sum(self.review.enqueue(self.ws, self._item(p)) for p in proposals if not p.merge)

    def _join_namesakes(self) -> int:
        """One ``identity.match`` (rule ``namesake``) per match the namesake rule finds among the
        current people, between their oldest records; a group of namesakes two of whom a reviewer
        rejected is left alone (a person said they are two)."""
        partition: dict[str, list[str]] = {}
        for record_id, _, person_id in self.sql.mapping(self.ws):  # in log order: oldest first
            if record_id in self.known:
                partition.setdefault(person_id, []).append(record_id)
        rows = {rid: self._row(rid) for members in partition.values() for rid in members}
        groups: dict[str, list[NamesakeMatch]] = {}
        for match in namesake_matches(people_of(partition, rows), self.config.namesake_max_expected):
            groups.setdefault(match.person_a, []).append(match)
        rejected, at = self._rejected(), iso(now())
        why = f"namesake pass: joined below {self.config.namesake_max_expected:g} expected"
        joins: list[EventRecord] = []
        for lead, group in sorted(groups.items()):
            persons = sorted({lead, *(m.person_b for m in group)})  # distinct people of the projection
            if any(pair in rejected for pair in combinations(persons, 2)):
                continue
            joins.extend(PairDecision(MATCH, partition[m.person_a][0], partition[m.person_b][0], "namesake",
                                      f"{m.explanation} ({why})").record(at) for m in group)
        if not joins:
            return 0
        [appended] = self.store.append([AppendBatch(self.ws, identity_source(self.ws), joins,
                                                    origin="identity")])
        return appended.inserted

    def _row(self, record_id: str) -> Row:
        if record_id not in self._rows:
            self._rows[record_id] = to_row(record_id, self.known[record_id].attributes)
        return self._rows[record_id]

    def _identifiers(self) -> Any:
        cache: dict[str, list[tuple[str, str]]] = {}

        def of(person_id: str) -> list[tuple[str, str]]:
            if person_id not in cache:
                cache[person_id] = self.sql.identifiers(self.ws, person_id)
            return cache[person_id]

        return of

    def _rejected(self) -> set[tuple[str, str]]:
        pairs = self.review.rejected_pairs(self.ws)
        person_of = self.sql.persons_of(self.ws, sorted({r for p in pairs for r in p}))
        out = set()
        for a, b in pairs:
            pa, pb = person_of.get(a), person_of.get(b)
            if pa and pb:
                out.add((pa, pb) if pa < pb else (pb, pa))
        return out

    def _item(self, p: Proposal) -> ReviewItem:
        left, right = self.known[p.pair.left_id], self.known[p.pair.right_id]
        return ReviewItem(0, left.record_id, right.record_id, p.person_a, p.person_b,
                          p.pair.match_weight, p.pair.probability, p.explanation,
                          {"record_id": left.record_id, "person_id": p.person_a,
                           **key_attributes(left.attributes)},
                          {"record_id": right.record_id, "person_id": p.person_b,
                           **key_attributes(right.attributes)}, "pending", "")


def distinct_records(records: Any) -> dict[PersonAttributes, list[str]]:
    """Records grouped by identical attributes (a person's repeated identify calls score once)."""
    out: dict[PersonAttributes, list[str]] = {}
    for k in sorted(records, key=lambda k: (k.seq, k.record_id)):
        out.setdefault(k.attributes, []).append(k.record_id)
    return out


def _expanded(pairs: list[ScoredPair], twins: dict[str, list[str]],
              person_of: dict[str, str]) -> Any:
    """Each scored pair once per person its stand-in records belong to."""
    for pair in pairs:
        for left in _per_person(twins.get(pair.left_id, [pair.left_id]), person_of):
            for right in _per_person(twins.get(pair.right_id, [pair.right_id]), person_of):
                yield replace(pair, left_id=left, right_id=right)


def _per_person(rids: list[str], person_of: dict[str, str]) -> list[str]:
    seen: dict[str, str] = {}
    for rid in rids:
        seen.setdefault(person_of.get(rid, rid), rid)
    return list(seen.values())


def match_config(settings: Settings) -> MatchConfig:
    return MatchConfig(settings.identity_auto_merge_weight, settings.identity_review_weight,
                       settings.identity_match_interval_seconds, settings.identity_match_batch_records,
                       settings.identity_namesake_max_expected, settings.identity_household_margin)
