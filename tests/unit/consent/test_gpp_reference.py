"""Differential test: GPP strings made by IAB's reference library (@iabgpp/cmpapi) carrying tcfeuv2,
uspv1, usnat and every US state section decode in ours exactly as the reference decodes them, and
no cut of them decodes as anything else. The strings come from `tests/node/gpp_reference.mjs`."""

from __future__ import annotations

from dataclasses import asdict
from datetime import timedelta
from typing import Any

import pytest

from frontoffice.consent.bits import ALPHABET
from frontoffice.consent.errors import ConsentStringError
from frontoffice.consent.gpp import GPPString, decode_gpp_string
from frontoffice.consent.gpp_us import LAYOUTS
from frontoffice.consent.tcf import EPOCH, TCString
from tests.unit.consent.reference import reference_lines

COUNT, SEED = 1000, 20261206
OPTIONAL = ("GpcSegmentType", "Gpc", "SensitiveDataProcessing")  # fields of optional sub-segments
# tcfeuv2 fields by segment type (1 disclosed vendors, 3 publisher purposes); 2, allowed vendors, is
# never written by the reference encoder (TCF v2.2 removed it), so its defaults are left out.
TCF_SEGMENT_FIELDS = {
    1: ("VendorsDisclosedSegmentType", "VendorsDisclosed"),
    2: ("VendorsAllowedSegmentType", "VendorsAllowed"),
    3: ("PublisherPurposesSegmentType", "PublisherConsents", "PublisherLegitimateInterests",
        "NumCustomPurposes", "PublisherCustomConsents", "PublisherCustomLegitimateInterests"),
}


@pytest.fixture(scope="module")
def reference() -> list[dict[str, Any]]:
    return reference_lines("gpp_reference.mjs", COUNT, SEED)


def _camel(name: str) -> str:
    return "".join(word.capitalize() for word in name.split("_"))


def _fields(values: dict[str, Any], version_field: str, gpc: bool | None) -> dict[str, Any]:
    out: dict[str, Any] = {version_field: values.pop("version")}
    out |= {_camel(k): list(v) if isinstance(v, tuple) else v for k, v in values.items()}
    if gpc is not None:
        out |= {"GpcSegmentType": 1, "Gpc": gpc}
    return out


def _flags(ids: frozenset[int], n: int) -> list[bool]:
    return [i in ids for i in range(1, n + 1)]


def _tcf(tc: TCString) -> dict[str, Any]:
    out: dict[str, Any] = {
        "Version": tc.version, "Created": (tc.created - EPOCH) // timedelta(milliseconds=1),
        "LastUpdated": (tc.last_updated - EPOCH) // timedelta(milliseconds=1), "CmpId": tc.cmp_id,
        "CmpVersion": tc.cmp_version, "ConsentScreen": tc.consent_screen,
        "ConsentLanguage": tc.consent_language, "VendorListVersion": tc.vendor_list_version,
        "PolicyVersion": tc.tcf_policy_version, "IsServiceSpecific": tc.is_service_specific,
        "UseNonStandardStacks": tc.use_non_standard_texts,
        "SpecialFeatureOptins": _flags(tc.special_feature_opt_ins, 12),
        "PurposeConsents": _flags(tc.purposes_consent, 24),
        "PurposeLegitimateInterests": _flags(tc.purposes_li_transparency, 24),
        "PurposeOneTreatment": tc.purpose_one_treatment, "PublisherCountryCode": tc.publisher_cc,
        "VendorConsents": sorted(tc.vendor_consents.ids),
        "VendorLegitimateInterests": sorted(tc.vendor_legitimate_interests.ids),
        "PublisherRestrictions": [
            {"key": r.purpose_id, "type": r.restriction_type, "ids": sorted(r.vendor_ids)}
            for r in tc.publisher_restrictions],
    }
    if tc.disclosed_vendors is not None:
        out |= {"VendorsDisclosedSegmentType": 1, "VendorsDisclosed": sorted(tc.disclosed_vendors.ids)}
    p = tc.publisher_tc
    if p is not None:
        n = p.num_custom_purposes
        out |= {"PublisherPurposesSegmentType": 3, "PublisherConsents": _flags(p.purposes_consent, 24),
                "PublisherLegitimateInterests": _flags(p.purposes_li_transparency, 24),
                "NumCustomPurposes": n,
                "PublisherCustomConsents": _flags(p.custom_purposes_consent, n),
                "PublisherCustomLegitimateInterests": _flags(p.custom_purposes_li_transparency, n)}
    return out


