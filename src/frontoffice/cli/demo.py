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
from functools import partial
from itertools import chain
from pathlib import Path

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from frontoffice.cli.context import console, friendly_errors, settings_from
from frontoffice.cli.demo_moments import print_moments
from frontoffice.cli.demo_output import (
    print_commerce,
    print_consent,
    print_people,
    print_report,
    print_residency,
    print_tour,
)
from frontoffice.cli.serve import stop_child, wait_until_serving
from frontoffice.console.demo import DEMO_PASSWORD, demo_login
from frontoffice.console.roles import Role
from frontoffice.demo import generate, write
from frontoffice.demo.client import (
    TOKEN_FILE,
    AdminToken,
    Api,
    ApiError,
    admin_token,
    frontoffice_cli,
    frontoffice_cli_at_once,
)
from frontoffice.demo.commerce_tour import highlights, load_command, person_commerce
from frontoffice.demo.consent_showcase import consent_people, consent_tour
from frontoffice.demo.decisions import decisions_tour
from frontoffice.demo.identity_showcase import identity_showcase, print_identity_showcase
from frontoffice.demo.insights_tour import ensure_outlet, print_flags, seed_command
from frontoffice.demo.insights_tour import flags as insights_flags
from frontoffice.demo.loader import (
    SendReport,
    marketplace_calls,
    message_calls,
    parse_import_report,
    pos_imports,
    send,
)
from frontoffice.demo.moments_tour import moments_tour
from frontoffice.demo.privacy_showcase import privacy_showcase
from frontoffice.demo.showcase import cross_script_people, wait_for_identity, wait_for_quiet_log
from frontoffice.demo.tenant import WORKSPACE, ensure_tenant, storage_locations, write_key
from frontoffice.errors import FrontofficeError
from frontoffice.settings import Settings


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


def _global_args(settings: Settings) -> list[str]:
    """The options that point another ``frontoffice`` process at the same data."""
    args = ["--data-dir", str(settings.data_dir)]
    return [*args, "--database-url", settings.database_url] if settings.database_url else args


def _cli_env(settings: Settings) -> dict[str, str]:
    return {"FRONTOFFICE_STORAGE_LOCATIONS": settings.storage_locations or ""}


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
    # a bound, not a wait (it returns once the server answers): a loaded machine imports slowly
    wait_until_serving(server, f"http://{host}:{port}", timeout_s=120)
    return server


def _ensure_tenant(api: Api, settings: Settings) -> None:
    try:
        ensure_tenant(api)
    except ApiError as exc:
        if exc.status != 401:
            raise
        raise FrontofficeError(f"This database does not know the demo's admin token kept in "
                               f"{settings.data_dir / TOKEN_FILE}; delete that file and run the "
                               "demo again.") from exc


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for line in handle if line.strip())


