"""What make demo prints of the moments tour (``frontoffice.demo.moments_tour``)."""

from __future__ import annotations

from typing import Any

from rich.table import Table

from frontoffice.cli.context import console


def print_moments(found: dict[str, Any]) -> None:
    console.print("\n[bold]moments[/bold]: the loyalty moments of the brand (segments/moments)")
    if not found["firings"]:
        console.print(f"  the showcase customer's moments did not fire in time (person {found['person']})")
    else:
        table = Table("moment", "trigger", "decision", "what happened",
                      title=f"the showcase customer {found['person']} (Korean, e-mail opt-in)")
        for f in reversed(found["firings"]):
            table.add_row(f["moment"], f["trigger"], f["decision"], f["reason"])
        console.print(table)
    for moment, counts in found["totals"].items():
        summary = ", ".join(f"{n:,} {what}" for what, n in counts.most_common())
        console.print(f"  {moment}: {summary or 'nothing yet'}", soft_wrap=True)
