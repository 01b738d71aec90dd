"""``frontoffice consent``: a subject's consent with history and proof, the policy check, rebuild,
and decoding a TC or GPP string."""

from __future__ import annotations

from typing import cast

import click
import orjson
from rich.table import Table

from frontoffice.cli.context import (
    console,
    err_console,
    friendly_errors,
    outbound_channels,
    purposes,
    workspace_data,
    workspace_option,
)
from frontoffice.consent.describe import Kind, cell, describe, ranges
from frontoffice.consent.errors import ConsentStringError
from frontoffice.domain.events import now
from frontoffice.services import consent as service


@click.group()
def consent() -> None:
    """Consent per subject (user_id:..., anonymous_id:..., email:...): show, check, rebuild; decode
    a TC or GPP string."""


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


@consent.command("decode")
@click.argument("string")
@click.option("--kind", type=click.Choice(["auto", "tcf", "gpp"]), default="auto", show_default=True,
              help="What STRING is; auto reads a GPP header (DB…) or '~' as GPP, else a TC string.")
@click.option("--json", "as_json", is_flag=True, help="Print the decoded fields (or the refusal) as JSON.")
def decode(string: str, kind: str, as_json: bool) -> None:
    """Decode a TCF v2.2 TC string or a GPP string (TCF EU, uspv1, usnat, every US state section)
    strictly, as frontoffice reads it on capture. Prints every field by section; a string that
    frontoffice refuses prints the precise reason and the bit where decoding stopped, exit code 1.

    \b
    frontoffice consent decode 'DBABLA~BVQqAAAAAgA.QA'
    frontoffice consent decode "$TC_STRING" --json
    """
    try:
        decoded = describe(string.strip(), cast(Kind, kind), sorted if as_json else ranges)
    except ConsentStringError as exc:
        if as_json:
            click.echo(orjson.dumps({"refused": True, "code": exc.code, "reason": exc.reason, "bit": exc.bit,
                                     "message": str(exc)}, option=orjson.OPT_INDENT_2).decode())
        else:
            err_console.print(f"[red]refused:[/red] {exc.reason}"
                              + (f" (decoding stopped at bit {exc.bit})" if exc.bit is not None else ""))
        raise SystemExit(1) from None
    if as_json:
        click.echo(orjson.dumps(decoded, option=orjson.OPT_INDENT_2).decode())
        return
    if decoded["kind"] == "gpp":
        console.print(f"GPP string v{decoded['version']}, sections {', '.join(decoded['sections'])} "
                      f"(ids {', '.join(map(str, decoded['section_ids']))})")
    for name, fields in decoded["sections"].items():
        table = Table(title=name)
        table.add_column("field", no_wrap=True)
        table.add_column("value", overflow="fold")
        for field, value in fields.items():
            table.add_row(field, cell(value))
        console.print(table)
