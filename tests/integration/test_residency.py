"""Data residency on SQLite and PostgreSQL (the default store), with a Russian storage (a SQLite
file): where a workspace may be created, where its events land (byte check), and the collector's
refusal of personal data that must stay in another country."""

from __future__ import annotations

import base64
import re
import shutil
import threading
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import anyio
import httpx
import orjson
import pytest
from click.testing import CliRunner

from frontoffice import worker as projection_worker
from frontoffice.api.app import create_app
from frontoffice.bootstrap import Container, Role, bootstrap
from frontoffice.cli.main import cli
from frontoffice.commerce.records import sign
from frontoffice.commerce.store import CommerceStore
from frontoffice.destinations.store import DestinationStore
from frontoffice.dsr.store import DsrStore
from frontoffice.errors import ConfigError, InvalidInput
from frontoffice.identity import service as identity
from frontoffice.identity.hub import IdentityHub
from frontoffice.identity.review_store import ReviewSql
from frontoffice.outbound.store import OutboundStore
from frontoffice.privacy.erasure import erasures
from frontoffice.residency.locations import (
    WorkspaceLocations,
    create_resident_workspace,
    parse_storage_locations,
    placement,
)
from frontoffice.settings import Settings
from frontoffice.storage import open_store
from frontoffice.tenancy import service as tenancy
from tests.integration.identity_review_support import (
    ANNA_WEB,
    IVANOV_POS,
    IVANOV_WEB,
    LENA_POS,
    model_json,
    receipt,
)
from tests.integration.identity_support import identify
from tests.integration.test_outbound_destinations import Receiver, receiver
from tests.unit.commerce.sample import LOCATIONS, PRODUCTS, STOCK, order

pytestmark = pytest.mark.anyio
__all__ = ["receiver"]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def test_a_region_with_local_residency_needs_a_storage_in_its_country() -> None:
    with pytest.raises(InvalidInput, match="FRONTOFFICE_STORAGE_LOCATIONS"):
        placement("RU", None, "DE", {})
    with pytest.raises(InvalidInput, match="stored in RU"):
        placement("RU", "DE", "DE", {"RU": "sqlite:///ru.db"})
    assert placement("RU", None, "DE", {"RU": "sqlite:///ru.db"}) == "RU"
    assert placement("CN", "cn", None, {"CN": "sqlite:///cn.db"}) == "CN"
    assert placement("EU", None, "DE", {}) == "DE"  # safeguards, not localisation: the default stands


def test_storage_locations_are_validated_with_the_fix_in_the_message() -> None:
    assert parse_storage_locations('{"ru": "sqlite:///x.db"}') == {"RU": "sqlite:///x.db"}
    for bad in ('{"RUS": "sqlite:///x.db"}', '{"RU": "mysql://x"}', "[]", "{"):
        with pytest.raises(ConfigError, match="storage_locations"):
            parse_storage_locations(bad)


class Site:
    def __init__(self, container: Container, client: httpx.AsyncClient, ru_file: Path) -> None:
        self.c, self.client, self.ru_file = container, client, ru_file
        store = container.store
        storages = parse_storage_locations(container.settings.storage_locations)
        name = f"ru-{uuid.uuid4().hex[:8]}"
        self.ru, _ = create_resident_workspace(store, name, "RU", None, None, storages)
        self.eu = tenancy.create_workspace(store, f"eu-{uuid.uuid4().hex[:8]}", "EU")
        self.keys = {ws.id: tenancy.create_source(store, ws.id, "web", "web")[1] for ws in (self.ru, self.eu)}

    async def send(self, workspace_id: str, *events: dict[str, Any],
                   key: str | None = None) -> httpx.Response:
        auth = base64.b64encode(f"{key or self.keys[workspace_id]}:".encode()).decode()
        return await self.client.post("/v1/batch", json={"batch": list(events)},
                                      headers={"Authorization": f"Basic {auth}"})


@pytest.fixture
def container(database_url: str, tmp_path: Path, sqlite_template: Path) -> Iterator[Container]:
    ru = tmp_path / "ru" / "frontoffice-ru.db"
    ru.parent.mkdir()
    shutil.copyfile(sqlite_template, ru)  # already migrated, as ``database_url`` is
    built = bootstrap(Settings.load({}, overrides={
        "database_url": database_url, "data_dir": tmp_path / "data", "data_location": "DE",
        "storage_locations": f'{{"RU": "sqlite:///{ru}"}}',
        "destinations_allow_hosts": "127.0.0.1"}), Role.SERVER)  # the tests' webhook receiver
    yield built
    built.close()


