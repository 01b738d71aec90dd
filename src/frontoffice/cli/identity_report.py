"""How the CLI reports a match run (``frontoffice resolve`` and ``frontoffice identity match``)."""

from __future__ import annotations

from frontoffice.cli.context import console
from frontoffice.identity.match_service import MatchReport

SERVER_RUNNING = ("the running server's worker is resolving this workspace; the merges found were "
                  "written to the log and it applies them")


def print_match_report(report: MatchReport) -> None:
    if report.note:
        console.print(report.note)
        return
    console.print(f"{'model trained, ' if report.trained else ''}{report.candidates:,} records scored "
                  f"against {report.against:,} known ones in {report.seconds:.2f} s: "
                  f"{report.pairs:,} pairs in reach, {report.merged:,} merged, "
                  f"{report.queued:,} queued for review, {report.namesakes:,} namesakes joined",
                  soft_wrap=True)
