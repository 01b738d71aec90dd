"""DSR lifecycle on SQLite and PostgreSQL: verification goes only to a verified contact, tokens
are single-use, expire and lock, deadlines follow the person's region pack, and the audit log is
append-only and holds no plaintext contact."""

from __future__ import annotations

from datetime import timedelta

import pytest

from frontoffice.dsr import service
from frontoffice.dsr.config import DsrConfig
from frontoffice.dsr.model import DsrError, VerificationFailed, WrongState
from frontoffice.dsr.store import DsrStore
from frontoffice.identity import service as identity
from tests.integration.test_dsr_world import CONFIG, NOW, World, dsr_db, identify, store, world

__all__ = ["dsr_db", "store", "world"]

ANN_PHONE = "+49 151 23456789"  # on Ann's profile, unverified: it is really Bob's


def ann(w: World) -> None:
    w.send("accounts", identify("a1", user="ann", email="ann@mailbox.org", emailVerified=True,
                           phone=ANN_PHONE, address={"country": "DE"}))


def test_the_token_goes_to_the_verified_email_when_asked_through_an_unverified_phone(world: World) -> None:
    ann(world)
    opened = world.open("erasure", "phone", ANN_PHONE)
    request = opened.request
    assert request.contact_kind == "email"
    assert request.contact_masked == "a***@m***.org"
    [(channel, recipient, _)] = world.outbox(request.id)
    assert (channel, recipient) == ("email", "ann@mailbox.org")  # never the phone
    # Bob, holding the phone, cannot guess the token: the request is locked, nothing is erased
    for guess in ("AAAAAAAAAA", "BBBBBBBBBB", "CCCCCCCCCC"):
        with pytest.raises(VerificationFailed):
            world.verify(request.id, guess)
    assert service.require(world.store, world.ws, request.id).status.value == "rejected"
    with pytest.raises(WrongState):
        world.execute(request.id)
    assert identity.lookup(world.store, world.ws, "phone", ANN_PHONE) == [request.person_id]
    trail = DsrStore(world.store).trail(world.ws, request.id)
    sent = [row.detail for row in trail if row.action == "token_sent"]
    assert sent == [sent[0]] and sent[0]["rerouted"] is True and sent[0]["to"] == "email:a***@m***.org"


def test_a_phone_merged_into_a_person_gets_no_token_and_no_verified_contact_means_refusal(
        world: World) -> None:
    # Bob's phone joins Cem's profile through a call-centre record that also carries Cem's email;
    # Cem never verified anything, so nobody gets a token: the request is refused with the reason
    world.send("web", identify("c1", user="cem", email="cem@mailbox.org"))
    world.send("call", identify("c2", anon="call-1", email="cem@mailbox.org", phone="+49 170 7654321"))
    opened = world.open("erasure", "phone", "+49 170 7654321")
    assert opened.delivered is None and opened.request.status.value == "rejected"
    assert opened.request.reason and opened.request.reason.startswith("no verified contact: ask the person")
    assert world.outbox(opened.request.id) == []
    assert world.actions(opened.request.id) == ["opened", "rejected"]


def test_a_verification_flag_from_an_untrusted_channel_does_not_count(world: World) -> None:
    world.send("call", identify("d1", user="dan", email="dan@mailbox.org", emailVerified=True))
    strict = DsrConfig(token_ttl=CONFIG.token_ttl, max_attempts=3, verification_channels=frozenset({"web"}))
    refused = world.open("access", "email", "dan@mailbox.org", config=strict)
    assert refused.request.status.value == "rejected"
    world.send("accounts", {"type": "track", "event": "Email Verified", "messageId": "d2", "userId": "dan",
                            "timestamp": "2026-10-02T10:00:00Z", "properties": {"email": "dan@mailbox.org"}})
    assert world.open("access", "email", "dan@mailbox.org", config=strict).request.status.value == (
        "verification_sent")


