"""``frontoffice projections``: the projections the worker keeps in step with the log."""

from __future__ import annotations

import click

from frontoffice import worker
from frontoffice.cli.context import console, friendly_errors, settings_from, workspace_data, workspace_option


@click.group()
def projections() -> None:
    """Projections of the event log (identity, consent, person consent, commerce)."""


@projections.command("rebuild")
@workspace_option
@click.option("--only", multiple=True, help="Only this projection (repeatable); default: every one.")
@click.pass_context
@friendly_errors
def rebuild(ctx: click.Context, workspace: str, only: tuple[str, ...]) -> None:
    """Drop a workspace's projections and replay its log into them, in the worker's order."""
    with workspace_data(ctx, workspace) as (ws, store):
        for name, replayed in worker.rebuild(store, settings_from(ctx), ws.id, only):
            console.print(f"{name}: rebuilt ({replayed:,} replayed)")
