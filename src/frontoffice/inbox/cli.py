"""``frontoffice service``: the service inbox from the command line: classify a file of texts, run
the SMTP receiver, poll an IMAP mailbox, list and show tickets, SLA policies, calendars and
sweeps, retrain."""

from __future__ import annotations

import signal
import threading
from pathlib import Path

import click

from frontoffice.cli.context import (
    console,
    container_from,
    friendly_errors,
    json_option,
    limit_option,
    print_json,
    print_rows,
    resolve_source,
    store_from,
    workspace_data,
    workspace_option,
)
from frontoffice.domain.events import iso, now
from frontoffice.domain.tenancy import Channel, webhook_secret
from frontoffice.inbox import imap, intake, reports, slas, training
from frontoffice.inbox import service as use_cases
from frontoffice.inbox.nlp.classifier import Classifier, NoModels
from frontoffice.inbox.smtp import Receiver, host_port
from frontoffice.inbox.store import InboxStore
from frontoffice.inbox.wiring import desk_for, shared_embedder


@click.group()
def service() -> None:
    """The service inbox: tickets from e-mail, chat and marketplaces."""


@service.command("classify")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--workspace", "-w", "ws", default=None,
              help="Use this workspace's retrained model (default: the seed-trained one).")
@json_option
@click.pass_context
@friendly_errors
def classify(ctx: click.Context, file: Path, ws: str | None, as_json: bool) -> None:
    """Language, category and sentiment (each with its confidence) of each line of FILE."""
    texts = [line.strip() for line in file.read_text(encoding="utf-8").splitlines() if line.strip()]
    if ws is None:
        found = Classifier(shared_embedder(), NoModels())("", texts)
    else:
        with workspace_data(ctx, ws) as (workspace, store):
            found = Classifier(shared_embedder(), InboxStore(store))(workspace.id, texts)
    rows = [{"language": u.language, "category": u.category,
             "category_confidence": round(u.category_confidence, 3), "sentiment": u.sentiment,
             "sentiment_confidence": round(u.sentiment_confidence, 3), "text": t[:60]}
            for u, t in zip(found, texts, strict=True)]
    print_rows(rows, as_json)


@service.command("smtp")
@workspace_option
@click.option("--listen", default=None, help="host:port (default: the inbox_smtp_listen setting).")
@click.pass_context
@friendly_errors
def smtp(ctx: click.Context, workspace: str, listen: str | None) -> None:
    """Receive e-mail over SMTP into the workspace's inbox until interrupted."""
    c = container_from(ctx)
    with workspace_data(ctx, workspace) as (ws, store):
        desk = desk_for(c.settings, store)
        host, port = host_port(listen or c.settings.inbox_smtp_listen, 25)

        def deliver(rcpt: str, raw: bytes) -> str:
            receipt = intake.receive_email(desk, ws.id, raw, now())
            return receipt.ticket_id or f"not a ticket: {receipt.automatic}"

        receiver = Receiver(deliver, host, port, c.settings.inbox_max_attachment_bytes * 3)
        receiver.start()
        console.print(f"SMTP receiver on {host}:{receiver.port} for workspace {ws.name}", highlight=False)
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        try:
            stop.wait()
        except KeyboardInterrupt:
            pass
        finally:
            receiver.stop()
        console.print("stopped.")


@service.command("imap-poll")
@workspace_option
@click.option("--server", required=True, help="host:port of the IMAP server.")
@click.option("--user", required=True)
@click.option("--password", envvar="FRONTOFFICE_IMAP_PASSWORD", required=True,
              help="Or set FRONTOFFICE_IMAP_PASSWORD.")
@click.option("--folder", default="INBOX", show_default=True)
@click.option("--tls", is_flag=True, help="IMAP over TLS (port 993).")
@click.pass_context
@friendly_errors
def imap_poll(ctx: click.Context, workspace: str, server: str, user: str, password: str, folder: str,
              tls: bool) -> None:
    """Deliver the mailbox's unseen messages into the inbox once (run it on a timer)."""
    c = container_from(ctx)
    with workspace_data(ctx, workspace) as (ws, store):
        desk = desk_for(c.settings, store)
        host, port = host_port(server, 993 if tls else 143)
        count = imap.poll(imap.Mailbox(host, port, user, password, folder, tls),
                          lambda raw: intake.receive_email(desk, ws.id, raw, now()))
        console.print(f"{count} message(s) delivered from {folder}.")


@service.command("tickets")
@workspace_option
@click.option("--status", multiple=True, help="Only these statuses.")
@limit_option
@json_option
@click.pass_context
@friendly_errors
def tickets(ctx: click.Context, workspace: str, status: tuple[str, ...], limit: int, as_json: bool) -> None:
    """The queue, newest change first."""
    with workspace_data(ctx, workspace) as (ws, store):
        found = InboxStore(store).tickets(ws.id, status, None, None, limit)
    print_rows([{"ticket": t.ticket_id, "status": t.status, "priority": t.priority, "channel": t.channel,
                 "assignee": t.assignee or "", "language": t.doc.get("language", ""),
                 "category": t.doc.get("understanding", {}).get("category", ""),
                 "subject": t.doc.get("subject", "")[:50]} for t in found], as_json, "no tickets")


