"""Workspaces, sources, tokens, schema and settings from the command line."""

from __future__ import annotations

import click

from frontoffice.cli.context import (
    console,
    friendly_errors,
    json_option,
    limit_option,
    print_rows,
    settings_from,
    store_from,
    workspace_opt,
)
from frontoffice.domain.events import iso
from frontoffice.domain.tenancy import Channel, Scope, Status, Trust
from frontoffice.residency.locations import create_resident_workspace, parse_storage_locations
from frontoffice.services import tenancy
from frontoffice.settings import SETTINGS, settings_markdown
from frontoffice.storage import open_store


@click.group()
def db() -> None:
    """Database schema: status and upgrade."""


@db.command("upgrade")
@click.pass_context
@friendly_errors
def db_upgrade(ctx: click.Context) -> None:
    """Apply pending schema migrations."""
    store = open_store(settings_from(ctx).resolved_database_url)
    try:
        applied = store.upgrade()
        console.print(f"applied {len(applied)} migration(s): {', '.join(applied) or 'none'}; "
                      f"schema version {store.schema_version()} ({store.dialect})")
    finally:
        store.close()


@db.command("status")
@click.pass_context
@friendly_errors
def db_status(ctx: click.Context) -> None:
    """Show the schema version and pending migrations."""
    store = open_store(settings_from(ctx).resolved_database_url)
    try:
        pending = store.pending_migrations()
        console.print(f"{store.dialect}: schema version {store.schema_version()}, "
                      f"pending: {', '.join(pending) or 'none'}")
    finally:
        store.close()


@click.group()
def workspace() -> None:
    """Workspaces: a brand or a region, the unit of data isolation."""


@workspace.command("create")
@click.argument("name")
@click.option("--region", default="GLOBAL", show_default=True, help="Residency region.")
@click.option("--data-location", default=None,
              help="ISO country where its data is stored (default: setting 'data_location'; a region "
                   "with local residency, RU or CN, needs a storage there: see docs/residency.md).")
@click.pass_context
@friendly_errors
def workspace_create(ctx: click.Context, name: str, region: str, data_location: str | None) -> None:
    """Create workspace NAME."""
    settings = settings_from(ctx)
    with store_from(ctx) as store:
        w, location = create_resident_workspace(store, name, region, data_location, settings.data_location,
                                                parse_storage_locations(settings.storage_locations))
    console.print(f"workspace {w.name} created: id {w.id}, region {w.region}"
                  + (f", data location {location}" if location else ""))


@workspace.command("list")
@limit_option
@json_option
@click.pass_context
@friendly_errors
def workspace_list(ctx: click.Context, limit: int, as_json: bool) -> None:
    """List workspaces."""
    with store_from(ctx) as store:
        rows = [{"id": w.id, "name": w.name, "region": w.region, "status": w.status.value,
                 "events": store.count_events(w.id), "created": iso(w.created_at)}
                for w in store.workspaces()[:limit]]
    print_rows(rows, as_json)


def _set_workspace_status(ctx: click.Context, name: str, status: Status) -> None:
    with store_from(ctx) as store:
        w = tenancy.require_workspace(store, name)
        store.set_workspace_status(w.id, status)
    console.print(f"workspace {w.name} {status.value}")


@workspace.command("disable")
@click.argument("name")
@click.pass_context
@friendly_errors
def workspace_disable(ctx: click.Context, name: str) -> None:
    """Disable workspace NAME: its write keys and tokens stop working."""
    _set_workspace_status(ctx, name, Status.DISABLED)


@workspace.command("enable")
@click.argument("name")
@click.pass_context
@friendly_errors
def workspace_enable(ctx: click.Context, name: str) -> None:
    """Enable workspace NAME again: its write keys and tokens work again."""
    _set_workspace_status(ctx, name, Status.ACTIVE)


@click.group()
def source() -> None:
    """Sources: inbound channels with their write keys."""


@source.command("create")
@click.argument("name")
@workspace_opt()
@click.option("--channel", required=True, type=click.Choice([c.value for c in Channel]))
@click.option("--write-key", default=None, help="Keep the write key existing SDKs already use.")
@click.option("--trust", type=click.Choice([t.value for t in Trust]), default=None,
              help="client: the key ships to browsers or devices, so its events never prove an "
                   "email or phone; server: the key stays on servers. Default: client for web, app, "
                   "chat and social, server otherwise.")
