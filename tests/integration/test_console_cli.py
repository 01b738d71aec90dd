"""`frontoffice user create/list/disable` on both databases."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from frontoffice.cli.main import cli
from tests.integration.test_cli import run


def test_a_user_is_created_listed_and_disabled_from_the_cli(database_url: str, tmp_path: Path) -> None:
    run(database_url, tmp_path, "workspace", "create", "acme", "--region", "EU")
    made = json.loads(run(database_url, tmp_path, "user", "create", "ann", "-w", "acme", "--role",
                          "privacy_officer", "--password", "a long enough password", "--locale", "de",
                          "--json"))
    assert made["role"] == "privacy_officer" and "privacy:admin" in made["scopes"]
    listed = json.loads(run(database_url, tmp_path, "user", "list", "-w", "acme", "--json"))
    assert [(u["login"], u["locale"], u["status"]) for u in listed] == [("ann", "de", "active")]
    run(database_url, tmp_path, "user", "disable", "ann")
    listed = json.loads(run(database_url, tmp_path, "user", "list", "-w", "acme", "--json"))
    assert listed[0]["status"] == "disabled"


def test_a_short_password_is_refused_with_what_to_do(database_url: str, tmp_path: Path) -> None:
    run(database_url, tmp_path, "workspace", "create", "acme", "--region", "EU")
    result = CliRunner().invoke(cli, ["--data-dir", str(tmp_path), "--database-url", database_url,
                                      "user", "create", "bob", "-w", "acme", "--role", "agent",
                                      "--password", "short"])
    assert result.exit_code != 0 and "at least 12 characters" in result.output