def as_reference(gpp: GPPString) -> dict[str, Any]:
    """Our decode in the shape the reference's `toObject()` has, less the optional sub-segments'
    fields when the string does not carry them (the reference then shows their defaults)."""
    out: dict[str, Any] = {}
    if gpp.tcf_eu is not None:
        out["tcfeuv2"] = _tcf(gpp.tcf_eu)
    if gpp.uspv1 is not None:
        out["uspv1"] = {"Version": 1, "Notice": gpp.uspv1.notice, "OptOutSale": gpp.uspv1.opt_out_sale,
                        "LspaCovered": gpp.uspv1.lspa_covered}
    if gpp.usnat is not None:
        values = asdict(gpp.usnat)
        out["usnat"] = _fields(values, "Version", values.pop("gpc"))
    for s in gpp.us_states:
        out[s.name] = _fields({"version": s.version, **s.fields},
                              "MspaVersion" if s.section_id >= 24 else "Version", s.gpc)
    return out


def _carried(text: str, decoded: dict[str, Any]) -> dict[str, Any]:
    """The reference decode, keeping an optional segment's fields only where `text` carries it."""
    bodies = dict(zip(decoded, text.split("~")[1:], strict=False))  # toObject() lists sections in id order
    out = {}
    for name, fields in decoded.items():
        if name == "tcfeuv2":
            kinds = {ALPHABET.index(s[0]) >> 3 for s in bodies[name].split(".")[1:]}
            dropped = {f for kind, names in TCF_SEGMENT_FIELDS.items() if kind not in kinds for f in names}
        else:
            dropped = {f for f in OPTIONAL if "." not in bodies.get(name, "")} - (
                set() if name in ("usin", "usky", "usri") else {"SensitiveDataProcessing"})
        out[name] = {k: v for k, v in fields.items() if k not in dropped}
    return out


def _conforming_lengths(data_bits: int) -> set[int]:
    """Zero padding to a byte then a base64 character (base64url of bytes), or to a 24-bit group."""
    to_byte = data_bits + -data_bits % 8
    return {to_byte + -to_byte % 6, data_bits + -data_bits % 24}


def _expected_for_cut(r: dict[str, Any], cut: int) -> dict[str, Any] | None:
    """What `gpp[:cut]` may decode to, or None when it must be refused: it may only drop the last
    section's trailing optional segments, or zero padding of a segment down to another conforming
    boundary (then what follows that segment is dropped too)."""
    text, kept = r["gpp"], r["gpp"][:cut]
    if kept.count("~") != text.count("~"):
        return None  # a whole section is missing: the header then lists more sections than it carries
    segments = [s for section in kept.split("~") for s in section.split(".")]
    n = len(segments) - 1
    original = [s for section in text.split("~") for s in section.split(".")][n]
    if segments[n] != original and (r["bits"][n] is None or len(segments[n]) * 6 not in
                                    _conforming_lengths(r["bits"][n])):
        return None
    return _carried(kept, r["decoded"])


def test_reference_strings_carry_every_us_section_the_reference_supports(
        reference: list[dict[str, Any]]) -> None:
    seen = {name for r in reference for name in r["decoded"]}
    assert seen == {"tcfeuv2", "uspv1", "usnat", *(layout.name for layout in LAYOUTS.values())}
    assert sum("." in r["gpp"] for r in reference) > COUNT / 2
    assert sum("tcfeuv2" in r["decoded"] and len(r["decoded"]) == 1 for r in reference) > 20


def test_every_reference_string_decodes_as_the_reference_decodes_it(reference: list[dict[str, Any]]) -> None:
    wrong = []
    for r in reference:
        try:
            ours = as_reference(decode_gpp_string(r["gpp"]))
        except ConsentStringError as e:
            wrong.append(f"{r['gpp']}: refused: {e.reason}")
            continue
        expected = _carried(r["gpp"], r["decoded"])
        if ours != expected:
            wrong.append(f"{r['gpp']}: ours {ours} != reference {expected}")
    assert not wrong, f"{len(wrong)} of {len(reference)} reference strings differ, e.g. {wrong[:3]}"


def test_every_cut_of_a_reference_string_is_refused_unless_it_drops_only_optional_segments_or_padding(
        reference: list[dict[str, Any]]) -> None:
    wrong = []
    for r in reference:
        text = r["gpp"]
        for cut in range(len(text)):
            try:
                ours = as_reference(decode_gpp_string(text[:cut]))
            except ConsentStringError:
                continue
            expected = _expected_for_cut(r, cut)
            if ours != expected:
                wrong.append(f"{text}[:{cut}]: {ours} != {expected}")
    assert not wrong, f"{len(wrong)} cuts decoded instead of being refused, e.g. {wrong[:3]}"
