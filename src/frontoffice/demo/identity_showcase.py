"""What ``make demo`` shows of the probabilistic tier: merges it made across scripts, with the
match weight and the comparisons behind it, and one "possibly the same" case in the review queue.

Reads the product's own state only (the log's ``identity.match`` events, the projection, the
queue), never the ground truth.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import orjson

from frontoffice.demo.showcase import wait_for_identity
from frontoffice.identity.live_match import MatchConfig
from frontoffice.identity.match_service import LiveMatcher, MatchReport
from frontoffice.identity.normalise.scripts import detect_script
from frontoffice.identity.review import MATCH, PairDecision, decision_of, identity_source
from frontoffice.storage.identity_review_sql import ReviewItem, ReviewSql
from frontoffice.storage.identity_sql import IdentitySql
from frontoffice.storage.sql import SqlStore


@dataclass
class IdentityShowcase:
    report: MatchReport
    merged: int = 0
    cross_script: list[tuple[str, str, str, str]] = field(default_factory=list)
    """(person id, one side's name, the other's, why)"""
    pending: int = 0
    case: ReviewItem | None = None


def identity_showcase(store: SqlStore, workspace_id: str, config: MatchConfig | None = None,
                      limit: int = 3) -> IdentityShowcase:
    """Run one micro-batch now (the server's worker would within its interval), wait until the
    server has applied the merges (before the namesake pass, and after it), and pick what to show."""
    report = LiveMatcher(store, workspace_id, config).run(
        catch_up=lambda: wait_for_identity(store, workspace_id))
    wait_for_identity(store, workspace_id)
    shown = IdentityShowcase(report)
    sql = IdentitySql(store)
    matches = []
    after = 0
    while events := store.events(workspace_id, after_seq=after, limit=1000,
                                 source_id=identity_source(workspace_id)):
        for event in events:
            decision = decision_of(event.record)
            if isinstance(decision, PairDecision) and decision.kind == MATCH:
                matches.append(decision)
        after = events[-1].seq
    shown.merged = len(matches)
    names = _names(sql, workspace_id, [r for d in matches for r in (d.record_a, d.record_b)])
    persons = sql.persons_of(workspace_id, [d.record_a for d in matches])
    for d in sorted(matches, key=lambda d: -(d.weight or 0.0)):
        a, b = names.get(d.record_a, ""), names.get(d.record_b, "")
        person = persons.get(d.record_a, "?")
        if (a and b and detect_script(a) != detect_script(b) and len(shown.cross_script) < limit
                and all(person != shown_person for shown_person, *_ in shown.cross_script)):
            shown.cross_script.append((person, a, b, d.detail))  # one example per person
    review = ReviewSql(store)
    shown.pending = review.count(workspace_id)
    items = review.items(workspace_id, limit=1)
    shown.case = items[0] if items else None
    return shown


def _names(sql: IdentitySql, workspace_id: str, record_ids: list[str]) -> dict[str, str]:
    wanted, out = set(record_ids), {}
    after = 0
    while wanted and (rows := sql.records(workspace_id, after_seq=after)):
        for row in rows:
            if row.record_id in wanted:
                given, family, *_ = orjson.loads(row.data).get("n") or [None, None]
                out[row.record_id] = " ".join(p for p in (given, family) if p)
        after = rows[-1].seq
    return out


def print_identity_showcase(shown: IdentityShowcase, say: Callable[[str], None]) -> None:
    r = shown.report
    say(f"\n[bold]probabilistic matching[/bold] (Splink, trained on this brand's own records): "
        f"{shown.merged:,} automatic merges, {shown.pending:,} pairs waiting for review")
    if r.note:
        say(f"  {r.note}")
    if r.candidates:
        say(f"  this run: {r.candidates:,} records without a login scored against {r.against:,} "
            f"in {r.seconds:.1f} s")
    if r.namesakes:
        say(f"  namesake pass: {r.namesakes:,} joins of people who alone share a rare name")
    for person_id, a, b, why in shown.cross_script:
        say(f"  • {person_id}: {a} = {b}")
        say(f"    merged because: {why}")
    case = shown.case
    if case is not None:
        say(f"one grey-zone case (review {case.id}, possibly the same person):")
        for side in (case.side_a, case.side_b):
            say("  • " + ", ".join(f"{v}" for k, v in side.items() if k not in {"record_id", "person_id"})
                + f"  [{side['record_id']}]")
        say(f"    {case.explanation}")
        say(f"    decide: frontoffice identity review accept|reject {case.id} --workspace demo")
