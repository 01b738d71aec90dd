"""A DSR erasure through frontoffice.privacy.erasure on SQLite and PostgreSQL: the person is gone
from lookups, the DSR tables keep no copy of their data, and the audit trail stays."""

from __future__ import annotations

from pathlib import Path

from frontoffice.consent.service import ConsentHub
from frontoffice.dsr import service
from frontoffice.dsr.execute import Hubs
from frontoffice.dsr.store import DsrStore
from frontoffice.identity import service as identity
from frontoffice.identity.hub import IdentityHub
from frontoffice.storage import open_store
from frontoffice.tenancy import service as tenancy
from tests.integration.identity_support import Brand
from tests.integration.test_dsr_world import World, dsr_db, identify, store, world

__all__ = ["dsr_db", "store", "world"]


def test_an_erasure_request_erases_the_person_and_keeps_the_audit_trail(world: World) -> None:
    world.send("accounts", identify("a1", user="ann", email="ann@mailbox.org", emailVerified=True,
                               phone="+49 151 23456789", lastName="Meier", address={"country": "DE"}))
    world.send("accounts", identify("b1", user="bob", email="bob@mailbox.org", emailVerified=True))
    access = world.verified("access", "email", "ann@mailbox.org")
    world.execute(access)
    pending = world.open("rectification", "email", "ann@mailbox.org", {"traits": {"lastName": "Maier"}})
    erasure = world.verified("erasure", "phone", "+49 151 23456789")
    done = world.execute(erasure)
    assert done.status.value == "completed" and done.outcome is not None
    report = done.outcome["report"]
    assert report["person_id"] == done.person_id and report["subjects_shredded"] >= 1
    assert done.outcome["dsr_copies_dropped"] == {"artefacts": 2, "outbox_messages": 2, "pending_details": 1}
    assert identity.lookup(world.store, world.ws, "email", "ann@mailbox.org") == []
    assert identity.lookup(world.store, world.ws, "phone", "+49 151 23456789") == []
    assert identity.lookup(world.store, world.ws, "email", "bob@mailbox.org")  # nobody else
    sql = DsrStore(world.store)
    assert sql.artefact(world.ws, access, "json") is None and sql.messages(world.ws) == []
    assert service.require(world.store, world.ws, pending.request.id).details == {}
    assert world.actions(erasure) == ["opened", "token_sent", "verified", "executed"]
    rows = world.store.query("SELECT * FROM dsr_requests WHERE workspace_id = ?", (world.ws,))
    rows += world.store.query("SELECT * FROM dsr_audit WHERE workspace_id = ?", (world.ws,))
    for secret in ("ann@mailbox.org", "23456789", "Meier", "Maier"):
        assert secret not in repr(rows)


def test_after_a_dsr_erasure_no_sqlite_file_holds_the_contact_the_token_went_to(tmp_path: Path) -> None:
    """The DSR outbox held the email in clear (a mailer must read it): after the erasure no byte
    of the database folder (main file, WAL, journals) holds it — and before, the scan finds it."""
    folder = tmp_path / "data"
    s = open_store(f"sqlite:///{folder / 'frontoffice.db'}")
    s.upgrade()
    ws = tenancy.create_workspace(s, "acme", "EU")
    accounts, _ = tenancy.create_source(s, ws.id, "accounts", "web", trust="server")
    w = World(s, Brand(s, ws.id, {"accounts": accounts.id}), Hubs(IdentityHub(s), ConsentHub.of(s)))
    w.send("accounts", identify("z1", user="zed", email="zebulon.quist@mailbox.org", emailVerified=True))
    request_id = w.verified("erasure", "email", "zebulon.quist@mailbox.org")
    needle = b"zebulon.quist@mailbox.org"

    def holders() -> list[str]:
        return [p.name for p in folder.rglob("*") if p.is_file() and needle in p.read_bytes()]

    s.maintenance("PRAGMA wal_checkpoint(TRUNCATE)")
    assert holders()
    w.execute(request_id)
    assert holders() == []
    s.close()