def test_a_public_keys_verification_claims_never_make_a_contact_and_the_audit_says_why(world: World) -> None:
    world.send("app", identify("e1", user="eva", email="eva@mailbox.org", phone="+49 151 77700001",
                                     phoneVerified=True))
    world.send("web", {"type": "track", "event": "Email Verified", "messageId": "e2", "userId": "eva",
                       "timestamp": "2026-10-02T10:00:00Z", "properties": {"email": "eva@mailbox.org"}})
    refused = world.open("access", "email", "eva@mailbox.org")  # app and web are trusted channels
    assert refused.request.status.value == "rejected" and world.outbox(refused.request.id) == []
    [rejected] = [row.detail for row in DsrStore(world.store).trail(world.ws, refused.request.id)
                  if row.action == "rejected"]
    ignored = rejected["ignored_claims"]
    assert sorted(ignored) == ["email:e***@m***.org", "phone:+49*********01"]
    assert "client-side source 'web'" in ignored["email:e***@m***.org"]
    assert "client-side source 'app'" in ignored["phone:+49*********01"]
    assert "eva@mailbox.org" not in str(rejected)


def test_a_server_side_source_still_proves_a_contact(world: World) -> None:
    world.send("call", identify("f1", user="fay", phone="+49 171 5550123", phoneVerified=True))
    opened = world.open("access", "user_id", "fay")
    assert opened.request.status.value == "verification_sent"
    assert world.outbox(opened.request.id)[0][:2] == ("phone", "+491715550123")


def test_a_token_works_once(world: World) -> None:
    ann(world)
    opened = world.open("access", "email", "ann@mailbox.org")
    token = world.token(opened.request.id)
    assert world.verify(opened.request.id, token.lower()).status.value == "verified"
    with pytest.raises(WrongState):
        world.verify(opened.request.id, token)
    stored = DsrStore(world.store).token(world.ws, opened.request.id)
    assert stored is not None and stored.used_at is not None and token not in stored.token_hash


def test_an_expired_token_expires_the_request(world: World) -> None:
    ann(world)
    opened = world.open("access", "email", "ann@mailbox.org")
    with pytest.raises(VerificationFailed, match="expired"):
        world.verify(opened.request.id, world.token(opened.request.id), now=NOW + timedelta(minutes=31))
    assert service.require(world.store, world.ws, opened.request.id).status.value == "expired"
    assert world.actions(opened.request.id) == ["opened", "token_sent", "expired"]


def test_stale_requests_expire_in_a_sweep(world: World) -> None:
    ann(world)
    opened = world.open("access", "email", "ann@mailbox.org")
    assert service.expire_stale(world.store, world.ws, actor="sweep", now=NOW + timedelta(minutes=5)) == []
    assert service.expire_stale(world.store, world.ws, actor="sweep", now=NOW + timedelta(hours=1)) == [
        opened.request.id]


def test_two_wrong_tokens_leave_one_try_and_the_right_one_still_works(world: World) -> None:
    ann(world)
    opened = world.open("access", "email", "ann@mailbox.org")
    with pytest.raises(VerificationFailed, match="2 attempt"):
        world.verify(opened.request.id, "WRONGWRONG")
    with pytest.raises(VerificationFailed, match="1 attempt"):
        world.verify(opened.request.id, "WRONGWRONG")
    assert world.verify(opened.request.id, world.token(opened.request.id)).status.value == "verified"
    assert world.actions(opened.request.id) == ["opened", "token_sent", "verification_failed",
                                                "verification_failed", "verified"]