def _console_logins(settings: Settings) -> list[tuple[str, str, str]]:
    """One console user per role in the demo workspace, made with ``frontoffice user create``
    as an operator would (a rerun keeps them)."""
    listed = json.loads(frontoffice_cli(["user", "list", "-w", WORKSPACE, "--json"],
                                        _global_args(settings), _cli_env(settings)))
    existing = {u["login"] for u in listed}
    locales = {Role.AGENT: "ja", Role.PRIVACY_OFFICER: "de"}  # the console in three languages
    frontoffice_cli_at_once(
        [["user", "create", demo_login(role), "-w", WORKSPACE, "--role", role.value,
          "--password", DEMO_PASSWORD, *(["--locale", locales[role]] if role in locales else [])]
         for role in Role if demo_login(role) not in existing],
        _global_args(settings), _cli_env(settings))
    return [(role.value, demo_login(role), DEMO_PASSWORD) for role in Role]


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
    # the first admin token, through the CLI: no server exists yet
    token = admin_token(settings.data_dir, _global_args(settings))
    cli = partial(frontoffice_cli, global_args=_global_args(settings), env=_cli_env(settings))
    # Ctrl-C, a closed terminal and `kill` all stop the demo the same quiet way (Ctrl-C too, set
    # here: a process started with SIGINT ignored, as a background job is, would never stop on it)
    handlers = {s: signal.signal(s, _interrupt) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    server: subprocess.Popen[bytes] | None = None
    try:
        brand = _brand(settings.data_dir, seed, people)
        server = _start_server(settings.data_dir, settings.database_url, host, port,
                               settings.storage_locations)
        base = f"http://{host}:{port}"
        with Api.connect(base, token.secret) as api:
            _ensure_tenant(api, settings)
            logins = _console_logins(settings)
            email = _load_and_show(settings, brand, api, token, cli)
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


def _load_and_show(settings: Settings, brand: Path, api: Api, token: AdminToken,
                   cli: Callable[[list[str]], str]) -> str | None:
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
        send(api.base_url, calls, report, lambda n: progress.advance(task, n))
    # receipts and commerce files side by side: separate commands, mostly separate storages
    with console.status("store receipts through frontoffice import; orders, stock, shipments "
                        "and returns through the commerce intake"):
        ensure_outlet(api)  # the insights step's seeded shop, written beside the others
        commands = [*pos_imports(brand), load_command(brand), seed_command()]
        *imports, loaded, seeded = frontoffice_cli_at_once(commands, _global_args(settings),
                                                           _cli_env(settings))
        pos = [parse_import_report(out) for out in imports]
        commerce_counts: dict[str, int] = json.loads(loaded)
        shown_commerce = highlights(api)
    erase = partial(privacy_showcase, api, brand, token.actor, cli)
    with console.status("moments: the brand's loyalty moments, for one showcase customer"):
        moments = moments_tour(api, cli, settings.data_dir, api.base_url, write_key("web"))
    show_people, email = _people_tour(api, WORKSPACE, brand, erase)
    with console.status("next best actions: a catalogue, then decide for two customers"):
        show_decisions = decisions_tour(api, brand)
    with console.status("insights: the detector on a seeded shop"):
        found_flags = insights_flags(api, seeded)
    # counted after the tour's consent and erasure steps: a second run finds the same
    log = api.get(f"/api/v1/workspaces/{WORKSPACE}/log")
    print_report(report, pos, log["events"], log["quarantined"])
    print_residency(api, settings.storage_locations)
    print_commerce(commerce_counts, shown_commerce)
    show_people()
    show_decisions(lambda line: console.print(line, soft_wrap=True, highlight=False))
    print_moments(moments)
    print_flags(found_flags, lambda line: console.print(line, soft_wrap=True, highlight=False))
    return email


def _people_tour(api: Api, ws: str, brand: Path, erase: Callable[[set[str]], list[str]]
                 ) -> tuple[Callable[[], None], str | None]:
    """Identity, commerce traits, consent and the erasure, done first (what prints them is
    returned), so the erasure spares every person the tour shows (a second run shows them
    again) and the counts are the state after it (a second run shows the same counts)."""
    with console.status("waiting for the server to resolve identities"):
        wait_for_identity(api, ws)
    with console.status("matching people without a shared identifier (Splink)"):
        matched = identity_showcase(api, ws)
    _, _, mixed = cross_script_people(api, ws)
    found = person_commerce(api, brand)
    with console.status("consent: one customer per market"):
        consent_rows = consent_tour(api, brand, api.base_url, write_key("web"))
    case = matched.case
    shown = ({p.person_id for p in mixed} | {m[0] for m in matched.cross_script}
             | ({found[1]} if found else set()) | consent_people(api, consent_rows)
             | ({p for p in case["current_person_ids"] if p} if case else set()))
    with console.status("privacy: an erasure request, end to end"):
        erased = erase(shown)
    wait_for_quiet_log(api, ws)  # the consent tour's page call resolved, late parcels' conversations
    status = wait_for_identity(api, ws)
    people, records = status["people"], status["records"]

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
