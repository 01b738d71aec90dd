"""``frontoffice demo``: generate the demo brand, send it through the collector, serve it."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from dataclasses import replace
from itertools import chain
from pathlib import Path
from typing import Any

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from frontoffice.bootstrap import open_configured_store
from frontoffice.cli.context import console, friendly_errors, settings_from
from frontoffice.cli.serve import wait_until_serving
from frontoffice.demo import generate, write
from frontoffice.demo.consent_showcase import CHANNEL, PURPOSES, consent_tour
from frontoffice.demo.consent_showcase import Row as ConsentRow
from frontoffice.demo.identity_showcase import identity_showcase, print_identity_showcase
from frontoffice.demo.loader import (
    DEMO_TOKEN,
    RESIDENT,
    SendReport,
    ensure_demo_tenant,
    import_pos,
    marketplace_calls,
    message_calls,
    send,
    storage_locations,
    write_key,
)
from frontoffice.demo.privacy_showcase import privacy_showcase
from frontoffice.demo.showcase import (
    CrossScript,
    cross_script_people,
    load_commerce,
    person_commerce,
    wait_for_identity,
)
from frontoffice.domain.events import Limits
from frontoffice.errors import FrontofficeError
from frontoffice.residency.router import located
from frontoffice.services.identity_match import match_config
from frontoffice.settings import Settings
from frontoffice.storage.sql import SqlStore


@click.group()
def demo() -> None:
    """The demo brand: a deterministic omnichannel shop in six countries."""


@demo.command("generate")
@click.option("--seed", default=7, show_default=True, help="Same seed, same brand, byte for byte.")
@click.option("--people", default=2000, show_default=True, help="How many real people.")
@click.option("--out", type=click.Path(path_type=Path), default=Path("demo-data"), show_default=True,
              help="Directory for the files.")
@friendly_errors
def demo_generate(seed: int, people: int, out: Path) -> None:
    """Write the demo brand's files (events, POS receipts, orders, stock, messages, truth)."""
    with console.status(f"generating {people:,} people (seed {seed})"):
        paths = write(generate(seed, people), out)
    summary = json.loads(paths["summary.json"].read_text(encoding="utf-8"))
    console.print(f"wrote {len(paths)} files to {out}/ — ground truth in ground_truth.csv "
                  "(for evaluation only; the product never reads it)")
    console.print_json(data={k: summary[k] for k in list(summary)[:6]})


def _brand(data_dir: Path, seed: int, people: int) -> Path:
    folder = data_dir / "demo-brand"
    marker = folder / "params.json"
    wanted = {"seed": seed, "people": people}
    if marker.exists() and json.loads(marker.read_text(encoding="utf-8")) == wanted:
        return folder
    with console.status(f"generating the demo brand: {people:,} people, seed {seed}"):
        write(generate(seed, people), folder)
    marker.write_text(json.dumps(wanted), encoding="utf-8")
    return folder


def _port_free(host: str, port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex((host, port)) != 0


def _start_server(data_dir: Path, database_url: str | None, host: str,
                  port: int, locations: str | None) -> subprocess.Popen[bytes]:
    args = [sys.executable, "-m", "frontoffice", "--data-dir", str(data_dir)]
    if database_url:
        args += ["--database-url", database_url]
    env = {**os.environ, "FRONTOFFICE_STORAGE_LOCATIONS": locations or ""}
    server = subprocess.Popen([*args, "serve", "--host", host, "--port", str(port)], env=env)
    wait_until_serving(server, f"http://{host}:{port}")
    return server


def _lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for line in handle if line.strip())


@demo.command("run")
@click.option("--seed", default=7, show_default=True, help="Which demo brand.")
@click.option("--people", default=2000, show_default=True, help="How many real people.")
@click.option("--serve/--no-serve", default=True, show_default=True,
              help="Keep serving the API after loading (stop with Ctrl-C).")
