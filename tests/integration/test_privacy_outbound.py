"""An erasure removes the person from outbound's tables: the queued messages (their address and
variables) and the gate's decisions about them; other people's messages stay."""

from __future__ import annotations

from frontoffice.identity.people_store import PeopleSql
from frontoffice.outbound import service
from frontoffice.outbound.store import OutboundStore, sql_ports
from frontoffice.privacy.erasure import erase_person
from tests.integration.test_consent_ledger import consent_db
from tests.integration.test_outbound_paths import NOW, World, message, store, world

__all__ = ["consent_db", "store", "world"]


def test_an_erasure_removes_the_persons_queued_messages_with_their_address(world: World) -> None:
    for user in ("eu-yes", "ca-ok"):
        assert service.send_message(sql_ports(world.store), world.ws, message(f"user_id:{user}", "email",
                                                                   "marketing_email"), NOW).queued
    report = erase_person(world.store, world.ws, world.people["eu-yes"], people=PeopleSql(world.store),
                          reason="art. 17", requested_by="dpo", now=NOW)
    assert report.rows_purged["message_outbox"] == 1
    outbox = OutboundStore(world.store).outbox(world.ws)
    assert [(m["person_id"], m["address"]) for m in outbox] == [
        (world.people["ca-ok"], "ca.ok@mailbox-ca.com")]
    assert "eu.yes@posteo-shop.de" not in str(world.store.query("SELECT * FROM message_outbox"))
    assert {d["person"] for d in OutboundStore(world.store).logged(world.ws)} == {world.people["ca-ok"]}
