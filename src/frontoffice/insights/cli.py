"""``frontoffice insights``: run the detector, list the flags, show one with its evidence,
acknowledge or snooze it."""

from __future__ import annotations

import click

from frontoffice.cli.context import (
    console,
    friendly_errors,
    json_option,
    print_json,
    print_rows,
    workspace_data,
    workspace_option,
)
from frontoffice.domain.events import now
from frontoffice.insights import service
from frontoffice.insights.projector import InsightsHub
from frontoffice.insights.wiring import hub


@click.group()
def insights() -> None:
    """Flags with statistics on returns, tickets, SLA, CSAT, deliveries and prices."""


@insights.command("run")
@workspace_option
@click.option(
    "--as-of",
    default=None,
    help="Detect as of the end of this day (YYYY-MM-DD; default: the last day with data).",
)
@json_option
@click.pass_context
@friendly_errors
def run_cmd(ctx: click.Context, workspace: str, as_of: str | None, as_json: bool) -> None:
    """Bring the rollups up to date and raise a flag for each new finding."""
    with workspace_data(ctx, workspace) as (ws, store):
        ins = hub(store)
        done = service.run(ins, ws.id, now(), as_of, decisions=ins.decisions)
    if as_json:
        print_json({"as_of": done.as_of, "findings": done.findings, "raised": done.raised})
        return
    print_rows(
        [{"flag_id": f["flag_id"], "since": f["since"], "summary": f["summary"]} for f in done.findings],
        False,
        empty="nothing stands out",
    )
    console.print(f"{len(done.raised)} new flag(s) as of {done.as_of}.")


@insights.command("flags")
@workspace_option
@click.option("--status", type=click.Choice(["open", "acknowledged", "snoozed"]), default=None)
@click.option("--flag", "flag_id", default=None, help="Show this flag with its evidence.")
@json_option
@click.pass_context
@friendly_errors
def flags_cmd(
    ctx: click.Context, workspace: str, status: str | None, flag_id: str | None, as_json: bool
) -> None:
    """The flags, newest first, or one with its comparisons and evidence."""
    with workspace_data(ctx, workspace) as (ws, store):
        ins = InsightsHub(store)
        if flag_id:
            print_json(service.flag(ins, ws.id, flag_id))
            return
        found = ins.flags(ws.id, [status] if status else [])
    print_rows(
        [
            {"flag_id": f["flag_id"], "status": f["status"], "since": f["since"], "summary": f["summary"]}
            for f in found
        ],
        as_json,
        empty="no flags",
    )


@insights.command("ack")
@workspace_option
@click.argument("flag_id")
@click.option("--snooze-hours", type=float, default=None, help="Snooze for these hours instead.")
@click.option("--by", default="cli", help="Who acknowledges it.")
@json_option
@click.pass_context
@friendly_errors
def ack_cmd(
    ctx: click.Context, workspace: str, flag_id: str, snooze_hours: float | None, by: str, as_json: bool
) -> None:
    """Acknowledge FLAG_ID (or snooze it with --snooze-hours)."""
    with workspace_data(ctx, workspace) as (ws, store):
        ins = InsightsHub(store)
        done = (
            service.snooze(ins, ws.id, flag_id, snooze_hours, by, now())
            if snooze_hours is not None
            else service.acknowledge(ins, ws.id, flag_id, by, now())
        )
    if as_json:
        print_json(done)
    else:
        console.print(f"Flag {flag_id} is {done['status']}.")
