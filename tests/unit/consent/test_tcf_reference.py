"""Differential test: TC strings made by IAB's reference encoder (@iabtechlabtcf/core) decode in ours
exactly as the reference decodes them, and no cut of them decodes as anything else.

The strings come from `tests/node/tcf_reference.mjs`: random GVLs, vendors (bitfield and range
encoded), purposes, special features, publisher restrictions, disclosed-vendor and publisher-TC
segments, padded to 24-bit groups as the reference encoder pads them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from frontoffice.consent.bits import ALPHABET
from frontoffice.consent.errors import ConsentStringError
from frontoffice.consent.tcf import EPOCH, TCString, VendorSet, decode_tc_string
from tests.unit.consent.reference import reference_lines

COUNT, SEED = 1000, 20261206


@pytest.fixture(scope="module")
def reference() -> list[dict[str, Any]]:
    return reference_lines("tcf_reference.mjs", COUNT, SEED)


def _ms(t: Any) -> int:
    return (t - EPOCH) // timedelta(milliseconds=1)


def _vendors(vs: VendorSet | None) -> dict[str, Any] | None:
    return None if vs is None else {"max_vendor_id": vs.max_vendor_id, "ids": sorted(vs.ids)}


def as_reference(tc: TCString) -> dict[str, Any]:
    """Our decode in the shape the node script prints the reference decode."""
    p = tc.publisher_tc
    return {
        "version": tc.version, "created_ms": _ms(tc.created), "last_updated_ms": _ms(tc.last_updated),
        "cmp_id": tc.cmp_id, "cmp_version": tc.cmp_version, "consent_screen": tc.consent_screen,
        "consent_language": tc.consent_language, "vendor_list_version": tc.vendor_list_version,
        "tcf_policy_version": tc.tcf_policy_version, "is_service_specific": tc.is_service_specific,
        "use_non_standard_texts": tc.use_non_standard_texts,
        "special_feature_opt_ins": sorted(tc.special_feature_opt_ins),
        "purposes_consent": sorted(tc.purposes_consent),
        "purposes_li_transparency": sorted(tc.purposes_li_transparency),
        "purpose_one_treatment": tc.purpose_one_treatment, "publisher_cc": tc.publisher_cc,
        "vendor_consents": _vendors(tc.vendor_consents),
        "vendor_legitimate_interests": _vendors(tc.vendor_legitimate_interests),
        "publisher_restrictions": sorted([r.purpose_id, r.restriction_type, sorted(r.vendor_ids)]
                                         for r in tc.publisher_restrictions),
        "disclosed_vendors": _vendors(tc.disclosed_vendors),
        "publisher_tc": None if p is None else {
            "purposes_consent": sorted(p.purposes_consent),
            "purposes_li_transparency": sorted(p.purposes_li_transparency),
            "num_custom_purposes": p.num_custom_purposes,
            "custom_purposes_consent": sorted(p.custom_purposes_consent),
            "custom_purposes_li_transparency": sorted(p.custom_purposes_li_transparency),
        },
    }


def test_reference_strings_cover_every_shape(reference: list[dict[str, Any]]) -> None:
    decoded = [r["decoded"] for r in reference]
    assert len(decoded) == COUNT
    assert sum(d["disclosed_vendors"] is not None for d in decoded) > COUNT / 4
    assert sum(d["publisher_tc"] is not None for d in decoded) > COUNT / 4
    assert sum(bool(d["publisher_restrictions"]) for d in decoded) > COUNT / 4
    assert sum(d["vendor_consents"]["max_vendor_id"] > 1000 for d in decoded) > COUNT / 10
    assert sum(r["bits"][0] % 24 > 12 for r in reference) > COUNT / 4  # > 11 padding bits


def test_every_reference_string_decodes_as_the_reference_decodes_it(reference: list[dict[str, Any]]) -> None:
    wrong = []
    for r in reference:
        try:
            ours = as_reference(decode_tc_string(r["tc"]))
        except ConsentStringError as e:
            wrong.append(f"{r['tc']}: refused: {e.reason}")
            continue
        if ours != r["decoded"]:
            diff = {k: (v, r["decoded"][k]) for k, v in ours.items() if v != r["decoded"][k]}
            wrong.append(f"{r['tc']}: {diff}")
    assert not wrong, f"{len(wrong)} of {len(reference)} reference strings differ, e.g. {wrong[:3]}"


def _conforming_lengths(data_bits: int) -> set[int]:
    """Zero padding to a byte then a base64 character (base64url of bytes), or to a 24-bit group."""
    to_byte = data_bits + -data_bits % 8
    return {to_byte + -to_byte % 6, data_bits + -data_bits % 24}


def _expected_for_cut(text: str, bits: list[int], decoded: dict[str, Any], cut: int) -> dict[str, Any] | None:
    """What `text[:cut]` may decode to, or None when it must be refused: the prefix may only drop
    whole segments (they are optional) or zero padding down to another conforming boundary."""
    kept = text[:cut].split(".")
    n = len(kept) - 1
    if kept[n] != text.split(".")[n] and len(kept[n]) * 6 not in _conforming_lengths(bits[n]):
        return None
    types = {ALPHABET.index(s[0]) >> 3 for s in kept[1:]}
    return {**decoded, "disclosed_vendors": decoded["disclosed_vendors"] if 1 in types else None,
            "publisher_tc": decoded["publisher_tc"] if 3 in types else None}


def test_every_cut_of_a_reference_string_is_refused_unless_it_drops_only_padding_or_whole_segments(
        reference: list[dict[str, Any]]) -> None:
    wrong = []
    for r in reference:
        text = r["tc"]
        for cut in range(len(text)):
            try:
                ours = as_reference(decode_tc_string(text[:cut]))
            except ConsentStringError:
                continue
            if ours != _expected_for_cut(text, r["bits"], r["decoded"], cut):
                wrong.append(f"{text}[:{cut}]")
    assert not wrong, f"{len(wrong)} cuts decoded instead of being refused, e.g. {wrong[:3]}"