@pytest.fixture
async def site(container: Container, tmp_path: Path) -> AsyncIterator[Site]:
    transport = httpx.ASGITransport(app=create_app(container))
    async with httpx.AsyncClient(transport=transport, base_url="http://fo") as client:
        yield Site(container, client, tmp_path / "ru" / "frontoffice-ru.db")


def ru_person(marker: str, **extra: Any) -> dict[str, Any]:
    return {"type": "identify", "userId": f"ivan-{marker}", "messageId": f"m-{marker}",
            "traits": {"name": f"Ivan {marker}", "phone": "+7 912 345-67-89"},
            "context": {"locale": "ru-RU"}, **extra}


def _bytes(path: Path) -> bytes:
    return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))


async def test_a_russian_workspace_keeps_its_events_only_in_the_russian_storage(site: Site) -> None:
    marker = uuid.uuid4().hex
    r = await site.send(site.ru.id, ru_person(marker))
    assert r.status_code == 200 and r.json()["accepted"] == 1, r.text
    located = site.c.stores.for_workspace(site.ru.id) if site.c.stores else None
    assert located is not None and located is not site.c.store
    assert located.count_events(site.ru.id) == 1
    assert site.c.store.count_events(site.ru.id) == 0
    assert marker.encode() in _bytes(site.ru_file)
    default_url = site.c.settings.resolved_database_url
    if default_url.startswith("sqlite:///"):  # the default database file holds none of it
        assert marker.encode() not in _bytes(Path(default_url.removeprefix("sqlite:///")))
    # Payloads are sealed per subject; the ids (message, user) are the clear columns to look for.
    search = "SELECT count(*) FROM events WHERE message_id LIKE ? OR user_id LIKE ?"
    assert site.c.store.query(search, (f"%{marker}%", f"%{marker}%"))[0][0] == 0
    control = {"type": "track", "event": "Viewed", "userId": f"hans-{marker}", "messageId": f"c-{marker}"}
    assert (await site.send(site.eu.id, control)).status_code == 200
    # the search does find what is there
    assert site.c.store.query(search, (f"%{marker}%", f"%{marker}%"))[0][0] == 1


async def test_a_russian_persons_events_sent_to_a_european_workspace_are_refused_with_the_reason(
        site: Site) -> None:
    marker = uuid.uuid4().hex
    fine = {"type": "track", "event": "Viewed", "userId": "hans", "context": {"locale": "de-DE"}}
    r = await site.send(site.eu.id, fine, ru_person(marker))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["accepted"] == 1
    [refused] = body["rejected"]
    assert refused["index"] == 1 and refused["messageId"] == f"m-{marker}"
    assert "must be stored in RU" in refused["reason"] and "RU" in refused["reason"]
    assert site.c.store.count_quarantine(site.eu.id) == 0  # not quarantined in the wrong storage
    assert site.c.store.count_events(site.eu.id) == 1


async def test_a_chinese_persons_events_are_refused_by_the_russian_workspace(site: Site) -> None:
    cn = {"type": "identify", "userId": "li", "traits": {"phone": "+86 138 0013 8000"}}
    r = await site.send(site.ru.id, cn)
    assert r.status_code == 400, r.text
    assert "must be stored in CN" in r.json()["rejected"][0]["reason"]
    store = open_store(f"sqlite:///{site.ru_file}")
    try:
        assert store.count_events(site.ru.id) == 0 and store.count_quarantine(site.ru.id) == 0
    finally:
        store.close()


