"""``frontoffice commerce``: webhook secrets, the demo loader, reconciliation, conflicts,
traits, pool rules and rebuilding the projection from the log."""

from __future__ import annotations

from pathlib import Path

import click
import orjson

from frontoffice.cli.context import (
    console,
    friendly_errors,
    json_option,
    limit_option,
    print_json,
    resolve_source,
    settings_from,
    store_from,
    workspace_data,
    workspace_option,
    workspace_storage,
)
from frontoffice.commerce import demo_loader, projector, service
from frontoffice.commerce.reconcile import reconcile
from frontoffice.commerce.schemas import PoolRule
from frontoffice.commerce.store import CommerceStore
from frontoffice.domain.events import now
from frontoffice.domain.tenancy import Channel, webhook_secret
from frontoffice.errors import InvalidInput
from frontoffice.tenancy import service as tenancy


def _dump(value: object) -> None:
    console.print_json(orjson.dumps(value).decode())


@click.group()
def commerce() -> None:
    """The commerce backbone: stock, orders, deliveries, returns and prices."""


@commerce.command("secret")
@click.argument("source_ref")
@click.option("--secret", default=None, help="Use this secret (default: a new random one).")
@click.pass_context
@friendly_errors
def secret_cmd(ctx: click.Context, source_ref: str, secret: str | None) -> None:
    """Set the webhook secret of a commerce source (WORKSPACE/SOURCE); printed once."""
    with store_from(ctx) as store:
        workspace, source = resolve_source(store, source_ref, None)
        value = webhook_secret(source, Channel.COMMERCE, secret)
        CommerceStore(store).set_secret(workspace.id, source.id, value)
        console.print(value)


@commerce.command("load-demo")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@workspace_option
@click.option("--source", "source_name", default="commerce", show_default=True,
              help="Commerce source the events are logged under (created when missing).")
@click.pass_context
@friendly_errors
def load_demo(ctx: click.Context, folder: Path, workspace: str, source_name: str) -> None:
    """Send the demo brand's commerce files through the commerce intake."""
    with store_from(ctx) as store:
        ws = tenancy.ensure_workspace(store, workspace)
        source = store.source(ws.id, source_name) or tenancy.create_source(
            store, ws.id, source_name, Channel.COMMERCE.value)[0]
        with workspace_storage(store, settings_from(ctx), ws.id) as data:  # data residency
            counts = demo_loader.load(CommerceStore(data), ws.id, source.id, folder, now())
        _dump(counts)


@commerce.command("reconcile")
@click.argument("snapshot", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@workspace_option
@click.option("--dry-run", is_flag=True, help="Report the drift without repairing it.")
@click.pass_context
@friendly_errors
def reconcile_cmd(ctx: click.Context, snapshot: Path, workspace: str, dry_run: bool) -> None:
    """Compare a full snapshot with the projection; report and repair the drift."""
    data = orjson.loads(snapshot.read_bytes())
    if not isinstance(data, dict):
        raise InvalidInput("A snapshot is a JSON object of kind -> array of items.")
    with workspace_data(ctx, workspace) as (ws, store):
        cs = CommerceStore(store)
        projector.catch_up(cs, ws.id)
        _dump(reconcile(cs, ws.id, service.INTERNAL_SOURCE, data, now(), repair=not dry_run))


@commerce.command("conflicts")
@workspace_option
@click.option("--tolerance", type=float, default=0.01, show_default=True,
              help="Price difference accepted, as a fraction of the dearer price.")
@limit_option
@json_option
@click.pass_context
@friendly_errors
def conflicts_cmd(ctx: click.Context, workspace: str, tolerance: float, limit: int,
                  as_json: bool) -> None:
    """The same product priced differently on two channels at the same time."""
    with workspace_data(ctx, workspace) as (ws, store):
        cs = CommerceStore(store)
        projector.catch_up(cs, ws.id)
        found = service.price_conflicts(cs, ws.id, tolerance)
        if as_json:
            print_json(found[:limit])
            return
        for c in found[:limit]:
            console.print(f"{c['product_id']} {c['currency']} {c['difference_pct']}% "
                          f"from {c['at'][:10]}: {c['low']['channel']} {c['low']['price']:g} "
                          f"({c['low']['listing_id']}) vs {c['high']['channel']} "
                          f"{c['high']['price']:g} ({c['high']['listing_id']})")
        console.print(f"{len(found)} conflict(s) beyond {tolerance:.0%}.")


@commerce.command("traits")
@click.argument("keys", nargs=-1, required=True)
@workspace_option
@click.pass_context
@friendly_errors
def traits_cmd(ctx: click.Context, keys: tuple[str, ...], workspace: str) -> None:
    """Commerce traits of the customer known by KEYS (user_id:…, email:…, buyer_id:…)."""
    with workspace_data(ctx, workspace) as (ws, store):
        _dump(service.traits_for(CommerceStore(store), ws.id, list(keys)))


@commerce.command("pool")
@click.argument("channel")
@workspace_option
@click.option("--kind", "kinds", multiple=True, help="Location kind to include (repeatable).")
@click.option("--country", "countries", multiple=True, help="Country to include (repeatable).")
@click.option("--exclude", multiple=True, help="Location id to leave out (repeatable).")
@click.pass_context
@friendly_errors
def pool_cmd(ctx: click.Context, channel: str, workspace: str, kinds: tuple[str, ...],
             countries: tuple[str, ...], exclude: tuple[str, ...]) -> None:
    """Set the pool of locations CHANNEL sells from."""
    rule = PoolRule.model_validate({"channel": channel, "location_kinds": list(kinds),
                                    "countries": list(countries),
                                    "exclude_location_ids": list(exclude)})
    with workspace_data(ctx, workspace) as (ws, store):
        service.set_pool(CommerceStore(store), ws.id, rule, now())
        _dump(rule.model_dump(mode="json"))


@commerce.command("sweep")
@workspace_option
@click.pass_context
@friendly_errors
def sweep_cmd(ctx: click.Context, workspace: str) -> None:
    """Flag open shipments past their promised date (appends shipment.late events)."""
    with workspace_data(ctx, workspace) as (ws, store):
        console.print(f"{service.sweep_overdue(CommerceStore(store), ws.id, now())} new alert(s).")


@commerce.command("rebuild")
@workspace_option
@click.pass_context
@friendly_errors
def rebuild_cmd(ctx: click.Context, workspace: str) -> None:
    """Drop the commerce projection and replay it from the event log."""
    with workspace_data(ctx, workspace) as (ws, store):
        console.print(f"Replayed {projector.rebuild(CommerceStore(store), ws.id)} event(s).")
