"""Destinations: a real local HTTP receiver gets exactly the events the gate allows, signed; refusals,
retries and dead letters are recorded with their reasons. SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import hmac
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import orjson
import pytest
from click.testing import CliRunner

from frontoffice.cli.main import cli
from frontoffice.destinations.address import AddressRefused
from frontoffice.destinations.delivery import SIGNATURE_HEADER, deliver_workspace
from frontoffice.destinations.store import DestinationStore
from frontoffice.domain.tenancy import Status
from frontoffice.errors import InvalidInput
from frontoffice.outbound.exports import catch_up_people
from frontoffice.storage.sql import SqlStore
from tests.integration.test_outbound_paths import NOW, World, activity, consent_db, new_world, populate, store

__all__ = ["consent_db", "store"]

LOCAL_RECEIVER = frozenset({"127.0.0.1"})  # destinations_allow_hosts for the receiver below


@dataclass
class Receiver:
    """A tiny webhook receiver: answers each POST with the next status of `statuses` (then 200)."""

    statuses: list[int] = field(default_factory=list)
    received: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def users(self) -> list[str]:
        """Whose each delivered event is: its userId, or the subject of a consent change."""
        events = [orjson.loads(body)["event"] for _, body in self.received]
        return [str(e.get("userId") or e["subject"].partition(":")[2]) for e in events]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    rec = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            rec.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
            status = rec.statuses.pop(0) if rec.statuses else 200
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            return

    rec.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=rec.server.serve_forever, kwargs={"poll_interval": 0.02},
                              daemon=True)  # shutdown() waits up to one poll interval
    thread.start()
    yield rec
    rec.server.shutdown()
    rec.server.server_close()


def deliver(world: World) -> list[Any]:
    return deliver_workspace(world.store, world.ws, NOW, timeout_s=5, backoff_s=0, allow=LOCAL_RECEIVER)


def test_only_allowed_events_reach_the_receiver_signed_and_refusals_are_recorded(
        store: SqlStore, receiver: Receiver) -> None:
    world = new_world(store)
    dest = DestinationStore(store, LOCAL_RECEIVER).create(world.ws, "partner", receiver.url,
                                                          "sale_or_sharing")
    populate(world)
    [report] = deliver(world)
    assert set(receiver.users()) == {"eu-yes", "ca-ok"}  # EU grant; CA not opted out
    assert report.delivered == len(receiver.received) and report.refused > 0 and report.dead_letter == 0
    for headers, body in receiver.received:
        expected = "sha256=" + hmac.new(dest.secret.encode(), body, hashlib.sha256).hexdigest()
        assert hmac.compare_digest(headers[SIGNATURE_HEADER.lower()], expected)
    refused = DestinationStore(store).deliveries(world.ws, dest.id, "refused")
    assert len(refused) == report.refused and all(r.reason and r.rule for r in refused)
    assert {r.rule for r in refused} >= {"EU/sale_or_sharing/opt_in", "US-CA/sale_or_sharing/opt_out/gpc"}
    refused_seqs = {r.seq for r in refused}
    delivered_seqs = {orjson.loads(body)["seq"] for _, body in receiver.received}
    assert not refused_seqs & delivered_seqs
    assert DestinationStore(store).require(world.ws, "partner").cursor_seq == store.last_seq(world.ws)
    received = len(receiver.received)
    [again] = deliver(world)
    assert again.delivered == again.refused == 0 and len(receiver.received) == received


def test_a_filter_sends_only_matching_events(store: SqlStore, receiver: Receiver) -> None:
    world = new_world(store)
    DestinationStore(store, LOCAL_RECEIVER).create(world.ws, "views", receiver.url, "analytics",
                                   event_names=["Product Viewed"])
    populate(world)
    [report] = deliver(world)
    bodies = [orjson.loads(b) for _, b in receiver.received]
    assert {b["event"]["event"] for b in bodies} == {"Product Viewed"}
    assert set(receiver.users()) == {"eu-yes", "ca-ok", "ca-gpc"}  # analytics: no GPC, CA needs no consent
    assert report.filtered > 0


def test_failed_deliveries_are_retried_then_dead_lettered(store: SqlStore, receiver: Receiver) -> None:
    world = new_world(store)
    dest = DestinationStore(store, LOCAL_RECEIVER).create(world.ws, "flaky", receiver.url, "analytics",
                                          event_names=["Product Viewed"], max_attempts=3)
    populate(world, {"ca-ok": {"address": {"country": "US", "state": "CA"}}})
    receiver.statuses = [503, 503, 503, 500, 200]  # first event: dead letter; second: third attempt
    [report] = deliver(world)
    assert (report.delivered, report.dead_letter) == (1, 1)
    [dead] = DestinationStore(store).deliveries(world.ws, dest.id, "dead_letter")
    assert dead.attempts == 3 and dead.status_code == 503 and "3 attempts" in dead.reason
    [ok] = DestinationStore(store).deliveries(world.ws, dest.id, "delivered")
    assert ok.attempts == 2 and ok.status_code == 200
    assert len(receiver.received) == 5


def test_a_client_error_is_not_retried(store: SqlStore, receiver: Receiver) -> None:
    world = new_world(store)
    dest = DestinationStore(store, LOCAL_RECEIVER).create(world.ws, "strict", receiver.url, "analytics",
                                          event_names=["Product Viewed"], max_attempts=5)
    populate(world, {"ca-ok": {"address": {"country": "US", "state": "CA"}}})
    receiver.statuses = [400]
    deliver(world)
    [dead] = DestinationStore(store).deliveries(world.ws, dest.id, "dead_letter")
    assert dead.attempts == 1 and "not retried" in dead.reason


def test_events_the_projections_have_not_seen_wait_and_disabled_destinations_get_nothing(
        store: SqlStore, receiver: Receiver) -> None:
    world = new_world(store)
    DestinationStore(store, LOCAL_RECEIVER).create(world.ws, "later", receiver.url, "analytics")
    populate(world, {"ca-ok": {"address": {"country": "US", "state": "CA"}}})
    deliver(world)
    before = len(receiver.received)
    world.append([activity("ca-ok", 3)])  # not projected yet: whose it is is not known
    [report] = deliver(world)
    assert report.delivered == 0 and len(receiver.received) == before
    catch_up_people(store, world.ws)
    DestinationStore(store).set_status(world.ws, "later", Status.DISABLED)
    assert deliver(world) == []
    DestinationStore(store).set_status(world.ws, "later", Status.ACTIVE)
    [report] = deliver(world)
    assert report.delivered == 1 and receiver.users()[-1] == "ca-ok"


def test_a_destination_must_name_a_purpose_that_covers_webhooks(store: SqlStore) -> None:
    world = new_world(store)
    with pytest.raises(InvalidInput, match="does not cover the webhook channel"):
        DestinationStore(store).create(world.ws, "mail", "https://hooks.example.org/x", "marketing_email")
    with pytest.raises(InvalidInput, match="Unknown purpose"):
        DestinationStore(store).create(world.ws, "odd", "https://hooks.example.org/x", "telepathy")
    with pytest.raises(InvalidInput, match="absolute http"):
        DestinationStore(store).create(world.ws, "ftp", "ftp://hooks.example.org/x", "analytics")


def test_the_cli_creates_lists_delivers_and_disables(consent_db: str, store: SqlStore, receiver: Receiver,
                                                     tmp_path: Path) -> None:
    world = new_world(store)
    name = world.name

    def run(*args: str) -> str:
        result = CliRunner().invoke(cli, ["--database-url", consent_db, "--data-dir", str(tmp_path),
                                          "destinations", *args], catch_exceptions=False,
                                    env={"FRONTOFFICE_DESTINATIONS_ALLOW_HOSTS": "127.0.0.1"})
        assert result.exit_code == 0, result.output
        return result.output

    assert "signing secret" in run("create", "crm", "--workspace", name, "--url", receiver.url,
                                   "--purpose", "sale_or_sharing")
    populate(world)
    assert "crm" in run("list", "--workspace", name)
    out = run("deliver", "--once", "--workspace", name)
    assert "delivered" in out and "left out by the consent gate" in out and "GPC" in out
    assert set(receiver.users()) == {"eu-yes", "ca-ok"}
    assert "refused" in run("log", "crm", "--workspace", name, "--outcome", "refused")
    assert "disabled" in run("disable", "crm", "--workspace", name)
    for command in ("create", "list", "disable", "deliver", "log"):
        assert CliRunner().invoke(cli, ["destinations", command, "--help"]).exit_code == 0


def test_a_name_resolving_to_loopback_at_delivery_time_is_never_contacted(
        store: SqlStore, receiver: Receiver) -> None:
    """The name passed when the destination was made (here: allowed then, not in the round's
    settings) and resolves to loopback when the round runs (DNS rebinding): nothing is sent, the
    cursor stays."""
    world = new_world(store)
    port = urlsplit(receiver.url).port
    dest = DestinationStore(store, frozenset({"localhost"})).create(world.ws, "rebound", f"http://localhost:{port}/hook",
                                          "sale_or_sharing")
    populate(world)
    with pytest.raises(AddressRefused, match=r"localhost resolves to 127\.0\.0\.1, a loopback address"):
        deliver_workspace(store, world.ws, NOW, timeout_s=5, backoff_s=0)
    assert receiver.received == []
    assert DestinationStore(store).require(world.ws, dest.id).cursor_seq == dest.cursor_seq


def test_a_listed_internal_host_is_delivered_to_under_its_own_name(store: SqlStore,
                                                                   receiver: Receiver) -> None:
    world = new_world(store)
    port = urlsplit(receiver.url).port
    internal = DestinationStore(store, frozenset({"localhost"}))
    internal.create(world.ws, "internal", f"http://localhost:{port}/hook", "sale_or_sharing")
    populate(world)
    [report] = deliver_workspace(store, world.ws, NOW, timeout_s=5, backoff_s=0,
                                 allow=frozenset({"localhost"}))
    assert report.delivered == len(receiver.received) > 0
    assert {headers["host"] for headers, _ in receiver.received} == {f"localhost:{port}"}


def test_the_cli_refuses_an_internal_destination_unless_its_host_is_allowed(
        consent_db: str, store: SqlStore, receiver: Receiver, tmp_path: Path) -> None:
    world = new_world(store)
    args = ["--database-url", consent_db, "--data-dir", str(tmp_path), "destinations", "create", "crm",
            "--workspace", world.name, "--url", receiver.url, "--purpose", "sale_or_sharing"]
    refused = CliRunner().invoke(cli, args, env={"FRONTOFFICE_DESTINATIONS_ALLOW_HOSTS": ""})
    assert refused.exit_code != 0 and "a loopback address" in " ".join(refused.output.split())
    assert DestinationStore(store).all(world.ws) == []
    allowed = CliRunner().invoke(cli, args, env={"FRONTOFFICE_DESTINATIONS_ALLOW_HOSTS": "127.0.0.1"})
    assert allowed.exit_code == 0, allowed.output


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/hook", "http://[::ffff:10.0.0.1]/hook",
                                 "http://169.254.169.254/latest/meta-data", "http://localhost:5432/"])
def test_the_store_itself_refuses_a_destination_at_an_internal_address(store: SqlStore, url: str) -> None:
    """Every caller (API, CLI, a script, a test) creates through the store, so none can skip the check."""
    world = new_world(store)
    with pytest.raises(AddressRefused, match="Destinations may only reach public addresses"):
        DestinationStore(store).create(world.ws, "internal", url, "sale_or_sharing")
    assert DestinationStore(store).all(world.ws) == []
    allowed = DestinationStore(store, frozenset({"127.0.0.1", "::ffff:10.0.0.1", "169.254.169.254",
                                                 "localhost"}))
    assert allowed.create(world.ws, "internal", url, "sale_or_sharing").url == url