def test_the_cli_creates_a_russian_workspace_only_with_a_russian_storage(
        database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    base = ["--data-dir", str(tmp_path), "--database-url", database_url, "workspace", "create"]
    refused = CliRunner().invoke(cli, [*base, "brand-ru", "--region", "RU"])
    assert refused.exit_code != 0 and "FRONTOFFICE_STORAGE_LOCATIONS" in refused.output
    monkeypatch.setenv("FRONTOFFICE_STORAGE_LOCATIONS", f'{{"RU": "sqlite:///{tmp_path / "ru.db"}"}}')
    created = CliRunner().invoke(cli, [*base, "brand-ru", "--region", "RU"])
    assert created.exit_code == 0 and "data location RU" in created.output, created.output
    store = open_store(database_url)
    try:
        ws = store.workspace("brand-ru")
        assert ws is not None
        assert WorkspaceLocations(store, None).get(ws.id) == "RU"
    finally:
        store.close()


def test_bulk_import_and_export_use_the_workspaces_storage_and_refuse_rows_that_must_live_elsewhere(
        database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ru_file = tmp_path / "ru.db"
    monkeypatch.setenv("FRONTOFFICE_STORAGE_LOCATIONS", f'{{"RU": "sqlite:///{ru_file}"}}')
    monkeypatch.setenv("FRONTOFFICE_DATA_LOCATION", "DE")
    base = ["--data-dir", str(tmp_path / "data"), "--database-url", database_url]
    runner = CliRunner()
    for args in (["workspace", "create", "brand-ru", "--region", "RU"],
                 ["workspace", "create", "brand-eu", "--region", "EU"],
                 ["source", "create", "crm", "--workspace", "brand-ru", "--channel", "pos"],
                 ["source", "create", "crm", "--workspace", "brand-eu", "--channel", "pos"]):
        done = runner.invoke(cli, [*base, *args])
        assert done.exit_code == 0, done.output
    marker = uuid.uuid4().hex
    german = {"type": "identify", "userId": f"hans-{marker}", "messageId": f"de-{marker}",
              "traits": {"name": "Hans", "phone": "+49 170 1234567"}}
    chinese = {"type": "identify", "userId": f"li-{marker}", "messageId": f"cn-{marker}",
               "traits": {"phone": "+86 138 0013 8000"}}
    rows = tmp_path / "crm.ndjson"
    rows.write_bytes(b"\n".join(orjson.dumps(e) for e in (ru_person(marker), german, chinese)) + b"\n")

    into_ru = runner.invoke(cli, [*base, "import", str(rows), "--source", "brand-ru/crm"])
    assert into_ru.exit_code == 0, into_ru.output
    assert "refused" in into_ru.output and "must be stored in CN" in into_ru.output  # line 3
    into_eu = runner.invoke(cli, [*base, "import", str(rows), "--source", "brand-eu/crm"])
    assert into_eu.exit_code == 0, into_eu.output
    assert "must be stored in RU" in into_eu.output and "must be stored in CN" in into_eu.output

    registry, ru_store = open_store(database_url), open_store(f"sqlite:///{ru_file}")
    try:
        ru_ws, eu_ws = registry.workspace("brand-ru"), registry.workspace("brand-eu")
        assert ru_ws is not None and eu_ws is not None
        assert ru_store.count_events(ru_ws.id) == 2  # the Russian and the German customer
        assert registry.count_events(ru_ws.id) == 0  # nothing of it in the main database
        assert registry.count_events(eu_ws.id) == 1  # only the German customer
        for ws in (ru_ws, eu_ws):  # refused rows are not quarantined in the wrong storage
            assert registry.count_quarantine(ws.id) == ru_store.count_quarantine(ws.id) == 0
    finally:
        registry.close()
        ru_store.close()
    assert marker.encode() in _bytes(ru_file)

    out = tmp_path / "ru.ndjson"
    exported = runner.invoke(cli, [*base, "export", "--workspace", "brand-ru", "--out", str(out),
                                   "--purpose", "essential"])
    assert exported.exit_code == 0, exported.output
    ids = sorted(orjson.loads(line)["messageId"] for line in out.read_bytes().splitlines())
    assert ids == sorted([f"m-{marker}", f"de-{marker}"])

    ru_store = open_store(f"sqlite:///{ru_file}")
    try:
        IdentityHub(ru_store).catch_up(ru_ws.id)
        [person] = identity.lookup(ru_store, ru_ws.id, "user_id", f"ivan-{marker}")
    finally:
        ru_store.close()
    erased = runner.invoke(cli, [*base, "privacy", "erase", "--workspace", "brand-ru", "--person",
                                 person, "--reason", "art. 17 request"])
    assert erased.exit_code == 0 and "1 subject key(s) shredded" in erased.output, erased.output
    scrubbed = runner.invoke(cli, [*base, "privacy", "scrub"])
    assert scrubbed.exit_code == 0, scrubbed.output
    assert "Scrubbed the main database" in scrubbed.output
    assert "Scrubbed the storage of RU: wal_checkpoint(TRUNCATE); VACUUM" in scrubbed.output


async def test_erasing_a_person_of_a_located_workspace_erases_them_in_its_storage(site: Site) -> None:
    marker = uuid.uuid4().hex
    assert (await site.send(site.ru.id, ru_person(marker))).status_code == 200
    located = site.c.store_for(site.ru.id)
    assert located is not site.c.store
    IdentityHub(located).catch_up(site.ru.id)
    [person] = identity.lookup(located, site.ru.id, "user_id", f"ivan-{marker}")
    _, secret = tenancy.create_token(site.c.store, site.ru.id, "dpo", ["privacy:admin"])
    bearer = {"Authorization": f"Bearer {secret}"}
    r = await site.client.post(f"/api/v1/workspaces/{site.ru.id}/persons/{person}/erasure",
                               json={"reason": "art. 17 request"}, headers=bearer)
    assert r.status_code == 200, r.text
    assert r.json()["subjects_shredded"] == 1
    [event] = located.events(site.ru.id)
    assert event.record.family == "erased" and event.record.user_id is None  # a tombstone
    assert marker.encode() not in orjson.dumps(orjson.loads(event.record.payload))
    log = await site.client.get(f"/api/v1/workspaces/{site.ru.id}/erasures", headers=bearer)
    assert log.status_code == 200 and [e["person_id"] for e in log.json()] == [person]
    assert erasures(site.c.store, site.ru.id) == []  # the main database holds nothing of it


async def test_a_located_workspaces_golden_record_ranks_the_channels_of_its_sources(site: Site) -> None:
    # The sources are registered in the main database; the events and people are in the Russian
    # storage. Survivorship's most trusted source must still know that "app" outranks "web".
    marker = uuid.uuid4().hex
    app, app_key = tenancy.create_source(site.c.store, site.ru.id, "app", "app")
    older = ru_person(marker, timestamp="2026-01-01T10:00:00Z")
    older["traits"]["name"] = "Иван Петров"
    assert (await site.send(site.ru.id, older, key=app_key)).json()["accepted"] == 1
    newer = ru_person(marker, timestamp="2026-02-01T10:00:00Z", messageId=f"w-{marker}")
    newer["traits"]["name"] = "Ivan Petrov"
    assert (await site.send(site.ru.id, newer)).json()["accepted"] == 1
    located = site.c.store_for(site.ru.id)
    IdentityHub(located).catch_up(site.ru.id)
    [person] = identity.lookup(located, site.ru.id, "user_id", f"ivan-{marker}")
    name = identity.profile(located, site.ru.id, person)["traits"]["name"]
    assert (name["value"], name["rule"], name["source_id"]) == ("Иван Петров", "trusted_source", app.id)


async def test_a_located_workspaces_review_queue_merges_and_splits_are_in_its_storage(
        site: Site, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The probabilistic tier's queue, a reviewer's accept, the change feed and a person's split
    and merge (API and CLI) read and write the Russian storage; the main database holds none."""
    ru, located = site.ru.id, site.c.store_for(site.ru.id)
    assert located is not site.c.store
    ReviewSql(located).save_model(ru, model_json(), 0)
    _, pos_key = tenancy.create_source(site.c.store, ru, "pos", "pos")
    assert (await site.send(ru, identify("w-ivanov", "2026-01-01T10:00:00Z", user="cus_ivanov", **IVANOV_WEB),
                            identify("w-anna", "2026-01-01T10:05:00Z", user="cus_anna", **ANNA_WEB))
            ).json()["accepted"] == 2
    assert (await site.send(ru, receipt("R-ivanov", "2026-02-01T12:00:00Z", IVANOV_POS),
                            receipt("R-lena", "2026-02-01T12:30:00Z", LENA_POS), key=pos_key)
            ).json()["accepted"] == 2
    report = IdentityHub(located).match(ru)
    assert (report.merged, report.queued) == (1, 1), report
    _, secret = tenancy.create_token(site.c.store, ru, "reviewer", ["events:read", "identity:admin"])
    bearer = {"Authorization": f"Bearer {secret}"}
    base = f"/api/v1/workspaces/{ru}"

    queue = await site.client.get(f"{base}/identity/review", headers=bearer)
    assert queue.status_code == 200, queue.text
    [item] = queue.json()["items"]
    assert {s["given_name"] for s in item["sides"]} == {"Anna", "Lena"}
    accepted = await site.client.post(f"{base}/identity/review/{item['id']}/accept", headers=bearer,
                                      json={"reason": "same person, checked in store"})
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted", accepted.text
    [anna] = identity.lookup(located, ru, "email", ANNA_WEB["email"])
    assert identity.lookup(located, ru, "loyalty_id", "L-200") == [anna]
    feed = (await site.client.get(f"{base}/identity/changes", headers=bearer)).json()["changes"]
    assert "person.merged" in {c["type"] for c in feed}

    profile = await site.client.get(f"{base}/people/{anna}", headers=bearer)
    assert profile.status_code == 200, profile.text
    [lena_rid] = [r["record_id"] for r in profile.json()["records"] if r["record_id"].endswith(":R-lena")]
    split = await site.client.post(f"{base}/people/{anna}/split", headers=bearer,
                                   json={"records": [lena_rid], "reason": "twins after all"})
    assert split.status_code == 200, split.text
    apart = split.json()["person_ids"]
    assert len(set(apart)) == 2 and identity.lookup(located, ru, "loyalty_id", "L-200") != [anna]
    other = next(p for p in apart if p != anna)
    merged = await site.client.post(f"{base}/people/{anna}/merge", headers=bearer,
                                    json={"other_person_id": other, "reason": "one person"})
    assert merged.status_code == 200 and merged.json()["person_ids"] == [anna], merged.text
    assert identity.lookup(located, ru, "loyalty_id", "L-200") == [anna]
    assert site.c.store.query("SELECT count(*) FROM identity_records WHERE workspace_id = ?", (ru,)) == [(0,)]
    assert ReviewSql(site.c.store).count(ru) == 0

    # the CLI reads the same storage
    monkeypatch.setenv("FRONTOFFICE_STORAGE_LOCATIONS", site.c.settings.storage_locations)
    cli_base = ["--data-dir", str(tmp_path / "data"), "--database-url", database_url]
    shown = CliRunner().invoke(cli, [*cli_base, "people", "show", "loyalty_id:L-200", "-w", ru, "--json"])
    assert shown.exit_code == 0, shown.output
    assert orjson.loads(shown.output)["person_id"] == anna
    listed = CliRunner().invoke(cli, [*cli_base, "identity", "review", "list", "-w", ru,
                                      "--status", "accepted"])
    assert listed.exit_code == 0 and "Anna" in listed.output, listed.output


async def test_a_located_workspaces_consent_is_recorded_checked_and_shown_from_its_storage(
        site: Site, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    marker = uuid.uuid4().hex
    ru, located = site.ru.id, site.c.store_for(site.ru.id)
    assert (await site.send(ru, ru_person(marker))).json()["accepted"] == 1
    _, secret = tenancy.create_token(site.c.store, ru, "dpo", ["consent:write", "events:read"])
    bearer = {"Authorization": f"Bearer {secret}"}
    base = f"/api/v1/workspaces/{ru}/consent"
    subject = f"user_id:ivan-{marker}"
    recorded = await site.client.post(base, headers=bearer, json={
        "subject": subject, "purposes": {"marketing_email": "granted"}, "explicit": True})
    assert recorded.status_code == 200, recorded.text
    check = await site.client.get(f"{base}/check", headers=bearer, params={
        "subject": subject, "purpose": "marketing_email", "channel": "email"})
    assert check.status_code == 200 and check.json()["allowed"] is True, check.text
    shown = (await site.client.get(f"{base}/{subject}", headers=bearer)).json()
    assert [p["purpose"] for p in shown["purposes"]] == ["marketing_email"]
    IdentityHub(located).catch_up(ru)
    [person] = identity.lookup(located, ru, "user_id", f"ivan-{marker}")
    merged = await site.client.get(f"{base}/people/{person}", headers=bearer)
    assert merged.status_code == 200, merged.text
    assert {p["purpose"]: p["status"] for p in merged.json()["purposes"]}["marketing_email"] == "granted"
    # the consent event (with its proof) is in the Russian storage only
    consent_events = "SELECT count(*) FROM events WHERE workspace_id = ? AND family = 'consent'"
    assert located.query(consent_events, (ru,)) == [(1,)]
    assert site.c.store.query(consent_events, (ru,)) == [(0,)]
    monkeypatch.setenv("FRONTOFFICE_STORAGE_LOCATIONS", site.c.settings.storage_locations)
    shown_cli = CliRunner().invoke(cli, ["--data-dir", str(tmp_path / "data"), "--database-url", database_url,
                                         "consent", "show", subject, "-w", ru, "--json"])
    assert shown_cli.exit_code == 0 and "marketing_email" in shown_cli.output, shown_cli.output


async def test_a_located_workspaces_access_request_finds_the_person_in_its_storage(
        site: Site, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    marker = uuid.uuid4().hex
    ru, located = site.ru.id, site.c.store_for(site.ru.id)
    _, app_key = tenancy.create_source(site.c.store, ru, "app", "app", trust="server")  # its sign-in backend
    email = f"ivan.{marker[:12]}@mail.ru"
    verified = ru_person(marker)
    verified["traits"].update(email=email, emailVerified=True)
    assert (await site.send(ru, verified, key=app_key)).json()["accepted"] == 1
    IdentityHub(located).catch_up(ru)
    _, secret = tenancy.create_token(site.c.store, ru, "dpo", ["dsr:admin"])
    bearer = {"Authorization": f"Bearer {secret}"}
    base = f"/api/v1/workspaces/{ru}/dsr"
    opened = await site.client.post(base, headers=bearer, json={
        "kind": "access", "identifier_kind": "user_id", "identifier": f"ivan-{marker}"})
    assert opened.status_code == 201, opened.text
    assert opened.json()["status"] == "verification_sent", opened.json()
    rid = opened.json()["id"]
    [message] = DsrStore(located).messages(ru, rid)  # the code went out through its storage's outbox
    code = re.search(r"code: (\w+)", message.body)
    assert code is not None
    verify = await site.client.post(f"{base}/{rid}/verify", headers=bearer, json={"token": code.group(1)})
    assert verify.status_code == 200, verify.text
    done = await site.client.post(f"{base}/{rid}/execute", headers=bearer)
    assert done.status_code == 200 and done.json()["status"] == "completed", done.text
    report = (await site.client.get(f"{base}/{rid}/artefact", headers=bearer)).json()
    assert {"kind": "email", "value": email} in report["identifiers"]
    assert {"name": "app", "channel": "app"} in report["sources"].values()  # from the registry
    assert DsrStore(site.c.store).requests(ru) == []  # nothing of it in the main database
    monkeypatch.setenv("FRONTOFFICE_STORAGE_LOCATIONS", site.c.settings.storage_locations)
    listed = CliRunner().invoke(cli, ["--data-dir", str(tmp_path / "data"), "--database-url", database_url,
                                      "dsr", "list", "-w", ru])
    assert listed.exit_code == 0 and rid in listed.output, listed.output


async def test_a_located_workspaces_commerce_intake_and_traits_use_its_storage(
        site: Site, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ru, located = site.ru.id, site.c.store_for(site.ru.id)
    source, key = tenancy.create_source(site.c.store, ru, "shop", "commerce")
    CommerceStore(site.c.store).set_secret(ru, source.id, "whs_ru_secret_0123456789")  # the registry's
    auth = base64.b64encode(f"{key}:".encode()).decode()
    for kind, body in (("locations", LOCATIONS), ("products", PRODUCTS), ("inventory", STOCK),
                       ("orders", order(1, "confirmed"))):
        raw = orjson.dumps(body)
        r = await site.client.post(f"/commerce/v1/{kind}", content=raw, headers={
            "Authorization": f"Basic {auth}", "Content-Type": "application/json",
            "X-Frontoffice-Signature": sign("whs_ru_secret_0123456789", raw)})
        assert r.status_code == 200 and r.json()["accepted"] >= 1, r.text
    assert located.count_events(ru, source.id) >= 4 and site.c.store.count_events(ru) == 0
    _, token = tenancy.create_token(site.c.store, ru, "reader", ["events:read"])
    traits = await site.client.get(f"/api/v1/workspaces/{ru}/commerce/traits",
                                   params={"key": "email:ann@example.com"},
                                   headers={"Authorization": f"Bearer {token}"})
    assert traits.status_code == 200 and traits.json()["order_count"] == 1, traits.text
    monkeypatch.setenv("FRONTOFFICE_STORAGE_LOCATIONS", site.c.settings.storage_locations)
    shown = CliRunner().invoke(cli, ["--data-dir", str(tmp_path / "data"), "--database-url", database_url,
                                     "commerce", "traits", "email:ann@example.com", "-w", ru])
    assert shown.exit_code == 0 and '"order_count": 1' in shown.output, shown.output


async def test_a_located_workspaces_messages_and_destinations_are_in_its_storage(
        site: Site, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    marker = uuid.uuid4().hex
    ru, located = site.ru.id, site.c.store_for(site.ru.id)
    person = ru_person(marker)
    person["traits"]["email"] = email = f"ivan.{marker[:12]}@mail.ru"
    assert (await site.send(ru, person)).json()["accepted"] == 1
    _, secret = tenancy.create_token(site.c.store, ru, "crm", [
        "consent:write", "outbound:write", "destinations:admin"])
    bearer = {"Authorization": f"Bearer {secret}"}
    base = f"/api/v1/workspaces/{ru}"
    granted = await site.client.post(f"{base}/consent", headers=bearer, json={
        "subject": f"user_id:ivan-{marker}", "purposes": {"marketing_email": "granted"}, "explicit": True})
    assert granted.status_code == 200, granted.text
    queued = await site.client.post(f"{base}/messages", headers=bearer, json={
        "person": f"user_id:ivan-{marker}", "channel": "email", "purpose": "marketing_email",
        "template_id": "spring"})
    assert queued.status_code == 202 and queued.json()["address"] == email, queued.text
    assert [m["message_id"] for m in OutboundStore(located).outbox(ru)] == [queued.json()["message_id"]]
    assert OutboundStore(site.c.store).outbox(ru) == []
    created = await site.client.post(f"{base}/destinations", headers=bearer, json={
        "name": "crm", "url": "https://hooks.crm.test/in", "purpose": "sale_or_sharing"})
    assert created.status_code == 201, created.text
    assert [d.name for d in DestinationStore(located).all(ru)] == ["crm"]
    assert DestinationStore(site.c.store).all(ru) == []
    monkeypatch.setenv("FRONTOFFICE_STORAGE_LOCATIONS", site.c.settings.storage_locations)
    listed = CliRunner().invoke(cli, ["--data-dir", str(tmp_path / "data"), "--database-url", database_url,
                                      "destinations", "list", "-w", ru])
    assert listed.exit_code == 0 and "│ crm  │" in listed.output, listed.output


async def test_the_worker_delivers_a_located_workspaces_events_from_its_storage(
        site: Site, receiver: Receiver) -> None:
    marker = uuid.uuid4().hex
    ru = site.ru.id
    _, secret = tenancy.create_token(site.c.store, ru, "crm", ["consent:write", "destinations:admin"])
    bearer = {"Authorization": f"Bearer {secret}"}
    base = f"/api/v1/workspaces/{ru}"
    created = await site.client.post(f"{base}/destinations", headers=bearer, json={
        "name": "partner", "url": receiver.url, "purpose": "sale_or_sharing", "event_types": ["track"]})
    assert created.status_code == 201, created.text
    granted = await site.client.post(f"{base}/consent", headers=bearer, json={
        "subject": f"user_id:ivan-{marker}", "purposes": {"sale_or_sharing": "granted"}, "explicit": True})
    assert granted.status_code == 200, granted.text
    bought = {"type": "track", "event": "Order Completed", "userId": f"ivan-{marker}",
              "messageId": f"t-{marker}", "context": {"locale": "ru-RU"}, "properties": {"total": 10}}
    assert (await site.send(ru, ru_person(marker), bought)).json()["accepted"] == 2
    stop = threading.Event()
    worker = threading.Thread(target=projection_worker.run, args=(site.c.settings, stop))
    worker.start()
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not receiver.received:
            await anyio.sleep(0.1)
    finally:
        stop.set()
        worker.join(30)
    assert receiver.users() == [f"ivan-{marker}"]
