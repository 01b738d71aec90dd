"""The outbound gating rules on the in-memory ports: consent per purpose × channel, identifiers of
an erased person, no contact for the channel, the decision log and the outbox."""

from __future__ import annotations

from tests.fakes.outbound import fake_town as town
from tests.unit.outbound import gating_cases as cases


def test_consent_is_decided_per_purpose_and_channel_with_the_rule_named() -> None:
    cases.consent_is_decided_per_purpose_and_channel_with_the_rule_named(town())


def test_a_refusal_under_another_spelling_of_an_identifier_counts() -> None:
    cases.a_refusal_under_another_spelling_of_an_identifier_counts(town())


def test_an_erased_persons_identifiers_are_refused_whatever_still_knows_them() -> None:
    cases.an_erased_persons_identifiers_are_refused_whatever_still_knows_them(town())


def test_no_contact_for_the_channel_is_refused_with_its_rule() -> None:
    cases.no_contact_for_the_channel_is_refused_with_its_rule(town())


def test_a_decision_logs_every_verdict_and_a_message_id_is_queued_once() -> None:
    cases.a_decision_logs_every_verdict_and_a_message_id_is_queued_once(town())
