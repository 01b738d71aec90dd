"""How the CLI shows what the consent gate left out of an export or a delivery round."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table

from frontoffice.cli.context import console
from frontoffice.outbound.gate import Refusal


def print_refusals(refused: int, refusals: Sequence[Refusal], what: str) -> None:
    """One row per gate rule: how many were left out and one reason, so nothing is dropped silently."""
    if not refused:
        console.print(f"consent gate: no {what} left out")
        return
    table = Table("rule", what, "reason (first seen)", title_justify="left",
                  title=f"left out by the consent gate: {refused:,} {what}")
    for r in refusals:
        table.add_row(r.rule, f"{r.count:,}", r.example)
    console.print(table)