@click.pass_context
@friendly_errors
def demo_run(ctx: click.Context, seed: int, people: int, serve: bool) -> None:
    """Generate the brand, send it through the real HTTP collector, then serve the API.

    Safe to run again: every id is deterministic, so nothing is stored twice.
    """
    settings = settings_from(ctx)
    if not settings.storage_locations:  # where the RU and CN workspaces keep their data
        settings = replace(settings, storage_locations=storage_locations(settings.data_dir))
    host, port = settings.host, settings.port
    if not _port_free(host, port):
        raise FrontofficeError(f"Port {port} on {host} is in use (another demo?). Stop it, or set "
                               "FRONTOFFICE_PORT to another port.")
    store = open_configured_store(settings)
    try:
        workspace = ensure_demo_tenant(store, settings)
    finally:
        store.close()
    brand = _brand(settings.data_dir, seed, people)
    server = _start_server(settings.data_dir, settings.database_url, host, port,
                           settings.storage_locations)
    try:
        report = SendReport()
        base = f"http://{host}:{port}"
        files = ("events.ndjson", "marketplace.ndjson", "messages.ndjson")
        total = sum(_lines(brand / f) for f in files)
        calls = chain((json.loads(line) for line in (brand / files[0]).open(encoding="utf-8")),
                      marketplace_calls(brand / files[1]), message_calls(brand / files[2]))
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TimeElapsedColumn())
        with Progress(*columns, console=console) as progress:
            task = progress.add_task("sending events over HTTP", total=total)
            send(base, calls, report, lambda n: progress.advance(task, n))
        store = open_configured_store(settings)
        try:
            pos = import_pos(store, settings, brand,
                             Limits(settings.max_event_bytes, settings.max_json_depth))
            with console.status("orders, stock, shipments and returns through the commerce intake"):
                commerce_counts, highlights = load_commerce(store, workspace, brand)
            in_log = store.count_events(workspace.id)
            quarantined = store.count_quarantine(workspace.id)
            _print_report(report, sum(p.imported for p in pos), sum(p.duplicates for p in pos),
                          sum(p.quarantined + p.refused for p in pos), in_log, quarantined)
            _print_residency(store, settings)
            _print_commerce(commerce_counts, highlights)
            with console.status("waiting for the server to resolve identities"):
                wait_for_identity(store, workspace.id)
            _print_people(*cross_script_people(store, workspace.id))
            with console.status("matching people without a shared identifier (Splink)"):
                matched = identity_showcase(store, workspace.id, match_config(settings))
            print_identity_showcase(matched, console.print)
            found = person_commerce(store, workspace.id)
            if found is not None:
                email, person_id, traits = found
                console.print(f"\ncommerce traits on the golden record {person_id} "
                              f"(all of this person's identifiers, not just {email}):")
                console.print_json(data={k: v for k, v in traits.items() if k != "customer_keys"})
            with console.status("consent: one customer per market"):
                consent_rows = consent_tour(store, workspace.id, brand, base, write_key("web"))
            _print_consent(consent_rows)
            with console.status("privacy: an erasure request, end to end"):
                erased = privacy_showcase(store, workspace.id)
            console.print()
            for line in erased:
                console.print(line, soft_wrap=True, highlight=False)
        finally:
            store.close()
        _print_tour(base, brand)
        if not serve:
            return
        console.print(f"[bold]Serving on {base}[/bold] — press Ctrl-C to stop.")
        try:
            server.wait()
        except KeyboardInterrupt:
            console.print("stopping…")
    finally:
        if server.poll() is None:
            server.terminate()
            server.wait(timeout=20)
    console.print("stopped.")


