"""The command line: every command has --help; admin commands work on both databases."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from frontoffice.cli.main import cli


def all_commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [prefix]
    ctx = click.Context(group)
    for name in group.list_commands(ctx):  # the lazily imported ones too
        command = group.get_command(ctx, name)
        if isinstance(command, click.Group):
            found += all_commands(command, (*prefix, name))
        else:
            found.append((*prefix, name))
    return found


@pytest.mark.parametrize("path", all_commands(cli), ids=lambda p: " ".join(p) or "frontoffice")
def test_every_command_has_help(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output
    command: click.Command = cli
    for name in path:
        assert isinstance(command, click.Group)
        found = command.get_command(click.Context(command), name)
        assert found is not None
        command = found
    assert command.help, f"{' '.join(path)} has no help text"


def run(database_url: str, tmp_path: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--data-dir", str(tmp_path), "--database-url", database_url,
                                      *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_workspace_source_token_commands(empty_database_url: str, tmp_path: Path) -> None:
    database_url = empty_database_url
    assert "pending: 0001_baseline" in run(database_url, tmp_path, "db", "status")
    assert "0001_baseline" in run(database_url, tmp_path, "db", "upgrade")
    assert "pending: none" in run(database_url, tmp_path, "db", "status")
    assert "workspace acme created" in run(database_url, tmp_path, "workspace", "create", "acme",
                                            "--region", "EU")
    out = run(database_url, tmp_path, "source", "create", "web", "--workspace", "acme",
              "--channel", "web", "--write-key", "existing-segment-key-1")
    assert "existing-segment-key-1" in out
    out = run(database_url, tmp_path, "token", "create", "reader", "--workspace", "acme",
              "--scope", "events:read")
    assert "fo_at_" in out
    listing = run(database_url, tmp_path, "source", "list", "--workspace", "acme")
    assert "web" in listing and "existing-segment-key-1" not in listing
    assert "disabled" in run(database_url, tmp_path, "source", "disable", "web", "--workspace", "acme")
    assert "reader" in run(database_url, tmp_path, "token", "list", "--workspace", "acme")
    assert "acme" in run(database_url, tmp_path, "workspace", "list")


def test_errors_are_one_actionable_line_and_exit_1(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--data-dir", str(tmp_path), "source", "list",
                                      "--workspace", "ghost"])
    assert result.exit_code == 1
    assert "No workspace 'ghost'" in result.output and "frontoffice workspace create" in result.output
    assert "Traceback" not in result.output


def test_settings_lists_every_environment_variable() -> None:
    result = CliRunner().invoke(cli, ["settings", "--markdown"])
    assert result.exit_code == 0
    assert "FRONTOFFICE_MAX_REQUEST_BYTES" in result.output
