"""The outbound gating rules as assertions on any ``Town`` (a workspace behind outbound's ports):
run on the in-memory fakes by ``test_gating_rules.py`` and on the database by
``tests/integration/test_outbound_contract.py``, so the fakes cannot drift from the store."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Protocol

from frontoffice.outbound import service
from frontoffice.outbound.lookup import OutboundGate
from frontoffice.outbound.ports import OutboundPorts

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
DE = {"address": {"country": "DE"}}
CA = {"address": {"country": "US", "state": "CA"}}
PEOPLE: dict[str, dict[str, Any]] = {
    "eu-yes": {**DE, "email": "eu.yes@posteo-shop.de", "phone": "+4915112345678"},
    "eu-no": {**DE, "email": "eu.no@posteo-shop.de"},
    "ca-ok": {**CA, "email": "ca.ok@mailbox-ca.com"},
}


class Town(Protocol):
    """A workspace whose people and consent are set up through the backend's own way in."""

    ports: OutboundPorts
    ws: str

    def person(self, user: str, traits: dict[str, Any]) -> None:
        """Identify ``user`` with these traits (identity places them with a person)."""
        ...

    def consent(self, subject: str, purposes: dict[str, str], *, explicit: bool) -> None: ...

    def erase(self, user: str) -> None:
        """Erase the person of ``user`` (their identifiers go on the suppression list)."""
        ...


def settle(town: Town) -> None:
    for user, traits in PEOPLE.items():
        town.person(user, traits)
    town.consent("user_id:eu-yes", {"marketing_email": "granted", "sale_or_sharing": "granted"},
                 explicit=True)


def gate(town: Town) -> OutboundGate:
    p = town.ports
    return OutboundGate(p.people, p.consents, p.suppressions, town.ws, NOW)


def message(person: str, channel: str, purpose: str, message_id: str | None = None) -> service.MessageRequest:
    return service.MessageRequest(person, channel, purpose, "tpl-1", {"name": "x"}, message_id)


def consent_is_decided_per_purpose_and_channel_with_the_rule_named(town: Town) -> None:
    settle(town)
    g = gate(town)
    cases = [("user_id:eu-yes", "marketing_email", "email", True, "EU/marketing_email/opt_in"),
             ("user_id:eu-no", "marketing_email", "email", False, "EU/marketing_email/opt_in"),
             ("email:eu.no@posteo-shop.de", "sale_or_sharing", "export", False, "EU/sale_or_sharing/opt_in"),
             ("user_id:eu-yes", "sale_or_sharing", "export", True, "EU/sale_or_sharing/opt_in"),
             ("user_id:ca-ok", "marketing_email", "email", True, "US-CA/marketing_email/opt_out"),
             ("user_id:ca-ok", "telepathy", "email", False, "fail-closed/unknown-purpose")]
    for ref, purpose, channel, allowed, rule in cases:
        verdict = g.check(ref, purpose, channel)
        assert (verdict.allowed, verdict.rule) == (allowed, rule), (ref, purpose, channel, verdict)
        assert verdict.reason
    assert g.check("Eu.Yes@Posteo-Shop.de", "marketing_email", "email").region == "EU"
    assert not g.check("user_id:ca-ok", "marketing_sms", "sms").allowed  # SMS is opt-in in California too


def a_refusal_under_another_spelling_of_an_identifier_counts(town: Town) -> None:
    settle(town)
    town.consent("email:CA.OK@Mailbox-CA.com", {"marketing_email": "denied"}, explicit=False)
    for ref in ("user_id:ca-ok", "email:ca.ok@mailbox-ca.com"):
        verdict = gate(town).check(ref, "marketing_email", "email")
        assert not verdict.allowed and verdict.rule == "US-CA/marketing_email/opt_out", ref


def an_erased_persons_identifiers_are_refused_whatever_still_knows_them(town: Town) -> None:
    """Their consent grant outlives the erasure in the ledger (under a keyed hash): the suppression
    list refuses them first, under every spelling."""
    settle(town)
    town.erase("eu-yes")
    for ref in ("user_id:eu-yes", "email:Eu.Yes@Posteo-Shop.de", "phone:+4915112345678",
                "eu.yes@posteo-shop.de"):
        verdict = gate(town).check(ref, "marketing_email", "email")
        assert not verdict.allowed and verdict.rule == "fail-closed/erased-person", ref
        assert "erased person" in verdict.reason
    assert gate(town).check("user_id:eu-no", "essential", "email").allowed
    sent = service.send_message(town.ports, town.ws, message("email:eu.yes@posteo-shop.de", "email",
                                                             "essential"), NOW)
    assert sent.code == "consent_refused" and town.ports.log.outbox(town.ws) == []


def no_contact_for_the_channel_is_refused_with_its_rule(town: Town) -> None:
    settle(town)
    receipt = service.send_message(town.ports, town.ws, message("user_id:eu-no", "email", "essential"), NOW)
    assert receipt.queued and receipt.address == "eu.no@posteo-shop.de"
    no_phone = service.send_message(town.ports, town.ws, message("user_id:eu-no", "sms", "essential"), NOW)
    assert (no_phone.queued, no_phone.code) == (False, "no_channel_identifier")
    assert no_phone.verdict.rule == "channel/no-identifier" and "phone" in no_phone.verdict.reason
    outbox = town.ports.log.outbox(town.ws)
    assert [(m["channel"], m["address"]) for m in outbox] == [("email", "eu.no@posteo-shop.de")]
    assert [(r["allowed"], r["rule"]) for r in town.ports.log.logged(town.ws)] == [
        (True, receipt.verdict.rule), (False, "channel/no-identifier")]


def a_decision_logs_every_verdict_and_a_message_id_is_queued_once(town: Town) -> None:
    settle(town)
    candidates = [service.Candidate("mail", "marketing_email", "email"),
                  service.Candidate("share", "sale_or_sharing", "export")]
    result = service.decide(town.ports, town.ws, "user_id:eu-no", candidates, NOW)
    assert result.allowed == [] and [c.action for c, _ in result.refused] == ["mail", "share"]
    logged = town.ports.log.logged(town.ws, result.decision_id)
    assert [(r["action"], r["allowed"], r["rule"]) for r in logged] == [
        ("mail", False, "EU/marketing_email/opt_in"), ("share", False, "EU/sale_or_sharing/opt_in")]
    request = message("user_id:eu-yes", "email", "marketing_email", "order-1-mail")
    assert service.send_message(town.ports, town.ws, request, NOW).code == "queued"
    assert service.send_message(town.ports, town.ws, request, NOW).code == "duplicate"
    assert len(town.ports.log.outbox(town.ws)) == 1


CASES = [consent_is_decided_per_purpose_and_channel_with_the_rule_named,
         a_refusal_under_another_spelling_of_an_identifier_counts,
         an_erased_persons_identifiers_are_refused_whatever_still_knows_them,
         no_contact_for_the_channel_is_refused_with_its_rule,
         a_decision_logs_every_verdict_and_a_message_id_is_queued_once]
