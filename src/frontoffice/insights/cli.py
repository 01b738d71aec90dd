"""``frontoffice insights``: run the detector, list the flags, show one with its evidence,
acknowledge or snooze it; seed a workspace with known incidents (for a demo or a trial)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import click

from frontoffice.cli.context import (
    console,
    friendly_errors,
    json_option,
    print_json,
    print_rows,
    settings_from,
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
        ins = hub(store, settings_from(ctx))
        done = service.run(ins, ws.id, now(), as_of, decisions=ins.decisions, tasks=ins.tasks)
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


@insights.command("seed")
@workspace_option
@click.option("--days", type=click.IntRange(14, 120), default=14, show_default=True)
@click.option(
    "--incident-day",
    type=click.IntRange(7, 119),
    default=8,
    show_default=True,
    help="The day the four incidents begin (day 0 is the first).",
)
@click.option("--orders-per-day", type=click.IntRange(4, 400), default=20, show_default=True)
@click.option("--tickets-per-day", type=click.IntRange(1, 100), default=4, show_default=True)
@json_option
@click.pass_context
@friendly_errors
def seed_cmd(
    ctx: click.Context,
    workspace: str,
    days: int,
    incident_day: int,
    orders_per_day: int,
    tickets_per_day: int,
    as_json: bool,
) -> None:
    """Write a shop with four known incidents into WORKSPACE, through commerce's intake and the
    inbox's own use cases (a supplier's defective batch, an agent falling behind the SLA, a store's
    late click-and-collect orders, a promotion priced apart on two channels), with ordinary noise
    around them; for a demo or a trial of the flags. A workspace that has rollups already is left
    as it is (run it on a workspace of its own)."""
    from frontoffice.commerce.store import CommerceStore
    from frontoffice.inbox.wiring import desk_for
    from frontoffice.insights import seed, world

    if incident_day >= days:
        raise click.BadParameter("The incidents begin before the last day.", param_hint="--incident-day")
    with workspace_data(ctx, workspace) as (ws, store):
        ins = InsightsHub(store)
        ins.catch_up(ws.id)
        last_day = (world.START + timedelta(days=days - 1)).date().isoformat()  # the shop's, not the log's
        if ins.last_day(ws.id) is not None:
            result: dict[str, Any] = {"seeded": False, "last_day": last_day, "incidents": {}}
        else:
            store.defer_log_sync()  # some 600 small commits: one sync of the log at the end
            truth = seed.seed(
                CommerceStore(store),
                desk_for(settings_from(ctx), store),
                ws.id,
                days=days,
                incident_day=incident_day,
                orders_per_day=orders_per_day,
                tickets_per_day=tickets_per_day,
            )
            store.sync_log()
            began = {k: i.began.isoformat() if i.began else None for k, i in truth.incidents.items()}
            result = {"seeded": True, "last_day": last_day, "incidents": began}
    if as_json:
        print_json(result)
    elif result["seeded"]:
        console.print(f"Seeded {days} days up to {result['last_day']}; incidents from day {incident_day}.")
    else:
        console.print(f"{workspace} has rollups already: nothing seeded.")
