"""Insights end to end, in process on SQLite: a seeded shop (two weeks of ordinary noise, four
incidents in the last week, written through commerce's intake and the inbox's own use cases) is
rolled up from the log, flagged with statistics, and read through the API, the CLI and the
console; the rollups rebuilt from the log equal the ones kept up to date."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from frontoffice.cli.main import cli
from frontoffice.commerce.store import CommerceStore
from frontoffice.console.roles import Role
from frontoffice.console.store import ConsoleStore
from frontoffice.console.users import create_user
from frontoffice.domain.events import now
from frontoffice.inbox.ports import Ticket
from frontoffice.inbox.store import InboxStore
from frontoffice.inbox.tasks import InboxTasks
from frontoffice.inbox.wiring import desk_for
from frontoffice.insights import seed, service
from frontoffice.insights.projector import InsightsHub
from frontoffice.insights.rates import Windows
from frontoffice.insights.truth import Truth, score
from frontoffice.insights.worker import InsightsProjection
from frontoffice.settings import Settings
from frontoffice.storage import open_store
from frontoffice.storage.sql import SqlStore
from frontoffice.storage.tables import schema
from frontoffice.tenancy import service as tenancy
from tests.fakes.inbox import KeywordUnderstanding
from tests.integration.console_support import PASSWORD, Client, console, csrf_of, sign_in

WINDOWS = Windows(recent=7, baseline=7)


@dataclass(frozen=True)
class Shop:
    url: str
    folder: Path
    ws: str
    truth: Truth
    run: service.Run


@pytest.fixture(scope="module")
def shop(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Shop]:
    folder = tmp_path_factory.mktemp("insights")
    shutil.copyfile(sqlite_template, folder / "frontoffice.db")
    url = f"sqlite:///{folder / 'frontoffice.db'}"
    store = open_store(url)
    try:
        ws = tenancy.create_workspace(store, "acme", "EU").id
        create_user(ConsoleStore(store), ws, "acme-admin", Role.ADMIN, PASSWORD, by="test", at=now())
        desk = desk_for(Settings(data_dir=folder, database_url=url), store, understand=KeywordUnderstanding())
        truth = seed.seed(CommerceStore(store), desk, ws, days=14, incident_day=8, orders_per_day=40,
                          tickets_per_day=6, seed_value=20)
        done = service.run(InsightsHub(store), ws, now(), truth.last_day, WINDOWS, tasks=InboxTasks(store))
    finally:
        store.close()
    yield Shop(url, folder, ws, truth, done)


@pytest.fixture(scope="module")
def client(shop: Shop) -> Iterator[Client]:
    with console(shop.url, shop.folder) as made:
        yield made


def flags_of(shop: Shop) -> list[dict[str, Any]]:
    store = open_store(shop.url)
    try:
        return InsightsHub(store).flags(shop.ws)
    finally:
        store.close()


def test_each_seeded_incident_is_flagged_and_every_flag_points_at_an_incident(shop: Shop) -> None:
    got = score(flags_of(shop), shop.truth)
    assert got.wrong == []
    assert sorted(got.found) == ["agent_behind", "defective_batch", "price_split", "store_late"]
    ben = next(f for f in shop.run.findings if f["metric"] == "sla_breach_rate" and f["slice"] == "ben")
    assert "peers" in {c["against"] for c in ben["comparisons"]}  # the other agents, the same days
    assert all(c["q_value"] <= 0.01 for c in ben["comparisons"])


def test_two_suppliers_of_one_product_are_compared_size_by_size(shop: Shop) -> None:
    suppliers = [f for f in shop.run.findings if f["metric"].startswith("supplier_return_rate")]
    assert {f["slice"] for f in suppliers} == {"P1|SUP-A"}  # never the sound supplier of the product
    damaged = next(f for f in suppliers if f["metric"] == "supplier_return_rate:damaged")
    (comparison,) = damaged["comparisons"]
    assert comparison["against"] == "other suppliers, same product and sizes"
    assert comparison["odds_ratio"] is None or comparison["odds_ratio"] > 5


def test_a_flag_says_since_when_and_carries_the_evidence_behind_it(shop: Shop) -> None:
    late = next(f for f in flags_of(shop) if f["metric"] == "late_delivery_rate" and f["slice"] == "ST2")
    assert late["since"] >= "2026-09-14"  # the incident began on 2026-09-15; its week starts the 14th
    assert set(late["evidence"]) <= shop.truth.incidents["store_late"].ids | {
        e for e in late["evidence"] if not e.startswith(("shipment:", "order:"))}
    assert any(e.startswith("shipment:") for e in late["evidence"])


def service_tasks(store: SqlStore, ws: str) -> list[Ticket]:
    return [t for t in InboxStore(store).tickets(ws, limit=10_000) if t.channel == "task"]


def test_each_new_flag_opens_one_service_task_in_its_teams_queue_through_the_inbox(shop: Shop) -> None:
    flags = {(f["metric"], f["slice"]): f for f in flags_of(shop)}
    store = open_store(shop.url)
    try:
        tasks = {t.ticket_id: t for t in service_tasks(store, shop.ws)}
        ben = flags[("sla_breach_rate", "ben")]
        note = InboxStore(store).messages(shop.ws, ben["task"]["task_id"])[0].doc["text"]
    finally:
        store.close()
    assert sorted(tasks) == sorted(f["task"]["task_id"] for f in flags.values())  # one a flag
    expected = {("sla_breach_rate", "ben"): "eu", ("late_delivery_rate", "ST2"): "store-ops",
                ("return_rate:damaged", "SUP-A"): "merchandising", ("price_conflict", "P3"): "merchandising"}
    for key, team in expected.items():
        task = tasks[flags[key]["task"]["task_id"]]
        assert (task.team, flags[key]["task"]["team"], task.person_id) == (team, team, None)
    assert "lead" in tasks[ben["task"]["task_id"]].doc["tags"]  # the agent's team lead's to take up
    assert ben["summary"] in note and f"/console/w/{shop.ws}/insights/{ben['flag_id']}" in note


def test_a_second_run_raises_no_flag_that_is_already_open(shop: Shop) -> None:
    store = open_store(shop.url)
    try:
        opened = len(service_tasks(store, shop.ws))
        again = service.run(InsightsHub(store), shop.ws, now(), shop.truth.last_day, WINDOWS,
                            tasks=InboxTasks(store))
        assert len(service_tasks(store, shop.ws)) == opened
        events = schema(store.dialect).tables["events"]
        with store.connect() as conn:
            logged = conn.execute(sa.select(sa.func.count()).where(
                events.c.workspace_id == shop.ws, events.c.type == "insight.flagged")).scalar_one()
    finally:
        store.close()
    assert again.findings and again.raised == []
    assert logged == len(shop.run.raised) == len(flags_of(shop))


def test_the_rollups_and_flags_rebuilt_from_the_log_equal_the_ones_kept_up_to_date(shop: Shop) -> None:
    store = open_store(shop.url)
    try:
        def tables() -> tuple[list[Any], ...]:
            found = []
            with store.connect() as conn:
                for name in ("insights_daily", "insights_hourly", "insights_flags"):
                    t = schema(store.dialect).tables[name]
                    rows = conn.execute(sa.select(t).where(t.c.workspace_id == shop.ws))
                    found.append(sorted(tuple(r) for r in rows))
            return tuple(found)

        before, opened = tables(), len(service_tasks(store, shop.ws))
        InsightsHub(store).rebuild(shop.ws)
        assert tables() == before  # the flags keep their tasks (``insight.task_opened`` is logged)
        service.run(InsightsHub(store), shop.ws, now(), shop.truth.last_day, WINDOWS, tasks=InboxTasks(store))
        assert len(service_tasks(store, shop.ws)) == opened  # and the rebuilt flags open none again
    finally:
        store.close()


def test_the_api_lists_shows_acknowledges_and_snoozes_flags(shop: Shop, client: Client) -> None:
    store = open_store(shop.url)
    try:
        read = tenancy.create_token(store, shop.ws, "reader", ["events:read"])[1]
        write = tenancy.create_token(store, shop.ws, "writer", ["events:read", "events:write"])[1]
    finally:
        store.close()
    base = f"/api/v1/workspaces/{shop.ws}/insights"
    listed = client.get(f"{base}/flags", headers={"Authorization": f"Bearer {read}"}).json()["flags"]
    first, second = listed[0]["flag_id"], listed[1]["flag_id"]
    one = client.get(f"{base}/flags/{first}", headers={"Authorization": f"Bearer {read}"}).json()
    refused = client.post(f"{base}/flags/{first}/acknowledge", json={},
                          headers={"Authorization": f"Bearer {read}"})
    acked = client.post(f"{base}/flags/{first}/acknowledge", json={"by": "lead"},
                        headers={"Authorization": f"Bearer {write}"}).json()
    snoozed = client.post(f"{base}/flags/{second}/snooze", json={"hours": 24},
                          headers={"Authorization": f"Bearer {write}"}).json()
    missing = client.get(f"{base}/flags/nope", headers={"Authorization": f"Bearer {read}"})
    series = client.get(f"{base}/series", params={"metric": "late_delivery_rate", "dimension": "store",
                                                  "slice": "ST2", "end": shop.truth.last_day, "days": 14},
                        headers={"Authorization": f"Bearer {read}"}).json()["series"]
    assert one["evidence"] and one["comparisons"] and "evidence" not in listed[0]
    assert refused.status_code == 403
    assert acked["status"] == "acknowledged" and snoozed["status"] == "snoozed" and snoozed["snoozed_until"]
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    assert "frontoffice insights flags" in missing.json()["message"]
    assert len(series) == 14 and max(p["rate"] or 0 for p in series[-6:]) > 0.5 > (series[0]["rate"] or 0)
    hourly = client.get(f"{base}/series/hourly", params={"metric": "late_delivery_rate", "dimension": "store",
                                                          "slice": "ST2", "end": shop.truth.last_day},
                        headers={"Authorization": f"Bearer {read}"}).json()["series"]
    by_day = client.get(f"{base}/series/hourly", params={"metric": "return_rate", "end": shop.truth.last_day},
                        headers={"Authorization": f"Bearer {read}"})
    assert len(hourly) == 168 and hourly[-1]["hour"] == f"{shop.truth.last_day}T23"
    assert max(p["rate"] or 0 for p in hourly) > 0.5
    assert by_day.status_code == 400 and "late_delivery_rate" in by_day.json()["message"]
    for path, end in (("series", "2026-02-30"), ("series/hourly", "2026-02-28T24")):
        impossible = client.get(f"{base}/{path}", params={"metric": "late_delivery_rate", "end": end},
                                headers={"Authorization": f"Bearer {read}"})
        assert impossible.status_code == 400, impossible.text
        assert impossible.json()["code"] == "invalid_input" and end in impossible.json()["message"]


def test_the_console_draws_the_trend_with_the_flag_marked_and_lists_the_evidence(shop: Shop,
                                                                                 client: Client) -> None:
    late = next(f for f in flags_of(shop) if f["metric"] == "late_delivery_rate" and f["slice"] == "ST2")
    sign_in(client, "acme-admin")
    listing = client.get("/console/w/acme/insights/flags").text
    page = client.get(f"/console/w/acme/insights/{late['flag_id']}").text
    done = client.post(f"/console/w/acme/insights/{late['flag_id']}/snooze", data={"csrf": csrf_of(page)})
    assert late["flag_id"] in listing
    assert '<svg id="trend"' in page and "<polyline" in page and 'class="flag"' in page
    assert '<svg id="hourly"' in page  # a late-delivery rate is drawn hour by hour too
    assert late["evidence"][0] in page.split('id="evidence"')[1]
    assert f'href="/console/w/acme/inbox/{late["task"]["task_id"]}"' in page.split('id="task"')[1]
    task = client.get(f"/console/w/acme/inbox/{late['task']['task_id']}")  # the inbox's own page
    assert task.status_code == 200 and late["flag_id"] in task.text
    assert done.status_code == 303


def test_each_role_opens_its_own_dashboard_and_the_evidence_links_to_the_records(shop: Shop,
                                                                                 client: Client) -> None:
    store = open_store(shop.url)
    try:
        create_user(ConsoleStore(store), shop.ws, "acme-lead", Role.LEAD, PASSWORD, by="test", at=now())
    finally:
        store.close()
    flags = flags_of(shop)
    ben = next(f for f in flags if f["metric"] == "sla_breach_rate" and f["slice"] == "ben")
    late = next(f for f in flags if f["metric"] == "late_delivery_rate" and f["slice"] == "ST2")
    sign_in(client, "acme-lead")
    service_board = client.get("/console/w/acme/insights").text
    stores_board = client.get("/console/w/acme/insights", params={"board": "stores"}).text
    flag_page = client.get(f"/console/w/acme/insights/{late['flag_id']}").text
    order_id = next(e for e in late["evidence"] if e.startswith("order:")).split(":")[1]
    record = client.get(f"/console/w/acme/insights/records/order/{order_id}")
    missing = client.get("/console/w/acme/insights/records/order/nope")
    assert ben["flag_id"] in service_board and late["flag_id"] not in service_board
    assert 'aria-current="page">Service' in service_board
    assert late["flag_id"] in stores_board and ben["flag_id"] not in stores_board
    headline = stores_board.split('id="trend-1"')[1].split("</svg>")[0]
    assert 'class="flag"' in headline  # the workspace's late-delivery rate with the flag's start marked
    assert f'href="/console/w/acme/insights/records/order/{order_id}"' in flag_page
    assert record.status_code == 200 and order_id in record.text and "ST2" in record.text
    assert missing.status_code == 404


def test_a_category_manager_opens_products_suppliers_and_prices_and_never_the_service_desk(
        shop: Shop, client: Client) -> None:
    store = open_store(shop.url)
    try:
        create_user(ConsoleStore(store), shop.ws, "acme-cm", Role.CATEGORY_MANAGER, PASSWORD, by="test",
                    at=now())
    finally:
        store.close()
    flags = {(f["metric"], f["slice"]): f["flag_id"] for f in flags_of(shop)}
    sign_in(client, "acme-cm")
    home = client.get("/console/w/acme").text
    board = client.get("/console/w/acme/insights").text
    assert 'aria-current="page">Products, suppliers and prices' in board
    for mine in (("return_rate:damaged", "SUP-A"), ("supplier_return_rate:damaged", "P1|SUP-A"),
                 ("price_conflict", "P3")):
        assert flags[mine] in board
    for theirs_flag in (("sla_breach_rate", "ben"), ("late_delivery_rate", "ST2")):
        assert flags[theirs_flag] not in board
    assert 'id="trend-2"' in board  # the workspace's price conflicts beside its return rate
    whole = next(f for f in flags_of(shop) if f["dimension"] == "all" and f["flag_id"] in board)
    assert f'{whole["metric"]} · whole workspace' in board and " all all" not in board  # named, not "all all"
    assert "/insights" in home and "/inbox-lead" not in home and "/people" not in home
    for theirs in ("/inbox-lead", "/inbox", "/people?q=a"):
        assert client.get(f"/console/w/acme{theirs}").status_code == 403, theirs
    assert client.get(f"/console/w/acme/insights/{flags[('price_conflict', 'P3')]}").status_code == 200


def test_the_cli_runs_lists_and_acknowledges(shop: Shop) -> None:
    def run(*args: str) -> str:
        result = CliRunner().invoke(cli, ["--database-url", shop.url, "insights", *args])
        assert result.exit_code == 0, result.output
        return result.output

    ran = orjson.loads(run("run", "-w", "acme", "--as-of", shop.truth.last_day, "--json"))
    assert ran["as_of"] == shop.truth.last_day
    listed = orjson.loads(run("flags", "-w", "acme", "--status", "open", "--json"))
    assert listed and all(f["status"] == "open" for f in listed)
    out = run("ack", "-w", "acme", listed[0]["flag_id"])
    assert "acknowledged" in out
    assert "--snooze-hours" in run("ack", "--help")
    again = orjson.loads(run("seed", "-w", "acme", "--json"))  # a workspace with rollups is left alone
    assert again == {"seeded": False, "last_day": "2026-09-20", "incidents": {}}


def test_the_worker_folds_the_log_and_runs_the_detector_again_within_the_hour(shop: Shop) -> None:
    store = open_store(shop.url)
    try:
        projection = InsightsProjection(store, Settings())
        assert projection.due(shop.ws) is None  # nothing scheduled before the first pass
        projection.catch_up(shop.ws, lambda _: None)
        due = projection.due(shop.ws)
    finally:
        store.close()
    assert due is not None and 3500 < due - time.monotonic() <= 3600
