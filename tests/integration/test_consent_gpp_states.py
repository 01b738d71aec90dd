"""GPP US state sections and uspv1 reach the consent check: through the consent API's capture and
through an event's `context.consent.gppString`, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from frontoffice.consent import ConsentStringError
from frontoffice.consent import service as consent
from frontoffice.consent.gpp_encode import encode_gpp_string, encode_us_section
from frontoffice.consent.store import ConsentStore
from frontoffice.storage.sql import SqlStore
from tests.integration.test_consent_ledger import NOW, brand, consent_db, identify, store, track
from tests.unit.consent.test_gpp_us import CA, section

__all__ = ["consent_db", "store"]  # the module-scoped database fixtures of the ledger tests


@pytest.mark.parametrize("gpp", [
    encode_gpp_string({CA: encode_us_section(section(CA, sale_opt_out=1))}),
    encode_gpp_string({CA: encode_us_section(section(CA, sharing_opt_out=1))}),
    encode_gpp_string({6: "1YYN"}),
], ids=["usca-sale", "usca-sharing", "uspv1"])
def test_a_california_opt_out_captured_from_gpp_makes_the_sale_or_sharing_check_refuse(
        store: SqlStore, gpp: str) -> None:
    b = brand(store)
    b.send("web", identify("i1", "2026-11-01T10:00:00Z", "cal", region="US-CA"))
    hub = consent.ConsentHub.of(store)
    hub.catch_up(b.workspace_id)
    before = consent.check(store, b.workspace_id, "user_id:cal", "sale_or_sharing", "export", NOW)
    assert before.decision.allowed, before.decision.reason  # opt-out mode: allowed until opted out
    consent.record(store, hub, b.workspace_id, consent.Capture("user_id:cal", gpp_string=gpp), NOW)
    result = consent.check(store, b.workspace_id, "user_id:cal", "sale_or_sharing", "export", NOW)
    assert not result.decision.allowed, result.decision.reason


def test_a_usca_opt_out_in_an_event_context_makes_the_sale_or_sharing_check_refuse(store: SqlStore) -> None:
    b = brand(store)
    gpp = encode_gpp_string({CA: encode_us_section(section(CA, sale_opt_out=1))})
    b.send("web", identify("i1", "2026-11-01T10:00:00Z", "cal", region="US-CA"),
           track("t1", "2026-11-01T10:01:00Z", "cal", {"consent": {"gppString": gpp}}))
    consent.ConsentHub.of(store).catch_up(b.workspace_id)
    result = consent.check(store, b.workspace_id, "user_id:cal", "sale_or_sharing", "export", NOW)
    assert not result.decision.allowed, result.decision.reason


def test_an_undecodable_state_section_is_refused_and_records_nothing(store: SqlStore) -> None:
    b = brand(store)
    bad = encode_gpp_string({CA: encode_us_section(section(CA, mspa_covered_transaction=0))})
    with pytest.raises(ConsentStringError, match="mspa_covered_transaction value 0 is undefined"):
        consent.record(store, consent.ConsentHub.of(store), b.workspace_id,
                       consent.Capture("user_id:cal", gpp_string=bad), NOW)
    assert ConsentStore(store).count_ledger(b.workspace_id) == 0
