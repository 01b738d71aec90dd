"""``frontoffice identity match|review|changes`` on SQLite and PostgreSQL."""

from __future__ import annotations

import orjson
from click.testing import CliRunner

from frontoffice.cli.main import cli
from frontoffice.identity.rules import person_id_for
from frontoffice.storage.sql import SqlStore
from tests.integration.identity_review_support import review_brand


def run(database_url: str, *args: str, code: int = 0) -> str:
    result = CliRunner().invoke(cli, ["--database-url", database_url, *args])
    assert result.exit_code == code, result.output
    return result.output


def test_match_then_reject_from_the_command_line_and_follow_the_changes(
        store: SqlStore, database_url: str) -> None:
    b = review_brand(store)
    out = run(database_url, "identity", "match", "--workspace", "acme")
    assert "2 records scored" in out and "1 merged, 1 queued for review, 0 namesakes joined" in out
    [item] = orjson.loads(run(database_url, "identity", "review", "list", "-w", "acme", "--json"))
    listed = run(database_url, "identity", "review", "list", "-w", "acme")
    assert f"review {item['id']} (pending)" in listed and "Lena" in listed and "Anna" in listed
    out = run(database_url, "identity", "review", "reject", str(item["id"]), "-w", "acme",
              "--reason", "twins")
    assert f"review {item['id']} rejected" in out
    out = run(database_url, "identity", "review", "accept", str(item["id"]), "-w", "acme", code=1)
    assert "already rejected by user" in out
    assert run(database_url, "identity", "review", "list", "-w", "acme") .strip() == "nothing in the queue"
    changes = [orjson.loads(line) for line in
               run(database_url, "identity", "changes", "-w", "acme", "--json").splitlines()]
    merged = [c for c in changes if c["type"] == "person.merged"]
    assert [c["person_id"] for c in merged] == [person_id_for(b.rid("web", "w-ivanov"))]
    assert [c["id"] for c in changes] == sorted(c["id"] for c in changes)
