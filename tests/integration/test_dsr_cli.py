"""`frontoffice dsr open / outbox / verify / execute / list / audit` against a real SQLite file."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner, Result

from frontoffice.cli.main import cli
from frontoffice.storage import open_store
from frontoffice.tenancy import service as tenancy
from tests.integration.identity_support import Brand
from tests.integration.test_dsr_world import identify


def run(db: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--database-url", f"sqlite:///{db}", *args])


def test_a_rectification_runs_from_the_command_line(tmp_path: Path) -> None:
    db = tmp_path / "fo.db"
    store = open_store(f"sqlite:///{db}")
    store.upgrade()
    ws = tenancy.create_workspace(store, "acme", "EU")
    accounts, _ = tenancy.create_source(store, ws.id, "accounts", "web", trust="server")
    Brand(store, ws.id, {"accounts": accounts.id}).send("accounts", identify(
        "a1", user="ann", email="ann@mailbox.org", emailVerified=True, lastName="Meier",
        address={"country": "DE"}))
    store.close()
    opened = run(db, "dsr", "open", "rectification", "-i", "email:ann@mailbox.org", "--set", "lastName=Maier",
                 "--set", "address.city=Bonn", "-w", "acme")
    assert opened.exit_code == 0, opened.output
    assert "token sent to email a***@m***.org: dsr_outbox message" in opened.output
    found = re.search(r"(dsr_[0-9a-f]+) rectification", opened.output)
    assert found
    rid = found.group(1)
    outbox = run(db, "dsr", "outbox", rid, "-w", "acme")
    code = re.search(r"code: (\w+)", outbox.output)
    assert code and "ann@mailbox.org" in outbox.output
    wrong = run(db, "dsr", "verify", rid, "NOTTHECODE", "-w", "acme")
    assert wrong.exit_code == 1 and "Wrong token; 4 attempt(s) left" in wrong.output
    assert run(db, "dsr", "verify", rid, code.group(1), "-w", "acme").exit_code == 0
    done = run(db, "dsr", "execute", rid, "-w", "acme")
    assert done.exit_code == 0 and "completed" in done.output and "lastName" in done.output
    person = run(db, "people", "show", "email:ann@mailbox.org", "-w", "acme")
    assert "Maier" in person.output, person.output
    listed = run(db, "dsr", "list", "-w", "acme")
    assert rid in listed.output and "completed" in listed.output
    trail = run(db, "dsr", "audit", rid, "-w", "acme")
    assert all(a in trail.output for a in ("opened", "token_sent", "verification_failed", "verified",
                                           "executed"))
    assert "ann@mailbox.org" not in trail.output
    assert run(db, "dsr", "status", rid, "-w", "acme").exit_code == 0
    for command in ("open", "verify", "status", "list", "execute", "audit", "extend", "outbox"):
        assert run(db, "dsr", command, "--help").exit_code == 0
