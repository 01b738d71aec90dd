"""Next-best-action acceptance as an insights metric: each action a decision chose counts as shown
(``nba_shown``) on the decision's day, and as accepted (``nba_accepted``) once an outcome of that
decision and action is a click or a purchase, sliced by action, channel and placement.

The decisions and their outcomes are the decisions capability's: read through its ``DecisionLog``
port (never its tables), and since outcomes arrive after their decision, the cells of the recent
days are rebuilt from that log on every detector run rather than folded from the event log."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from datetime import date, timedelta
from typing import Protocol

from frontoffice.decisions.ports import LoggedDecision, Outcome
from frontoffice.insights.ports import Fact
from frontoffice.insights.rollup import ALL

METRICS = ("nba_accepted", "nba_shown")
ACCEPTED = frozenset({"click", "purchase"})
PAGE = 2000


class Decisions(Protocol):
    """The part of the decisions capability's ``DecisionLog`` read here."""

    def decisions(self, ws: str, after: str, limit: int) -> list[LoggedDecision]: ...
    def outcomes(self, ws: str, decision_ids: Collection[str]) -> list[Outcome]: ...


class Cells(Protocol):
    def replace_cells(
        self, ws: str, metrics: Sequence[str], start: str, end: str, facts: Sequence[Fact]
    ) -> None:
        """Swap the daily cells of ``metrics`` from ``start`` to ``end`` for the ``facts``' cells."""
        ...


def facts(decisions: Sequence[LoggedDecision], outcomes: Sequence[Outcome]) -> list[Fact]:
    """Pure: the shown and accepted facts of these decisions (an action accepted twice counts once)."""
    accepted = {(o.decision_id, o.action_id) for o in outcomes if o.kind in ACCEPTED}
    out = []
    for d in decisions:
        for action in dict.fromkeys(d.chosen):
            slices = (ALL, ("action", action), ("channel", d.channel), ("placement", d.placement))
            evidence = (f"decision:{d.decision_id}",)
            out.append(Fact("nba_shown", d.at[:10], slices, 1, evidence))
            if (d.decision_id, action) in accepted:
                out.append(Fact("nba_accepted", d.at[:10], slices, 1, evidence))
    return out


def _between(log: Decisions, ws: str, start: str, end: str, size: int) -> Iterator[list[LoggedDecision]]:
    """The decisions made from day ``start`` to day ``end``, page by page (a page ends before a
    run of decisions made at one instant that it would cut, which ``after`` would skip; a run
    longer than a page is the one case left)."""
    after = (date.fromisoformat(start) - timedelta(days=1)).isoformat() + "T99"
    while True:
        page = log.decisions(ws, after, size)
        full = len(page) == size
        if full and page[0].at != page[-1].at:
            page = [d for d in page if d.at != page[-1].at]
        kept = [d for d in page if d.at[:10] <= end]
        if kept:
            yield kept
        if not full or len(kept) < len(page) or not page:
            return
        after = page[-1].at


def sync(cells: Cells, log: Decisions, ws: str, end: str, span: int, size: int = PAGE) -> int:
    """Rebuild the acceptance cells of the ``span`` days up to ``end``; the decisions counted."""
    start = (date.fromisoformat(end) - timedelta(days=span - 1)).isoformat()
    found: list[Fact] = []
    counted = 0
    for page in _between(log, ws, start, end, size):
        counted += len(page)
        found += facts(page, log.outcomes(ws, [d.decision_id for d in page]))
    cells.replace_cells(ws, METRICS, start, end, found)
    return counted
