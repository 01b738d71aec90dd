"""``frontoffice resolve`` and ``frontoffice people``: identity resolution from the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
import orjson
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from frontoffice.cli.context import (
    cell,
    console,
    friendly_errors,
    purposes,
    settings_from,
    store_from,
    workspace_data,
    workspace_option,
)
from frontoffice.cli.identity_report import SERVER_RUNNING, print_match_report
from frontoffice.identity.match_service import match_config
from frontoffice.outbound.cli import print_refusals
from frontoffice.outbound.exports import catch_up_people, check_export_purpose, export_people
from frontoffice.outbound.gate import EXPORT_CHANNEL
from frontoffice.projection.contract import ProjectionMoved
from frontoffice.services import identity
from frontoffice.storage.identity_sql import IdentitySql


def percentile(values: list[float], share: float) -> float:
    """The value below which ``share`` of ``values`` lie (nearest rank; 0.0 when empty)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] if ordered else 0.0


@click.command("resolve")
@workspace_option
@click.option("--rebuild", is_flag=True, help="Drop the identity projection and replay the whole log "
              "(person decisions are kept).")
@click.option("--no-match", is_flag=True, help="Shared identifiers only: skip the probabilistic tier "
              "and the namesake pass (run them later with `frontoffice identity match`).")
@click.pass_context
@friendly_errors
def resolve(ctx: click.Context, workspace: str, rebuild: bool, no_match: bool) -> None:
    """Resolve the workspace's records into people with every tier: apply the log since the last
    run (shared identifiers), then match the records without a login by name, birth date and
    address (probabilistic tier, then the namesake pass) and apply the merges found."""
    with workspace_data(ctx, workspace) as (ws, store):
        hub = identity.IdentityHub(store, match_config(settings_from(ctx)))
        done_before = 0 if rebuild else IdentitySql(store).count_records(ws.id)
        total = max(0, store.count_events(ws.id) - done_before)
        columns = (TextColumn("resolving"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=console, transient=False) as bar:
            task = bar.add_task("resolve", total=total or None)

            def advance(n: int) -> None:
                bar.advance(task, n)

            done = hub.rebuild(ws.id, advance) if rebuild else hub.catch_up(ws.id, advance)
        if not no_match:
            try:
                print_match_report(hub.match(ws.id, rescore_all=rebuild))
            except ProjectionMoved:
                console.print(SERVER_RUNNING)
        persons = IdentitySql(store).count_persons(ws.id)
        table = Table(title=f"identity resolution of workspace {ws.name!r}")
        for name in ("events applied", "people", "people changed", "seconds", "events/s",
                     "stitch p50 ms", "stitch p99 ms"):
            table.add_column(name, justify="right")
        rate = done.events / done.seconds if done.seconds else 0.0
        table.add_row(f"{done.events:,}", f"{persons:,}", f"{done.persons_changed:,}",
                      f"{done.seconds:.2f}", f"{rate:,.0f}", f"{percentile(done.stitch_ms, 0.5):.3f}",
                      f"{percentile(done.stitch_ms, 0.99):.3f}")
        console.print(table)


@click.group()
def people() -> None:
    """People (golden records): show one, export all."""


@people.command("show")
@click.argument("identifier")
@workspace_option
@click.option("--json", "as_json", is_flag=True, help="Print the profile as JSON.")
@click.pass_context
@friendly_errors
def people_show(ctx: click.Context, identifier: str, workspace: str, as_json: bool) -> None:
    """Show the person behind IDENTIFIER: a person id, kind:value (email:a@b.com,
    phone:+4915..., user_id:cus_1, loyalty_id:...) or a bare email address."""
    with workspace_data(ctx, workspace) as (ws, store):
        person = identity.profile(store, ws.id, identity.find(store, ws.id, identifier))
        if as_json:
            click.echo(orjson.dumps(person, option=orjson.OPT_INDENT_2).decode())
            return
        with store_from(ctx) as registry:
            names = {s.id: s.name for s in registry.sources(ws.id)}

        def source(source_id: str) -> str:
            return names.get(source_id, source_id)

        def record(record_id: str) -> str:
            source_id, sep, local = record_id.partition(":")
            return f"{source(source_id)}:{local}" if sep else record_id

        console.print(f"[bold]{person['person_id']}[/bold]: {person['record_count']} records, "
                      f"{person['first_seen']} → {person['last_seen']}")
        traits = Table(title="golden traits")
        for name in ("trait", "value", "rule", "source", "record", "observed"):
            traits.add_column(name)
        for name, trait in person["traits"].items():
            if "values" in trait:
                shown = ", ".join(cell(v["value"]) for v in trait["values"])
                traits.add_row(name, shown, trait["rule"], "", "", "")
            else:
                traits.add_row(name, cell(trait["value"]), trait["rule"], source(trait["source_id"]),
                               record(trait["record_id"]), trait["observed_at"])
        console.print(traits)
        ids = ", ".join(f"{i['kind']}:{i['value']}" for i in person["identifiers"])
        console.print(f"identifiers: {ids or '(none)'}")
        _print_commerce(person["commerce"])


def _print_commerce(commerce: dict[str, Any]) -> None:
    table = Table(title="commerce traits")
    table.add_column("trait")
    table.add_column("value")
    for name, value in commerce.items():
        if name != "customer_keys":
            shown = value if isinstance(value, str) else orjson.dumps(value).decode()
            table.add_row(name, shown)
    console.print(table)
    console.print(f"commerce keys: {', '.join(commerce['customer_keys']) or '(none)'}")


@people.command("export")
@workspace_option
@click.option("--out", "folder", type=click.Path(path_type=Path), required=True,
              help="Folder to write people.<format> and mapping.<format> into.")
@click.option("--format", "fmt", type=click.Choice(["csv", "parquet"]), default="csv", show_default=True,
              help="File format.")
@click.option("--purpose", required=True, type=purposes(EXPORT_CHANNEL),
              help="What the export is for (a consent purpose, e.g. analytics); people who do not allow "
                   "it on the export channel are left out and counted.")
@click.pass_context
@friendly_errors
def people_export(ctx: click.Context, workspace: str, folder: Path, fmt: str, purpose: str) -> None:
    """Export golden records and the record → person mapping of the people who allow --purpose."""
    check_export_purpose(purpose)
    with workspace_data(ctx, workspace) as (ws, store):
        catch_up_people(store, ws.id)
        result = export_people(store, ws.id, folder, fmt, purpose)
        for name, path in result.paths.items():
            console.print(f"{name}: {path}")
        console.print(f"{result.people:,} people exported for {purpose}")
        print_refusals(result.refused, result.refusals, "people")