@pytest.mark.parametrize(("traits", "region", "due"), [
    ({"address": {"country": "DE"}}, "EU", NOW + timedelta(days=30)),
    ({"address": {"country": "RU"}}, "RU", NOW + timedelta(days=14)),  # 10 business days from a Monday
    ({"phone": "+82 10-1234-5678"}, "KR", NOW + timedelta(days=10)),
    ({"address": {"country": "US", "state": "CA"}}, "US-CA", NOW + timedelta(days=45)),
    ({}, "STRICTEST", NOW + timedelta(days=10)),
])
def test_the_deadline_follows_the_region_pack(world: World, traits: dict[str, object], region: str,
                                              due: object) -> None:
    world.send("accounts", identify("r1", user="eve", email="eve@mailbox.org", emailVerified=True, **traits))
    request = world.open("access", "email", "eve@mailbox.org").request
    assert (request.region, request.due_at) == (region, due)


def test_an_extension_is_recorded_once_with_its_reason_where_the_pack_allows_it(world: World) -> None:
    ann(world)
    request = world.open("access", "email", "ann@mailbox.org").request
    with pytest.raises(DsrError, match="needs a reason"):
        service.extend(world.store, world.ws, request.id, " ", actor="dpo", now=NOW)
    extended = service.extend(world.store, world.ws, request.id, "complex: 14 sources", actor="dpo", now=NOW)
    assert extended.deadline == NOW + timedelta(days=90)
    assert extended.extension_reason == "complex: 14 sources"
    with pytest.raises(DsrError, match="already extended"):
        service.extend(world.store, world.ws, request.id, "again", actor="dpo", now=NOW)
    world.send("accounts", identify("k1", user="kim", email="kim@mailbox.org", emailVerified=True,
                               phone="+82 10-1234-5678"))
    korean = world.open("access", "email", "kim@mailbox.org").request
    with pytest.raises(DsrError, match="KR pack allows no extension"):
        service.extend(world.store, world.ws, korean.id, "busy", actor="dpo", now=NOW)


def test_overdue_requests_are_listed(world: World) -> None:
    ann(world)
    world.send("accounts", identify("k1", user="kim", email="kim@mailbox.org", emailVerified=True,
                               phone="+82 10-1234-5678"))
    eu = world.open("access", "email", "ann@mailbox.org").request
    kr = world.open("access", "email", "kim@mailbox.org").request
    later = NOW + timedelta(days=12)
    assert [r.id for r in service.list_requests(world.store, world.ws, now=later, overdue=True)] == [kr.id]
    assert {r.id for r in service.list_requests(world.store, world.ws, now=later)} == {eu.id, kr.id}
    assert kr.as_dict(later)["overdue"] is True


def test_the_audit_log_is_append_only_and_holds_no_plaintext_contact(world: World) -> None:
    ann(world)
    request_id = world.verified("access", "phone", ANN_PHONE)
    world.execute(request_id)
    service.download(world.store, world.ws, request_id, "html", actor="dpo", now=NOW)
    trail = DsrStore(world.store).trail(world.ws, request_id)
    assert [r.action for r in trail] == ["opened", "token_sent", "verified", "executed",
                                         "artefact_downloaded"]
    text = repr([(r.actor, r.detail) for r in trail])
    for secret in ("ann@mailbox.org", "23456789", "4915123456789"):
        assert secret not in text
    store = world.store
    for statement in ("UPDATE dsr_audit SET actor = 'x' WHERE workspace_id = ?",
                      "DELETE FROM dsr_audit WHERE workspace_id = ?"):
        with pytest.raises(Exception, match="append-only"), store.transaction() as cur:
            cur.execute(store.sql(statement), (world.ws,))
    assert len(DsrStore(store).trail(world.ws, request_id)) == 5
    # the token message is dropped from the outbox once the request is closed
    assert world.outbox(request_id) == []


def test_unknown_and_ambiguous_identifiers_open_nothing(world: World) -> None:
    ann(world)
    with pytest.raises(Exception, match="Nobody is known"):
        world.open("access", "email", "zoe@mailbox.org")
    with pytest.raises(DsrError, match="rectifiable traits"):
        world.open("rectification", "email", "ann@mailbox.org", {"traits": {"password": "x"}})
    assert DsrStore(world.store).requests(world.ws) == []
