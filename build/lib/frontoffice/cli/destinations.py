"""``frontoffice destinations``: webhook destinations (create, list, disable, log) and delivery."""

from __future__ import annotations

import click

from frontoffice.cli.context import (
    console,
    friendly_errors,
    json_option,
    limit_option,
    print_rows,
    purposes,
    settings_from,
    workspace_data,
    workspace_option,
)
from frontoffice.cli.outbound import print_refusals
from frontoffice.destinations.address import allowed_hosts, check_new
from frontoffice.destinations.delivery import TIMEOUT_S, deliver_workspace
from frontoffice.destinations.store import DEFAULT_MAX_ATTEMPTS, DestinationStore
from frontoffice.domain.events import now
from frontoffice.domain.tenancy import Status
from frontoffice.outbound.exports import catch_up_people
from frontoffice.outbound.gate import Refusal


@click.group()
def destinations() -> None:
    """Webhook destinations: each receives the events its purpose allows, signed (HMAC-SHA256)."""


@destinations.command("create")
@click.argument("name")
@workspace_option
@click.option("--url", required=True, help="Where to POST each event (http or https).")
@click.option("--purpose", required=True, type=purposes(),
              help="What the receiver uses the data for; the consent gate checks it for every event.")
@click.option("--type", "event_types", multiple=True, help="Only events of this type (repeatable).")
@click.option("--event", "event_names", multiple=True, help="Only track events with this name (repeatable).")
@click.option("--max-attempts", type=click.IntRange(1, 50), default=DEFAULT_MAX_ATTEMPTS, show_default=True,
              help="Attempts before an event is dead-lettered.")
@click.pass_context
@friendly_errors
def create(ctx: click.Context, name: str, workspace: str, url: str, purpose: str,
           event_types: tuple[str, ...], event_names: tuple[str, ...], max_attempts: int) -> None:
    """Create destination NAME; it receives events stored from now on. Prints the signing secret once."""
    check_new(url, allowed_hosts(settings_from(ctx).destinations_allow_hosts))
    with workspace_data(ctx, workspace) as (ws, store):
        dest = DestinationStore(store).create(ws.id, name, url, purpose, event_types, event_names,
                                              max_attempts)
    console.print(f"destination {dest.name} ({dest.id}) → {dest.url} for {dest.purpose}, from seq "
                  f"{dest.cursor_seq}")
    console.print(f"signing secret (shown once): {dest.secret}")


@destinations.command("list")
@workspace_option
@limit_option
@json_option
@click.pass_context
@friendly_errors
def list_cmd(ctx: click.Context, workspace: str, limit: int, as_json: bool) -> None:
    """Destinations of a workspace with their purpose, filter, status and cursor."""
    with workspace_data(ctx, workspace) as (ws, store):
        rows = [{"name": d.name, "id": d.id, "url": d.url, "purpose": d.purpose,
                 "filter": ", ".join([*d.event_types, *d.event_names]) or "(all)",
                 "status": d.status.value, "cursor": d.cursor_seq}
                for d in DestinationStore(store).all(ws.id)[:limit]]
    print_rows(rows, as_json)


@destinations.command("disable")
@click.argument("name")
@workspace_option
@click.pass_context
@friendly_errors
def disable(ctx: click.Context, name: str, workspace: str) -> None:
    """Stop delivering to NAME (its cursor and delivery log are kept)."""
    with workspace_data(ctx, workspace) as (ws, store):
        dest = DestinationStore(store).set_status(ws.id, name, Status.DISABLED)
    console.print(f"destination {dest.name} disabled at seq {dest.cursor_seq}")


@destinations.command("log")
@click.argument("name")
@workspace_option
@click.option("--outcome", type=click.Choice(["delivered", "refused", "dead_letter"]), default=None,
              help="Only this outcome.")
@limit_option
@json_option
@click.pass_context
@friendly_errors
def log_cmd(ctx: click.Context, name: str, workspace: str, outcome: str | None, limit: int,
            as_json: bool) -> None:
    """Deliveries, refusals and dead letters of NAME, each with its reason (latest last)."""
    with workspace_data(ctx, workspace) as (ws, store):
        dest = DestinationStore(store).require(ws.id, name)
        found = DestinationStore(store).deliveries(ws.id, dest.id, outcome)[-limit:]
    print_rows([{"seq": d.seq, "outcome": d.outcome, "person": d.person, "attempts": d.attempts,
                 "status": d.status_code, "reason": d.reason} for d in found], as_json)


@destinations.command("deliver")
@workspace_option
@click.option("--once", is_flag=True, required=True,
              help="Run one delivery round and exit (the worker delivers continuously).")
@click.option("--timeout", type=click.FloatRange(0.1, 120), default=TIMEOUT_S, show_default=True,
              help="Seconds to wait for a receiver before the attempt counts as failed.")
@click.pass_context
@friendly_errors
def deliver(ctx: click.Context, workspace: str, once: bool, timeout: float) -> None:
    """Bring people up to date, then deliver every active destination's pending events once."""
    with workspace_data(ctx, workspace) as (ws, store):
        catch_up_people(store, ws.id)
        reports = deliver_workspace(store, ws.id, now(), timeout_s=timeout,
                                    allow=allowed_hosts(settings_from(ctx).destinations_allow_hosts))
    if not reports:
        console.print("no active destinations")
    for r in reports:
        console.print(f"{r.destination}: {r.delivered:,} delivered, {r.dead_letter:,} dead-lettered, "
                      f"{r.filtered:,} not matching its filter; cursor at seq {r.cursor_seq}")
        refusals = [Refusal(rule, n, r.examples.get(rule, "")) for rule, n in sorted(r.reasons.items())]
        print_refusals(r.refused, refusals, "events")
