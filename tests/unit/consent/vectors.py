"""Builders for TCF/GPP test vectors, encoded with our own encoders from the spec layout."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from hypothesis import strategies as st

from frontoffice.consent.gpp import UsNat
from frontoffice.consent.tcf import NO_LI_PURPOSES, PublisherRestriction, PublisherTC, TCString, VendorSet

T0 = datetime(2026, 11, 1, 9, 30, tzinfo=UTC)


def tc(**overrides: object) -> TCString:
    base = TCString(
        version=2, created=T0, last_updated=T0, cmp_id=300, cmp_version=2, consent_screen=1,
        consent_language="EN", vendor_list_version=150, tcf_policy_version=5, is_service_specific=True,
        use_non_standard_texts=False, special_feature_opt_ins=frozenset({1}),
        purposes_consent=frozenset({1, 2, 3, 4, 7, 8, 9, 10}), purposes_li_transparency=frozenset({2, 7, 9}),
        purpose_one_treatment=False, publisher_cc="DE",
        vendor_consents=VendorSet(120, frozenset({1, 2, 3, 50, 120}), False),
        vendor_legitimate_interests=VendorSet(60, frozenset({10, 11, 12, 60}), True),
        publisher_restrictions=(PublisherRestriction(2, 1, frozenset({3, 4, 5, 90})),),
    )
    return replace(base, **overrides)  # type: ignore[arg-type]


def usnat(**overrides: object) -> UsNat:
    base = UsNat(version=1, sharing_notice=1, sale_opt_out_notice=1, sharing_opt_out_notice=1,
                 targeted_advertising_opt_out_notice=1, sensitive_data_processing_opt_out_notice=1,
                 sensitive_data_limit_use_notice=1, sale_opt_out=2, sharing_opt_out=2,
                 targeted_advertising_opt_out=2, sensitive_data_processing=(0,) * 12,
                 known_child_sensitive_data_consents=(0, 0), personal_data_consents=0,
                 mspa_covered_transaction=2, mspa_opt_out_option_mode=0, mspa_service_provider_mode=0,
                 gpc=None)
    return replace(base, **overrides)  # type: ignore[arg-type]


def _ids(upper: int) -> st.SearchStrategy[frozenset[int]]:
    return st.frozensets(st.integers(1, upper), max_size=40) if upper else st.just(frozenset())


@st.composite
def vendor_sets(draw: st.DrawFn) -> VendorSet:
    max_id = draw(st.integers(0, 400))
    return VendorSet(max_id, draw(_ids(max_id)), draw(st.booleans()))


letters = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=2)
purpose_sets = st.frozensets(st.integers(1, 24), max_size=24)


@st.composite
def tc_strings(draw: st.DrawFn) -> TCString:
    created = T0 + timedelta(milliseconds=100 * draw(st.integers(-10**9, 10**9)))
    updated = created + timedelta(milliseconds=100 * draw(st.integers(0, 10**8)))
    restrictions = draw(st.lists(st.builds(PublisherRestriction, st.integers(1, 24), st.integers(0, 2),
                                           st.frozensets(st.integers(1, 500), max_size=10)), max_size=3))
    n_custom = draw(st.integers(0, 10))
    publisher = draw(st.none() | st.builds(
        PublisherTC, purpose_sets, purpose_sets, st.just(n_custom),
        st.frozensets(st.integers(1, n_custom), max_size=n_custom) if n_custom else st.just(frozenset()),
        st.frozensets(st.integers(1, n_custom), max_size=n_custom) if n_custom else st.just(frozenset())))
    return tc(
        created=created, last_updated=updated, cmp_id=draw(st.integers(1, 4095)),
        cmp_version=draw(st.integers(0, 4095)), consent_screen=draw(st.integers(0, 63)),
        consent_language=draw(letters), vendor_list_version=draw(st.integers(1, 4095)),
        tcf_policy_version=draw(st.integers(4, 63)), is_service_specific=draw(st.booleans()),
        use_non_standard_texts=draw(st.booleans()),
        special_feature_opt_ins=draw(st.frozensets(st.integers(1, 12))),
        purposes_consent=draw(purpose_sets),
        purposes_li_transparency=draw(purpose_sets) - NO_LI_PURPOSES,
        purpose_one_treatment=draw(st.booleans()), publisher_cc=draw(letters),
        vendor_consents=draw(vendor_sets()), vendor_legitimate_interests=draw(vendor_sets()),
        publisher_restrictions=tuple(restrictions),
        disclosed_vendors=draw(st.none() | vendor_sets()), publisher_tc=publisher,
    )


@st.composite
def usnats(draw: st.DrawFn) -> UsNat:
    version = draw(st.sampled_from([1, 2]))
    n_s, n_c = (12, 2) if version == 1 else (16, 3)
    v = st.integers(0, 2)
    return usnat(
        version=version, sharing_notice=draw(v), sale_opt_out=draw(v), sharing_opt_out=draw(v),
        targeted_advertising_opt_out=draw(v),
        sensitive_data_processing=tuple(draw(st.lists(v, min_size=n_s, max_size=n_s))),
        known_child_sensitive_data_consents=tuple(draw(st.lists(v, min_size=n_c, max_size=n_c))),
        personal_data_consents=draw(v), mspa_covered_transaction=draw(st.integers(1, 2)),
        gpc=draw(st.none() | st.booleans()),
    )
