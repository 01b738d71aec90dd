"""``frontoffice dsr``: data-subject requests — open, verify, status, list, execute, extend,
artefact, audit, outbox (the embedded notifier's messages)."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Any

import click
import orjson
from rich.table import Table

from frontoffice.cli.context import (
    console,
    friendly_errors,
    json_option,
    limit_option,
    print_json,
    settings_from,
    workspace_data,
    workspace_option,
)
from frontoffice.domain.events import now
from frontoffice.dsr import service
from frontoffice.dsr.config import DsrConfig
from frontoffice.dsr.execute import Hubs
from frontoffice.dsr.model import DsrError, DsrRequest, Kind, Status
from frontoffice.dsr.notify import OutboxNotifier
from frontoffice.dsr.sql import DsrSql
from frontoffice.services.consent import ConsentHub
from frontoffice.services.identity import IdentityHub
from frontoffice.storage.private_files import write_private


def _actor() -> str:
    return f"cli:{getpass.getuser()}"


def _show(request: DsrRequest) -> None:
    data = request.as_dict(now())
    console.print(f"[bold]{data['id']}[/bold] {data['kind']} — {data['status']}"
                  f"{' [red](overdue)[/red]' if data['overdue'] else ''}")
    for key in ("person_id", "requester", "token_sent_to", "region", "region_reason", "opened_at",
                "deadline", "extension_reason", "verified_at", "closed_at", "reason"):
        if data[key]:
            console.print(f"  {key}: {data[key]}")
    if data["outcome"]:
        console.print(f"  outcome: {orjson.dumps(data['outcome']).decode()}")


def _details(sets: tuple[str, ...], purposes: tuple[str, ...]) -> dict[str, Any]:
    details: dict[str, Any] = {}
    if sets:
        traits: dict[str, Any] = {}
        for item in sets:
            name, sep, value = item.partition("=")
            if not sep:
                raise DsrError(f"--set {item!r}: write name=value, e.g. --set lastName=Müller.")
            if name.startswith("address."):
                traits.setdefault("address", {})[name.removeprefix("address.")] = value
            else:
                traits[name] = value
        details["traits"] = traits
    if purposes:
        details["purposes"] = list(purposes)
    return details


@click.group()
def dsr() -> None:
    """Data-subject requests: access, portability, erasure, rectification, restriction, objection."""


@dsr.command("open")
@click.argument("kind", type=click.Choice([k.value for k in Kind]))
@click.option("--identifier", "-i", required=True,
              help="The requester's identifier as kind:value, e.g. email:ann@example.org or phone:+4915…")
@click.option("--set", "sets", multiple=True, help="Rectification: corrected trait name=value "
              "(address.city=Bonn for address fields); repeat for several.")
@click.option("--purpose", "purposes", multiple=True, help="Objection: a purpose objected to; repeat. "
              "Default: profiling, marketing_*, targeted_advertising, sale_or_sharing.")
@workspace_option
@json_option
@click.pass_context
@friendly_errors
def open_cmd(ctx: click.Context, kind: str, identifier: str, sets: tuple[str, ...],
             purposes: tuple[str, ...], workspace: str, as_json: bool) -> None:
    """Open a KIND request; the token goes to a verified contact of the person (never to an unverified
    one). Prints where it went: the embedded notifier writes it to the dsr_outbox table."""
    id_kind, sep, value = identifier.partition(":")
    if not sep:
        raise DsrError("--identifier must be kind:value, e.g. email:ann@example.org.")
    with workspace_data(ctx, workspace) as (ws, store):
        IdentityHub(store).catch_up(ws.id)
        opened = service.open_request(store, ws.id, Kind(kind), id_kind, value,
                                      details=_details(sets, purposes), actor=_actor(), now=now(),
                                      config=DsrConfig.of(settings_from(ctx)), notifier=OutboxNotifier(store))
    if as_json:
        print_json({**opened.request.as_dict(now()), "delivered": opened.delivered})
        return
    _show(opened.request)
    if opened.delivered:
        console.print(f"token sent to {opened.request.contact_kind} {opened.request.contact_masked}: "
                      f"{opened.delivered} (show it with `frontoffice dsr outbox {opened.request.id} -w "
                      f"{workspace}`)")


@dsr.command("verify")
@click.argument("request_id")
@click.argument("token")
@workspace_option
@click.pass_context
@friendly_errors
def verify(ctx: click.Context, request_id: str, token: str, workspace: str) -> None:
    """Submit the TOKEN the person received for REQUEST_ID (single use, limited attempts)."""
    with workspace_data(ctx, workspace) as (ws, store):
        _show(service.verify(store, ws.id, request_id, token, actor=_actor(), now=now(),
                             config=DsrConfig.of(settings_from(ctx))))


@dsr.command("status")
@click.argument("request_id")
@workspace_option
@click.pass_context
@friendly_errors
def status(ctx: click.Context, request_id: str, workspace: str) -> None:
    """State, deadline and outcome of REQUEST_ID."""
    with workspace_data(ctx, workspace) as (ws, store):
        _show(service.require(store, ws.id, request_id))


@dsr.command("list")
@click.option("--overdue", is_flag=True, help="Only open requests past their deadline.")
@click.option("--status", "state", default=None, type=click.Choice([s.value for s in Status]),
              help="Only requests in this state.")
@workspace_option
@limit_option
@json_option
@click.pass_context
@friendly_errors
def list_cmd(ctx: click.Context, overdue: bool, state: str | None, workspace: str, limit: int,
             as_json: bool) -> None:
    """Requests by deadline (requests whose token ran out unused are marked expired first)."""
    moment = now()
    with workspace_data(ctx, workspace) as (ws, store):
        service.expire_stale(store, ws.id, actor=_actor(), now=moment)
        found = service.list_requests(store, ws.id, now=moment, status=state, overdue=overdue)[:limit]
    if as_json:
        print_json([r.as_dict(moment) for r in found])
        return
    table = Table(title=f"{len(found)} data-subject request(s)")
    for name in ("id", "kind", "status", "region", "deadline"):
        table.add_column(name, no_wrap=True)
    for r in found:
        late = " [red]overdue[/red]" if r.overdue(moment) else ""
        table.add_row(r.id, r.kind.value, r.status.value, r.region, r.deadline.strftime("%Y-%m-%d") + late)
    console.print(table)


@dsr.command("execute")
@click.argument("request_id")
@click.option("--out", "out", type=click.Path(path_type=Path), default=None,
              help="Folder to write the access artefacts (<id>.json, <id>.html) to.")
@workspace_option
@click.pass_context
@friendly_errors
def execute(ctx: click.Context, request_id: str, out: Path | None, workspace: str) -> None:
    """Carry out the verified REQUEST_ID."""
    with workspace_data(ctx, workspace) as (ws, store):
        hubs = Hubs(IdentityHub(store), ConsentHub(store))
        hubs.identity.catch_up(ws.id)
        hubs.consent.catch_up(ws.id)
        done = service.execute(store, ws.id, request_id, hubs=hubs, actor=_actor(), now=now())
        _show(done)
        if out is not None and done.kind in (Kind.ACCESS, Kind.PORTABILITY):
            out.mkdir(parents=True, exist_ok=True)
            for fmt in ("json", "html"):
                path = out / f"{request_id}.{fmt}"
                data = service.download(store, ws.id, request_id, fmt, actor=_actor(), now=now())
                write_private(path, data)
                console.print(f"wrote {path}")


@dsr.command("extend")
@click.argument("request_id")
@click.option("--reason", required=True, help="Why (recorded, and told to the person).")
@workspace_option
@click.pass_context
@friendly_errors
def extend(ctx: click.Context, request_id: str, reason: str, workspace: str) -> None:
    """Extend the deadline of REQUEST_ID once, as far as its region pack allows."""
    with workspace_data(ctx, workspace) as (ws, store):
        _show(service.extend(store, ws.id, request_id, reason,
                             actor=_actor(), now=now()))


@dsr.command("audit")
@click.argument("request_id")
@workspace_option
@click.pass_context
@friendly_errors
def audit(ctx: click.Context, request_id: str, workspace: str) -> None:
    """Every step of REQUEST_ID: when, who, what (identifiers masked)."""
    with workspace_data(ctx, workspace) as (ws, store):
        service.require(store, ws.id, request_id)
        rows = DsrSql(store).trail(ws.id, request_id)
    console.print(f"[bold]audit trail of {request_id}[/bold]")
    for r in rows:
        console.print(f"{r.at}  {r.actor}  [bold]{r.action}[/bold]  {orjson.dumps(r.detail).decode()}",
                      soft_wrap=True)


@dsr.command("outbox")
@click.argument("request_id", required=False)
@workspace_option
@limit_option
@json_option
@click.pass_context
@friendly_errors
def outbox(ctx: click.Context, request_id: str | None, workspace: str, limit: int, as_json: bool) -> None:
    """The messages the embedded notifier queued (for REQUEST_ID, or all of the workspace): the
    recipient, the text and its token, as a mail or SMS gateway would read them. They are
    deleted when their request closes."""
    with workspace_data(ctx, workspace) as (ws, store):
        messages = DsrSql(store).messages(ws.id, request_id)[-limit:]
    rows = [{"id": m.id, "request_id": m.request_id, "created_at": m.created_at, "channel": m.channel,
             "recipient": m.recipient, "token": _token_in(m.body), "body": m.body} for m in messages]
    if as_json:
        print_json(rows)
        return
    for m in messages:
        console.print(f"[bold]#{m.id}[/bold] {m.request_id} {m.created_at} {m.channel} → {m.recipient}\n"
                      f"  {m.body}")
    if not messages:
        console.print("no queued message (none was sent, or the request is closed)")


def _token_in(body: str) -> str | None:
    """The verification code a notifier message carries (``OutboxNotifier``'s text)."""
    code = body.partition("code: ")[2].split(" ", 1)[0]
    return code or None