@click.pass_context
@friendly_errors
def source_create(ctx: click.Context, name: str, ws: str, channel: str,
                  write_key: str | None, trust: str | None) -> None:
    """Create source NAME and print its write key (shown once)."""
    with store_from(ctx) as store:
        w = tenancy.require_workspace(store, ws)
        s, key = tenancy.create_source(store, w.id, name, channel, write_key, trust)
    console.print(f"source {w.name}/{s.name} ({s.channel.value}, {s.trust.value}-side) created: id {s.id}")
    console.print(f"write key (shown once): {key}")


@source.command("list")
@workspace_opt()
@limit_option
@json_option
@click.pass_context
@friendly_errors
def source_list(ctx: click.Context, ws: str, limit: int, as_json: bool) -> None:
    """List the sources of a workspace."""
    with store_from(ctx) as store:
        w = tenancy.require_workspace(store, ws)
        rows = [{"id": s.id, "name": s.name, "channel": s.channel.value, "trust": s.trust.value,
                 "key": s.key_hint,
                 "status": s.status.value, "events": store.count_events(w.id, s.id),
                 "quarantined": store.count_quarantine(w.id, s.id)}
                for s in store.sources(w.id)[:limit]]
    print_rows(rows, as_json)


@source.command("disable")
@click.argument("name")
@workspace_opt()
@click.pass_context
@friendly_errors
def source_disable(ctx: click.Context, name: str, ws: str) -> None:
    """Disable source NAME: its write key is refused (401) from then on."""
    with store_from(ctx) as store:
        w = tenancy.require_workspace(store, ws)
        s = tenancy.disable_source(store, w.id, name)
    console.print(f"source {w.name}/{s.name} disabled")


@click.group()
def token() -> None:
    """Admin API tokens with scopes."""


@token.command("create")
@click.argument("name")
@workspace_opt(required=False, help_text="Workspace; omit for an instance token.")
@click.option("--scope", "scopes", multiple=True, required=True,
              type=click.Choice([s.value for s in Scope]), help="Repeat for several scopes.")
@click.pass_context
@friendly_errors
def token_create(ctx: click.Context, name: str, ws: str | None, scopes: tuple[str, ...]) -> None:
    """Create API token NAME and print it (shown once)."""
    with store_from(ctx) as store:
        workspace_id = tenancy.require_workspace(store, ws).id if ws else None
        t, secret = tenancy.create_token(store, workspace_id, name, list(scopes))
    console.print(f"token {t.name} created: id {t.id}, scopes {' '.join(sorted(t.scopes))}")
    console.print(f"token (shown once): {secret}")


@token.command("list")
@workspace_opt(required=False, help_text="Workspace; omit for instance tokens.")
@limit_option
@json_option
@click.pass_context
@friendly_errors
def token_list(ctx: click.Context, ws: str | None, limit: int, as_json: bool) -> None:
    """List API tokens."""
    with store_from(ctx) as store:
        workspace_id = tenancy.require_workspace(store, ws).id if ws else None
        rows = [{"id": t.id, "name": t.name, "scopes": " ".join(sorted(t.scopes)), "key": t.key_hint,
                 "status": t.status.value} for t in store.tokens(workspace_id)[:limit]]
    print_rows(rows, as_json)


@token.command("disable")
@click.argument("token_id")
@workspace_opt(required=False, help_text="Workspace; omit for instance tokens.")
@click.pass_context
@friendly_errors
def token_disable(ctx: click.Context, token_id: str, ws: str | None) -> None:
    """Disable API token TOKEN_ID (id or name)."""
    with store_from(ctx) as store:
        workspace_id = tenancy.require_workspace(store, ws).id if ws else None
        tenancy.disable_token(store, workspace_id, token_id)
    console.print(f"token {token_id} disabled")


@click.command("settings")
@click.option("--markdown", is_flag=True, help="Print docs/settings.md instead of a table.")
@json_option
def settings_cmd(markdown: bool, as_json: bool) -> None:
    """List every setting with its environment variable, default and meaning."""
    if markdown:
        click.echo(settings_markdown(), nl=False)
        return
    print_rows([{"setting": s.name, "environment variable": s.env, "type": s.type.__name__,
             "default": None if s.default is None else str(s.default), "meaning": s.help}
            for s in SETTINGS], as_json)

