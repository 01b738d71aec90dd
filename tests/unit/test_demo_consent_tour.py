"""The TC string the demo's German customer's banner sends says what the tour says it does."""

from __future__ import annotations

from frontoffice.consent.tcf import decode_tc_string
from frontoffice.demo.consent_showcase import AT, BANNER_TC_STRING


def test_the_banner_string_grants_storage_and_measurement_and_refuses_ad_profiles() -> None:
    tc = decode_tc_string(BANNER_TC_STRING)
    assert (tc.cmp_id, tc.publisher_cc, tc.consent_language) == (300, "DE", "DE")
    assert tc.created == tc.last_updated == AT
    assert tc.purposes_consent == frozenset({1, 7, 8, 9, 10})
    assert not tc.purposes_consent & {3, 4}
    assert tc.vendor_consents.ids == frozenset({1, 2})