@service.command("show")
@workspace_option
@click.argument("ticket_id")
@click.pass_context
@friendly_errors
def show(ctx: click.Context, workspace: str, ticket_id: str) -> None:
    """A ticket with its conversation and the customer's orders (JSON)."""
    c = container_from(ctx)
    with workspace_data(ctx, workspace) as (ws, store):
        v = use_cases.view(desk_for(c.settings, store), ws.id, ticket_id)
    print_json({"ticket": v.ticket, "messages": v.messages, "customer": v.customer})


@service.command("sla-sweep")
@workspace_option
@click.pass_context
@friendly_errors
def sla_sweep(ctx: click.Context, workspace: str) -> None:
    """Log warnings and breaches for every active ticket past a target (a breach escalates)."""
    c = container_from(ctx)
    with workspace_data(ctx, workspace) as (ws, store):
        found = slas.sweep(desk_for(c.settings, store), ws.id, now())
    console.print(f"{len(found)} breach(es) logged.")


@service.command("sla-policy")
@click.argument("policy_id")
@workspace_option
@click.option("--priority", type=click.Choice(["low", "normal", "high", "urgent"]), default=None,
              help="Tickets of this priority only (default: every priority).")
@click.option("--channel", type=click.Choice(list(slas.CHANNELS)), default=None,
              help="Tickets of this channel only (default: every channel).")
@click.option("--segment", default=None, help="Customers in this segment only (default: anyone).")
@click.option("--first-response-hours", type=float, required=True,
              help="Business hours to the first response.")
@click.option("--next-response-hours", type=float, required=True,
              help="Business hours to each next response.")
@click.option("--resolution-hours", type=float, required=True, help="Business hours to the resolution.")
@click.pass_context
@friendly_errors
def sla_policy(ctx: click.Context, policy_id: str, workspace: str, priority: str | None, channel: str | None,
               segment: str | None, first_response_hours: float, next_response_hours: float,
               resolution_hours: float) -> None:
    """Save SLA policy POLICY_ID: its targets for a priority, channel and segment (the most
    specific matching policy applies to a ticket)."""
    c = container_from(ctx)
    with workspace_data(ctx, workspace) as (ws, store):
        print_json(slas.save_policy(desk_for(c.settings, store), ws.id, policy_id, {
            "priority": priority, "channel": channel, "segment": segment,
            "first_response_hours": first_response_hours, "next_response_hours": next_response_hours,
            "resolution_hours": resolution_hours}, now()))


@service.command("calendar")
@click.argument("calendar_id")
@workspace_option
@click.option("--timezone", required=True, help="IANA time zone, e.g. Europe/Berlin.")
@click.option("--country", default=None, help="ISO 3166 country whose public holidays close.")
@click.option("--subdivision", default=None, help="The region's holidays too (DE: BY).")
@click.option("--hours", default="09:00-17:00", show_default=True, help="Working hours, HH:MM-HH:MM.")
@click.option("--weekdays", default="0,1,2,3,4", show_default=True, help="Working days, 0 is Monday.")
@click.option("--team", "teams", multiple=True, help="A team working on this calendar (repeat).")
@click.pass_context
@friendly_errors
def calendar_cmd(ctx: click.Context, calendar_id: str, workspace: str, timezone: str, country: str | None,
                 subdivision: str | None, hours: str, weekdays: str, teams: tuple[str, ...]) -> None:
    """Save business-hours calendar CALENDAR_ID for the teams named."""
    days = [int(d) for d in weekdays.split(",") if d.strip().isdigit()]
    c = container_from(ctx)
    with workspace_data(ctx, workspace) as (ws, store):
        print_json(slas.save_calendar(desk_for(c.settings, store), ws.id, calendar_id, {
            "timezone": timezone, "country": country, "subdivision": subdivision, "hours": hours,
            "weekdays": days, "teams": list(teams)}, now()))


@service.command("report")
@workspace_option
@click.pass_context
@friendly_errors
def report(ctx: click.Context, workspace: str) -> None:
    """Backlog, SLA attainment and CSAT per agent and channel (JSON)."""
    with workspace_data(ctx, workspace) as (ws, store):
        print_json(reports.lead(InboxStore(store), ws.id, now()))


@service.command("train")
@workspace_option
@click.pass_context
@friendly_errors
def train(ctx: click.Context, workspace: str) -> None:
    """Retrain the classifier on the seed set and the workspace's corrected labels."""
    c = container_from(ctx)
    with workspace_data(ctx, workspace) as (ws, store):
        result = training.retrain(desk_for(c.settings, store), ws.id, shared_embedder(), now())
    console.print(f"model {result['model_id']}: {result['examples']} examples, "
                  f"{result['corrections']} of them agents' corrections.")


@service.command("secret")
@click.argument("source_ref")
@click.option("--secret", default=None, help="Use this secret (default: a new random one).")
@click.pass_context
@friendly_errors
def secret_cmd(ctx: click.Context, source_ref: str, secret: str | None) -> None:
    """Set the webhook secret of a marketplace or social source (WORKSPACE/SOURCE); printed once."""
    with store_from(ctx) as store:
        workspace, source = resolve_source(store, source_ref, None)
        channel = source.channel if source.channel is Channel.SOCIAL else Channel.MARKETPLACE
        value = webhook_secret(source, channel, secret)
        with workspace_data(ctx, workspace.id) as (_, data):
            InboxStore(data).set_secret(workspace.id, source.id, value, iso(now()))
        console.print(value)
