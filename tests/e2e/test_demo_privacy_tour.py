"""The demo's privacy tour as a client: one erasure end to end over the DSR API of a real
server process, the token read from the outbox with the real ``frontoffice dsr outbox``
command, identifiers masked."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import orjson
import pytest

from frontoffice.demo.client import ADMIN_SCOPES, Api, frontoffice_cli
from frontoffice.demo.privacy_showcase import privacy_showcase
from frontoffice.demo.tenant import WORKSPACE
from frontoffice.identity.hub import IdentityHub
from frontoffice.storage import open_store
from frontoffice.storage.sql import SqlStore
from frontoffice.tenancy import service as tenancy
from tests.integration.identity_support import Brand, identify
from tests.support.server import ServerProcess

pytestmark = pytest.mark.e2e


@dataclass
class Tour:
    store: SqlStore
    brand: Brand
    folder: Path
    api: Api
    actor: str
    cli: Any

    def send(self, source: str, event: dict[str, Any]) -> None:
        """As the brand's system sends it, and as the brand's files keep it."""
        self.brand.send(source, event)
        IdentityHub(self.store).catch_up(self.brand.workspace_id)  # the worker's job
        with (self.folder / "events.ndjson").open("ab") as handle:
            handle.write(orjson.dumps({**event, "context": {"source": source}}) + b"\n")

    def run(self, spare: set[str] | None = None) -> list[str]:
        return privacy_showcase(self.api, self.folder, self.actor, self.cli, spare or set())

    def people(self, email: str) -> list[str]:
        found: list[str] = self.api.get(f"/api/v1/workspaces/{WORKSPACE}/people/lookup", kind="email",
                                        value=email)["person_ids"]
        return found


@pytest.fixture
def tour(tmp_path: Path) -> Iterator[Tour]:
    url = f"sqlite:///{tmp_path / 'frontoffice.db'}"
    store = open_store(url)
    store.upgrade()
    ws = tenancy.ensure_workspace(store, WORKSPACE)
    sources = {name: tenancy.create_source(store, ws.id, name, name)[0].id for name in ("web", "email")}
    token, secret = tenancy.create_token(store, None, "demo-admin", list(ADMIN_SCOPES))
    folder = tmp_path / "brand"
    folder.mkdir()
    (folder / "events.ndjson").touch()
    server = ServerProcess(url, tmp_path)
    server.start()
    cli = partial(frontoffice_cli, global_args=["--data-dir", str(tmp_path), "--database-url", url])
    try:
        with Api.connect(server.url, secret) as api:
            yield Tour(store, Brand(store, ws.id, sources), folder, api, f"token:{token.id}", cli)
    finally:
        server.stop()
        store.close()


def verified(mid: str, user: str, email: str) -> dict[str, Any]:
    return identify(mid, "2026-10-01T10:00:00Z", user=user, email=email, emailVerified=True)


def test_the_privacy_tour_erases_the_first_customer_whose_email_the_email_service_verified(
        tour: Tour) -> None:
    tour.send("web", verified("c1", "cem", "cem@mailbox.org"))  # a browser's word proves nothing
    tour.send("email", verified("a1", "ann", "ann@mailbox.org"))
    lines = tour.run()
    text = "\n".join(lines)
    assert "erasure request dsr_" in lines[0] and "a***@m***.org" in lines[0], text
    assert "lookup by a***@m***.org now finds nobody" in text
    assert "opened → token_sent → verified → executed" in text
    assert "ann@mailbox.org" not in text
    assert tour.people("ann@mailbox.org") == []
    assert tour.people("cem@mailbox.org")


def test_a_second_privacy_tour_shows_the_first_erasure_and_erases_nobody_else(tour: Tour) -> None:
    tour.send("email", verified("a1", "ann", "ann@mailbox.org"))
    tour.send("email", verified("b1", "bea", "bea@mailbox.org"))
    first = tour.run()
    [left] = [e for e in ("ann@mailbox.org", "bea@mailbox.org") if tour.people(e)]
    second = tour.run()
    request = first[0].split()[3]  # "privacy: erasure request dsr_…"
    assert request.startswith("dsr_") and f"erasure request {request} of " in second[0]
    assert "was carried out by an earlier run" in second[0]
    assert tour.people(left)  # still there


def test_the_privacy_tour_spares_the_people_the_rest_of_the_tour_shows(tour: Tour) -> None:
    tour.send("email", verified("a1", "ann", "ann@mailbox.org"))
    tour.send("email", verified("b1", "bea", "bea@mailbox.org"))
    [ann], [bea] = tour.people("ann@mailbox.org"), tour.people("bea@mailbox.org")
    tour.run(spare={ann})
    assert tour.people("ann@mailbox.org") == [ann]
    assert tour.people("bea@mailbox.org") == []
    assert bea
