"""``frontoffice privacy``: erase a person (crypto-shredding), the erasure log, a new master key."""

from __future__ import annotations

import click
import orjson

from frontoffice.cli.context import (
    console,
    friendly_errors,
    hubs_from,
    json_option,
    limit_option,
    print_rows,
    settings_from,
    store_from,
    workspace_data,
    workspace_option,
)
from frontoffice.domain.events import now
from frontoffice.privacy.erasure import erase_person, erasures
from frontoffice.privacy.purge import purged_tables
from frontoffice.residency.api import located
from frontoffice.storage.scrub import scrub
from frontoffice.vault.keys import generate_master_key


@click.group()
def privacy() -> None:
    """Erasure by crypto-shredding, the erasure log, master keys (docs/privacy.md)."""


@privacy.command("erase")
@workspace_option
@click.option("--person", "person_id", required=True,
              help="Person id (p_...), as `frontoffice people` shows it.")
@click.option("--reason", required=True, help="Why; kept in the erasure log (write no personal data).")
@click.option("--requested-by", default="cli", show_default=True, help="Who asked, for the log.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_context
@friendly_errors
def erase(ctx: click.Context, workspace: str, person_id: str, reason: str, requested_by: str,
          as_json: bool) -> None:
    """Erase PERSON: shred their subject keys, purge them from every projection, suppress their
    identifiers against late events and re-imports, and scrub the database files."""
    with workspace_data(ctx, workspace) as (ws, store):  # data residency: its storage
        identities = hubs_from(ctx).identity(ws.id)
        identities.catch_up(ws.id)
        report = erase_person(store, ws.id, person_id, people=identities.people, reason=reason,
                              requested_by=requested_by, now=now())
    if as_json:
        click.echo(orjson.dumps(report.as_dict(), option=orjson.OPT_INDENT_2).decode())
        return
    purged = sum(report.rows_purged.values())
    console.print(f"Erased {report.person_id} ({report.erasure_id}): {report.subjects_shredded} "
                  f"subject key(s) shredded, {report.events_shredded} event(s) now erased, "
                  f"{purged} projection row(s) purged, {report.suppressed_identifiers} identifier(s) "
                  f"suppressed. Scrub: {'; '.join(report.scrub_steps)}.")
    for warning in report.warnings:
        console.print(f"[yellow]warning:[/yellow] {warning}")


@privacy.command("erasures")
@workspace_option
@limit_option
@json_option
@click.pass_context
@friendly_errors
def erasure_log(ctx: click.Context, workspace: str, limit: int, as_json: bool) -> None:
    """The erasure log of a workspace, newest first (ids and counts: no personal data)."""
    with workspace_data(ctx, workspace) as (ws, store):
        print_rows(erasures(store, ws.id, limit), as_json)


@privacy.command("scrub")
@click.pass_context
@friendly_errors
def scrub_cmd(ctx: click.Context) -> None:
    """Run the file scrub again (WAL checkpoint and VACUUM; on PostgreSQL VACUUM FULL, WAL switch,
    CHECKPOINT) when an erasure reported it could not finish it: in the main database and in
    every located storage."""
    with store_from(ctx) as store:
        router = located(store, settings_from(ctx))  # and every located storage (data residency)
        try:
            storages = [(f"the storage of {c}", s) for c, s in router.located_stores().items()]
            for where, target in [("the main database", store), *storages]:
                done = scrub(target, purged_tables())
                console.print(f"Scrubbed {where}: " + "; ".join(done.steps) + ".")
                for warning in done.warnings:
                    console.print(f"[yellow]warning:[/yellow] {warning}")
        finally:
            router.close()


@privacy.command("new-key")
def new_key() -> None:
    """Print a new random master key for FRONTOFFICE_MASTER_KEY (base64 of 32 bytes)."""
    click.echo(generate_master_key())
