"""``frontoffice resolve`` and ``frontoffice people`` on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow.parquet as pq
from click.testing import CliRunner

from frontoffice.cli.main import cli
from frontoffice.identity.rules import person_id_for
from frontoffice.storage.sql import SqlStore
from tests.integration.identity_support import brand, identify, page


def run(database_url: str, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--database-url", database_url, *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_resolve_show_and_export_people(store: SqlStore, database_url: str, tmp_path: Path) -> None:
    b = brand(store)
    b.send("web", page("m1", "2026-01-01T10:00:00Z", "anon-1"),
           identify("m2", "2026-01-01T10:02:00Z", user="cus_ann", anon="anon-1", email="ann@posteo.de",
                    firstName="Ann"))
    b.send("pos", identify("R-9", "2026-02-01T12:00:00Z", anon="R-9", email="bo@posteo.de"))
    out = run(database_url, "resolve", "--workspace", "acme")
    assert "3" in out and "stitch p99" in out
    out = run(database_url, "people", "show", "ann@posteo.de", "--workspace", "acme")
    assert person_id_for(b.rid("web", "m1")) in out and "Ann" in out
    out = run(database_url, "people", "show", "user_id:cus_ann", "--workspace", "acme", "--json")
    assert '"record_count": 2' in out
    run(database_url, "people", "export", "--workspace", "acme", "--purpose", "essential",
        "--out", str(tmp_path / "csv"))
    with (tmp_path / "csv" / "mapping.csv").open() as handle:
        mapping = {row["record_id"]: row["person_id"] for row in csv.DictReader(handle)}
    assert mapping[b.rid("web", "m2")] == mapping[b.rid("web", "m1")] != mapping[b.rid("pos", "R-9")]
    run(database_url, "people", "export", "--workspace", "acme", "--purpose", "essential",
        "--out", str(tmp_path / "pq"), "--format", "parquet")
    assert pq.read_table(tmp_path / "pq" / "people.parquet").num_rows == 2
    out = run(database_url, "resolve", "--workspace", "acme", "--rebuild")
    assert "3" in out


def test_showing_an_unknown_person_says_what_to_do(store: SqlStore, database_url: str) -> None:
    brand(store)
    result = CliRunner().invoke(cli, ["--database-url", database_url, "people", "show", "lena@posteo.de",
                                      "--workspace", "acme"])
    assert result.exit_code == 1
    assert "frontoffice resolve" in result.output
