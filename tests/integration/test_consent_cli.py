"""`frontoffice consent show / check / rebuild` against a real SQLite file."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import orjson
from click.testing import CliRunner, Result

from frontoffice.cli.main import cli
from frontoffice.consent import service as consent
from frontoffice.storage import open_store
from frontoffice.tenancy import service as tenancy


def run(db: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--database-url", f"sqlite:///{db}", *args])


def test_show_and_check_explain_a_subjects_consent(tmp_path: Path) -> None:
    db = tmp_path / "fo.db"
    store = open_store(f"sqlite:///{db}")
    store.upgrade()
    ws = tenancy.create_workspace(store, "acme", "EU")
    consent.record(store, consent.ConsentHub.of(store), ws.id, consent.Capture(
        "user_id:ann", {"marketing_email": True}, notice_version="privacy-v3", explicit=True,
        at=datetime(2026, 11, 1, tzinfo=UTC)), datetime(2026, 11, 2, tzinfo=UTC))
    store.close()
    shown = run(db, "consent", "show", "user_id:ann", "-w", "acme", "--json")
    assert shown.exit_code == 0, shown.output
    data = orjson.loads(shown.output)
    assert data["region"] == "STRICTEST"
    assert [(c["purpose"], c["status"], c["notice_version"]) for c in data["changes"]] == [
        ("marketing_email", "granted", "privacy-v3")]
    allowed = run(db, "consent", "check", "user_id:ann", "marketing_email", "--channel", "email",
                  "-w", "acme")
    assert allowed.exit_code == 0 and "allowed" in allowed.output
    refused = run(db, "consent", "check", "user_id:ann", "marketing_sms", "-c", "sms", "-w", "acme")
    assert refused.exit_code == 2 and "opt_in+explicit" in refused.output
    rebuilt = run(db, "consent", "rebuild", "-w", "acme")
    assert rebuilt.exit_code == 0 and "replayed 1 events" in rebuilt.output
    bad = run(db, "consent", "show", "ann", "-w", "acme")
    assert bad.exit_code == 1 and "kind:value" in bad.output