def _print_report(report: SendReport, pos_imported: int, pos_duplicates: int,
                  pos_quarantined: int, in_log: int, quarantined: int) -> None:
    table = Table("source", "sent", "stored now", "already stored", "rejected",
                  title="demo brand → collector")
    for source in sorted(report.sent):
        table.add_row(source, str(report.sent[source]), str(report.accepted[source]),
                      str(report.duplicates[source]), str(report.rejected[source]))
    table.add_row("pos (import)", str(pos_imported + pos_duplicates + pos_quarantined),
                  str(pos_imported), str(pos_duplicates), str(pos_quarantined))
    console.print(table)
    console.print(f"event log of workspace 'demo': {in_log:,} events, {quarantined:,} quarantined")


def _print_residency(store: SqlStore, settings: Settings) -> None:
    router = located(store, settings)
    try:
        for country, name in RESIDENT.items():
            resident = store.workspace(name)
            if resident is None:
                continue
            kept = router.for_workspace(resident.id)
            where = router.url_for(resident.id) or "the main database"
            console.print(f"residency: {country} customers' calls went to workspace '{name}', stored "
                          f"in {where}: {kept.count_events(resident.id):,} events", soft_wrap=True)
    finally:
        router.close()


def _print_commerce(counts: dict[str, int], highlights: dict[str, Any]) -> None:
    stored = ", ".join(f"{k} {v:,}" for k, v in counts.items() if k != "alerts")
    console.print(f"\n[bold]commerce[/bold] (new this run): {stored or 'nothing new'}")
    console.print(f"price conflicts across channels: {highlights['conflict_count']}")
    for reason in highlights["conflicts"]:
        console.print(f"  • {reason}", soft_wrap=True)
    console.print(f"late or failed deliveries: {highlights['alert_count']}")
    for alert in highlights["late_or_failed"]:
        console.print(f"  • {alert}")


def _print_people(people: int, records: int, mixed: list[CrossScript]) -> None:
    console.print(f"\n[bold]golden records[/bold]: {records:,} records resolved into {people:,} people")
    console.print("people recognised across scripts (their records use both spellings):")
    for person in mixed:
        console.print(f"  • {person.person_id}: {' · '.join(person.names)}", soft_wrap=True)
        if person.evidence:
            console.print(f"    joined because: {person.evidence}", soft_wrap=True)


def _print_consent(rows: list[ConsentRow]) -> None:
    table = Table("customer", "region", *(f"{p}\n({CHANNEL[p]})" for p in PURPOSES),
                  title="consent: one policy check, four markets")
    for row in rows:
        marks = ["[green]yes[/green]" if row.answers[p][0] else "[red]no[/red]" for p in PURPOSES]
        table.add_row(row.customer.user_id, row.region, *marks)
    console.print()
    console.print(table)
    for row in rows:
        refused = [f"{p}: {row.answers[p][1]}" for p in PURPOSES if not row.answers[p][0]]
        console.print(f"  • {row.customer.user_id} {row.customer.name} ({row.region}): {row.how}"
                      + (f"; refused {refused[0]}" if refused else ""), soft_wrap=True)


def _print_tour(base: str, brand: Path) -> None:
    console.print(f"\nbrand files: {brand}/ (ground_truth.csv is for evaluation only)")
    console.print(f"API docs:    {base}/docs   health: {base}/healthz")
    console.print("try:")
    auth = f"-H 'Authorization: Bearer {DEMO_TOKEN}'"
    for line in (
        f"curl -s {auth} '{base}/api/v1/workspaces/demo/events?limit=3'",
        f"curl -s {auth} '{base}/api/v1/workspaces/demo/identity/changes?limit=3'",
        f"curl -s -u {write_key('web')}: {base}/v1/track "
        "-d '{\"userId\":\"cus_you\",\"event\":\"Tried The Demo\"}'",
        f"curl -s {auth} '{base}/api/v1/workspaces/demo/quarantine'",
        f"curl -s {auth} '{base}/api/v1/workspaces/demo/people/lookup?kind=email&value=<an email above>'",
        f"curl -s {auth} '{base}/api/v1/workspaces/demo/availability?sku=PRD-0001-M&channel=web'",
    ):
        console.print(f"  {line}", soft_wrap=True)
