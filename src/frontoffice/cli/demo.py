"""``frontoffice demo``: generate the demo brand, send it through the collector, serve it."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from itertools import chain
from pathlib import Path

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from frontoffice.cli.context import console, friendly_errors, settings_from
from frontoffice.cli.demo_output import (
    print_commerce,
    print_consent,
    print_people,
    print_report,
    print_residency,
    print_tour,
)
from frontoffice.cli.serve import stop_child, wait_until_serving
from frontoffice.console.demo import DEMO_PASSWORD, ensure_demo_users
from frontoffice.demo import generate, write
from frontoffice.demo.consent_showcase import consent_people, consent_tour
from frontoffice.demo.identity_showcase import identity_showcase, print_identity_showcase
from frontoffice.demo.loader import (
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
    cross_script_people,
    load_commerce,
    person_commerce,
    wait_for_identity,
)
from frontoffice.domain.events import Limits
from frontoffice.domain.tenancy import Workspace
from frontoffice.errors import FrontofficeError
from frontoffice.identity.match_service import match_config
from frontoffice.settings import Settings
from frontoffice.storage import open_configured_store
from frontoffice.storage.identity_sql import IdentitySql
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
    """The server in a process group of its own: the terminal's Ctrl-C reaches this command
    only, which stops the server once (SIGTERM) and lets it stop its own processes."""
    args = [sys.executable, "-m", "frontoffice", "--data-dir", str(data_dir)]
    if database_url:
        args += ["--database-url", database_url]
    env = {**os.environ, "FRONTOFFICE_STORAGE_LOCATIONS": locations or ""}
    server = subprocess.Popen([*args, "serve", "--host", host, "--port", str(port)], env=env,
                              process_group=0)
    wait_until_serving(server, f"http://{host}:{port}")
    return server


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


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

    Safe to run again: every id is deterministic, so nothing is stored twice, and the tour
    shows the same state (the customer it erased the first time stays the only one).
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
        logins = ensure_demo_users(store, workspace.id)
    finally:
        store.close()
    # Ctrl-C, a closed terminal and `kill` all stop the demo the same quiet way
    handlers = {s: signal.signal(s, _interrupt) for s in (signal.SIGTERM, signal.SIGHUP)}
    server: subprocess.Popen[bytes] | None = None
    try:
        brand = _brand(settings.data_dir, seed, people)
        server = _start_server(settings.data_dir, settings.database_url, host, port,
                               settings.storage_locations)
        base = f"http://{host}:{port}"
        email = _load_and_show(settings, workspace, brand, base)
        print_tour(base, brand, email)
        console.print(f"console:     {base}/console/ — one login per role, password {DEMO_PASSWORD}: "
                      + ", ".join(f"{login} ({role})" for role, login, _ in logins), soft_wrap=True)
        if serve:
            console.print(f"[bold]Serving on {base}[/bold] — press Ctrl-C to stop.")
            if server.wait() != 0:
                raise FrontofficeError(f"The server stopped (exit {server.returncode}); what it "
                                       "printed above says why.")
    except KeyboardInterrupt:
        pass
    finally:
        if server is not None:
            stop_child(server, 60)
        for signum, handler in handlers.items():
            signal.signal(signum, handler)
    console.print("stopped.")


def _load_and_show(settings: Settings, workspace: Workspace, brand: Path, base: str) -> str | None:
    """Send, import, show; the email of the customer whose commerce traits it showed."""
    report = SendReport()
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
        show_people, email = _people_tour(store, settings, workspace.id, brand, base)
        # counted after the tour's consent and erasure steps: a second run finds the same
        print_report(report, pos, store.count_events(workspace.id),
                     store.count_quarantine(workspace.id))
        print_residency(store, settings, match_config(settings))
        print_commerce(commerce_counts, highlights)
        show_people()
        return email
    finally:
        store.close()


def _people_tour(store: SqlStore, settings: Settings, ws: str, brand: Path,
                 base: str) -> tuple[Callable[[], None], str | None]:
    """Identity, commerce traits, consent and the erasure, done first (what prints them is
    returned), so the erasure spares every person the tour shows (a second run shows them
    again) and the counts are the state after it (a second run shows the same counts)."""
    with console.status("waiting for the server to resolve identities"):
        wait_for_identity(store, ws)
    with console.status("matching people without a shared identifier (Splink)"):
        matched = identity_showcase(store, ws, match_config(settings))
    _, _, mixed = cross_script_people(store, ws)
    found = person_commerce(store, ws)
    with console.status("consent: one customer per market"):
        consent_rows = consent_tour(store, ws, brand, base, write_key("web"))
    sql = IdentitySql(store)
    case = matched.case
    shown = ({p.person_id for p in mixed} | {m[0] for m in matched.cross_script}
             | ({found[1]} if found else set()) | consent_people(store, ws, consent_rows)
             | (set(sql.persons_of(ws, [case.record_a, case.record_b]).values()) if case else set()))
    with console.status("privacy: an erasure request, end to end"):
        erased = privacy_showcase(store, ws, spare=shown)
    wait_for_identity(store, ws)  # the consent tour's page call, resolved by the server
    people, records = sql.count_persons(ws), sql.count_records(ws)

    def show() -> None:
        print_people(people, records, mixed)
        print_identity_showcase(matched, console.print)
        if found is not None:
            email, person_id, traits = found
            console.print(f"\ncommerce traits on the golden record {person_id} "
                          f"(all of this person's identifiers, not just {email}):")
            console.print_json(data={k: v for k, v in traits.items() if k != "customer_keys"})
        print_consent(consent_rows)
        console.print()
        for line in erased:
            console.print(line, soft_wrap=True, highlight=False)

    return show, (found[0] if found else None)
