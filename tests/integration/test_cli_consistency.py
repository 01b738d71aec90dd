"""The command line behaves the same everywhere: -w, --limit, --json, usage errors, no reprs."""

from __future__ import annotations

import click
import orjson
import pytest
from click.testing import CliRunner

from frontoffice.cli.main import cli
from frontoffice.storage.sql import SqlStore
from tests.integration.identity_review_support import review_brand
from tests.integration.identity_support import brand, identify

LISTINGS = {"list", "log", "changes", "erasures", "outbox", "conflicts"}


Path = tuple[str, ...]


def commands(group: click.Group = cli, prefix: Path = ()) -> list[tuple[Path, click.Command]]:
    found: list[tuple[Path, click.Command]] = []
    ctx = click.Context(group)
    for name in group.list_commands(ctx):  # the lazily imported ones too
        command = group.get_command(ctx, name)
        assert command is not None
        if isinstance(command, click.Group):
            found += commands(command, (*prefix, name))
        else:
            found.append(((*prefix, name), command))
    return found


def option(command: click.Command, name: str) -> click.Option | None:
    return next((p for p in command.params if isinstance(p, click.Option) and name in p.opts), None)


def run(database_url: str, *args: str, code: int = 0) -> str:
    result = CliRunner().invoke(cli, ["--database-url", database_url, *args])
    assert result.exit_code == code, result.output
    return result.output


def test_every_command_that_acts_on_a_workspace_accepts_w() -> None:
    acting = [(path, c) for path, c in commands() if option(c, "--workspace")]
    assert len(acting) > 30
    missing = [" ".join(path) for path, c in acting if "-w" not in option(c, "--workspace").opts]  # type: ignore[union-attr]
    assert not missing, f"no -w: {missing}"


def test_every_listing_command_takes_limit_and_json() -> None:
    listings = [(path, c) for path, c in commands() if path[-1] in LISTINGS]
    assert len(listings) >= 10
    missing = [" ".join(path) for path, c in listings if not (option(c, "--limit") and option(c, "--json"))]
    assert not missing, f"no --limit or --json: {missing}"


def test_listings_show_at_most_limit_rows_in_json_and_tables(database_url: str) -> None:
    run(database_url, "workspace", "create", "acme")
    run(database_url, "workspace", "create", "beta")
    for name in ("web", "app", "pos"):
        run(database_url, "source", "create", name, "-w", "acme", "--channel", name)
    assert len(orjson.loads(run(database_url, "source", "list", "-w", "acme", "--limit", "2", "--json"))) == 2
    assert len(orjson.loads(run(database_url, "workspace", "list", "--limit", "1", "--json"))) == 1
    table = run(database_url, "source", "list", "-w", "acme", "--limit", "1")
    assert sum(name in table for name in ("web", "app", "pos")) == 1


def test_identity_changes_prints_no_more_than_its_limit(store: SqlStore, database_url: str) -> None:
    review_brand(store)
    run(database_url, "identity", "match", "-w", "acme")
    assert len(run(database_url, "identity", "changes", "-w", "acme", "--json").splitlines()) > 1
    lines = run(database_url, "identity", "changes", "-w", "acme", "--limit", "1", "--json").splitlines()
    assert len(lines) == 1 and orjson.loads(lines[0])["type"].startswith("person.")
    table = run(database_url, "identity", "changes", "-w", "acme", "--limit", "1")
    assert table.count("person.") == 1


@pytest.mark.parametrize("args", [
    ("source", "create", "kiosk", "-w", "acme", "--channel", "carrier-pigeon"),
    ("export", "-w", "acme", "--purpose", "world-domination", "--out", "x.ndjson"),
    ("people", "export", "-w", "acme", "--purpose", "world-domination", "--out", "folder"),
    ("destinations", "create", "crm", "-w", "acme", "--url", "https://crm.test/hook",
     "--purpose", "world-domination"),
    ("consent", "check", "user_id:ann", "world-domination", "-c", "web", "-w", "acme"),
    ("consent", "check", "user_id:ann", "analytics", "-c", "carrier-pigeon", "-w", "acme"),
], ids=lambda a: " ".join(a[:2]) + " " + next(x for x in a if x in ("carrier-pigeon", "world-domination")))
def test_an_unknown_channel_or_purpose_is_a_usage_error_listing_the_choices(args: tuple[str, ...]) -> None:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 2, result.output
    assert "is not one of" in result.output and "refused" not in result.output
    assert ("'web'" in result.output) or ("'analytics'" in result.output)


def test_settings_show_defaults_as_text_never_as_python_reprs() -> None:
    result = CliRunner().invoke(cli, ["settings"], terminal_width=300)
    assert result.exit_code == 0 and ".frontoffice" in result.output
    assert "PosixPath" not in result.output
    listed = {s["setting"]: s for s in orjson.loads(CliRunner().invoke(cli, ["settings", "--json"]).output)}
    assert listed["data_dir"]["default"] == ".frontoffice"


def test_people_show_prints_traits_as_text_and_sources_by_name(store: SqlStore, database_url: str) -> None:
    b = brand(store)
    b.send("pos", identify("R-9", "2026-02-01T12:00:00Z", anon="R-9", email="bo@posteo.de",
                           address={"city": "Bonn", "country": "DE"}))
    run(database_url, "resolve", "-w", "acme")
    result = CliRunner().invoke(cli, ["--database-url", database_url, "people", "show", "bo@posteo.de",
                                      "-w", "acme"], terminal_width=300)
    assert result.exit_code == 0, result.output
    assert "{'" not in result.output and '"city":"Bonn"' in result.output
    pos = store.source(b.workspace_id, "pos")
    assert pos is not None and pos.id not in result.output and "pos:R-9" in result.output
