"""``frontoffice consent``: a subject's consent with history and proof, the policy check, rebuild."""

from __future__ import annotations

import click
import orjson
from rich.table import Table

from frontoffice.cli.context import (
    console,
    friendly_errors,
    outbound_channels,
    purposes,
    workspace_data,
    workspace_option,
)
from frontoffice.domain.events import now
from frontoffice.services import consent as service


@click.group()
def consent() -> None:
    """Consent per subject (user_id:..., anonymous_id:..., email:...): show, check, rebuild."""


@consent.command("show")
@click.argument("subject")
@workspace_option
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_context
@friendly_errors
def show(ctx: click.Context, subject: str, workspace: str, as_json: bool) -> None:
    """Current consent of SUBJECT per purpose, with every change and its proof."""
    with workspace_data(ctx, workspace) as (ws, store):
        service.ConsentHub(store).catch_up(ws.id)
        view = service.subject_consent(store, ws.id, subject)
        rows = [{"purpose": c.purpose, "status": c.status, "at": c.at.isoformat(), "method": c.method,
                 "source": c.source, "notice_version": c.notice_version, "explicit": c.explicit,
                 "current": view.state.current.get(c.purpose) == c, "change_id": c.change_id}
                for history in view.state.history.values() for c in history]
        if as_json:
            click.echo(orjson.dumps({"subject": view.subject, "known": view.known,
                                     "region": view.region.region,
                                     "region_reason": view.region.reason, "changes": rows},
                                    option=orjson.OPT_INDENT_2).decode())
            return
        console.print(f"[bold]{view.subject}[/bold]: region {view.region.region} ({view.region.reason})")
        table = Table(title="consent changes (current marked *)")
        for name in ("purpose", "status", "at", "method", "source", "notice", "explicit"):
            table.add_column(name)
        for r in rows:
            mark = "* " if r["current"] else "  "
            table.add_row(str(r["purpose"]), mark + str(r["status"]), str(r["at"]), str(r["method"]),
                          str(r["source"]), str(r["notice_version"] or ""), str(r["explicit"]))
        console.print(table if rows else "no consent on record")


@consent.command("check")
@click.argument("subject")
@click.argument("purpose", type=purposes(), metavar="PURPOSE")
@click.option("--channel", "-c", required=True, type=outbound_channels(), help="Outbound channel.")
@workspace_option
@click.pass_context
@friendly_errors
def check(ctx: click.Context, subject: str, purpose: str, channel: str, workspace: str) -> None:
    """May PURPOSE be used on --channel for SUBJECT now? Exit code 0 when allowed, 2 when refused."""
    with workspace_data(ctx, workspace) as (ws, store):
        service.ConsentHub(store).catch_up(ws.id)
        result = service.check(store, ws.id, subject, purpose, channel, now())
    d = result.decision
    console.print(f"{'[green]allowed[/green]' if d.allowed else '[red]refused[/red]'}: {d.reason}")
    console.print(f"rule {d.rule}; region {result.region.region} ({result.region.reason})")
    if not d.allowed:
        raise SystemExit(2)


@consent.command("rebuild")
@workspace_option
@click.pass_context
@friendly_errors
def rebuild(ctx: click.Context, workspace: str) -> None:
    """Drop the consent projection and replay the event log (the ledger is append-only and stays)."""
    with workspace_data(ctx, workspace) as (ws, store):
        events = service.ConsentHub(store).rebuild(ws.id)
    console.print(f"replayed {events:,} events")
