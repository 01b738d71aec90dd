"""What ``make demo`` shows of the probabilistic tier: merges it made across scripts, with the
match weight and the comparisons behind it, and one "possibly the same" case in the review queue.

Reads the product's own state only (the log's ``identity.match`` events, the projection, the
queue), never the ground truth.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from frontoffice.demo.client import Api
from frontoffice.demo.showcase import identity_path, paged, script_of, wait_for_identity, written_name


@dataclass
class IdentityShowcase:
    report: dict[str, Any]
    """The micro-batch's report, as ``POST …/identity/match`` answered it."""
    merged: int = 0
    cross_script: list[tuple[str, str, str, str]] = field(default_factory=list)
    """(person id, one side's name, the other's, why)"""
    pending: int = 0
    case: dict[str, Any] | None = None
    """The first pair of the review queue, as ``GET …/identity/review`` lists it."""


def identity_showcase(api: Api, ws: str, limit: int = 3) -> IdentityShowcase:
    """Run one micro-batch now over the API (the server's worker would within its interval),
    wait until the server has applied the merges, and pick what to show."""
    shown = IdentityShowcase(api.post(f"{identity_path(ws)}/match", {}))
    status = wait_for_identity(api, ws)
    matches = list(paged(api, f"{identity_path(ws)}/matches"))
    shown.merged = len(matches)
    wanted = {r for m in matches for r in (m["record_a"], m["record_b"])}
    names = {r["record_id"]: written_name(r, family_first=False)
             for r in paged(api, f"{identity_path(ws)}/records") if r["record_id"] in wanted}
    for m in sorted(matches, key=lambda m: -(m["weight"] or 0.0)):
        a, b = names.get(m["record_a"], ""), names.get(m["record_b"], "")
        person = m["person_id"] or "?"
        if (a and b and script_of(a) != script_of(b) and len(shown.cross_script) < limit
                and all(person != shown_person for shown_person, *_ in shown.cross_script)):
            shown.cross_script.append((person, a, b, m["detail"]))  # one example per person
    shown.pending = status["review_pending"]
    items = api.get(f"{identity_path(ws)}/review", limit=1)["items"]
    shown.case = items[0] if items else None
    return shown


def print_identity_showcase(shown: IdentityShowcase, say: Callable[[str], None]) -> None:
    r = shown.report
    say(f"\n[bold]probabilistic matching[/bold] (Splink, trained on this brand's own records): "
        f"{shown.merged:,} automatic merges, {shown.pending:,} pairs waiting for review")
    if r["note"]:
        say(f"  {r['note']}")
    if r["candidates"]:
        say(f"  this run: {r['candidates']:,} records without a login scored against "
            f"{r['against']:,} in {r['seconds']:.1f} s")
    if r["namesakes"]:
        say(f"  namesake pass: {r['namesakes']:,} joins of people who alone share a rare name")
    for person_id, a, b, why in shown.cross_script:
        say(f"  • {person_id}: {a} = {b}")
        say(f"    merged because: {why}")
    case = shown.case
    if case is not None:
        say(f"one grey-zone case (review {case['id']}, possibly the same person):")
        for side, record in zip(case["sides"], case["records"], strict=True):
            say("  • " + ", ".join(f"{v}" for k, v in side.items() if k not in {"record_id", "person_id"})
                + f"  [{record}]")
        say(f"    {case['explanation']}")
        say(f"    decide: frontoffice identity review accept|reject {case['id']} --workspace demo")
