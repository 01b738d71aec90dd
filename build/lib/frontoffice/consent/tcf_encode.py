"""TCF v2.2 TC string encoder, written from the spec's bit layout.

Used to build test vectors and benchmark inputs, and by anything that must hand a TC string on.
It encodes exactly the fields `TCString` holds; `decode_tc_string(encode_tc_string(tc)) == tc`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Literal

from frontoffice.consent.bits import BitWriter
from frontoffice.consent.tcf import (
    EPOCH,
    SEGMENT_DISCLOSED_VENDORS,
    SEGMENT_PUBLISHER_TC,
    PublisherTC,
    TCString,
    VendorSet,
)

VendorEncoding = Literal["bitfield", "range", "as_recorded"]


def _deciseconds(t: datetime) -> int:
    return round((t - EPOCH).total_seconds() * 10)


def ranges(ids: Iterable[int]) -> list[tuple[int, int]]:
    """Sorted ids → maximal runs [(start, end), …]."""
    out: list[tuple[int, int]] = []
    for i in sorted(set(ids)):
        if out and out[-1][1] == i - 1:
            out[-1] = (out[-1][0], i)
        else:
            out.append((i, i))
    return out


def write_ranges(w: BitWriter, ids: Iterable[int]) -> None:
    runs = ranges(ids)
    w.uint(len(runs), 12)
    for start, end in runs:
        w.flag(start != end)
        w.uint(start, 16)
        if start != end:
            w.uint(end, 16)


def write_vendor_set(w: BitWriter, vs: VendorSet, encoding: VendorEncoding) -> None:
    w.uint(vs.max_vendor_id, 16)
    use_range = vs.range_encoded if encoding == "as_recorded" else encoding == "range"
    w.flag(use_range)
    if use_range:
        write_ranges(w, vs.ids)
    else:
        w.bitset(vs.ids, vs.max_vendor_id)


def _publisher_tc(w: BitWriter, p: PublisherTC) -> None:
    w.uint(SEGMENT_PUBLISHER_TC, 3)
    w.bitset(p.purposes_consent, 24)
    w.bitset(p.purposes_li_transparency, 24)
    w.uint(p.num_custom_purposes, 6)
    w.bitset(p.custom_purposes_consent, p.num_custom_purposes)
    w.bitset(p.custom_purposes_li_transparency, p.num_custom_purposes)


def encode_core_bits(tc: TCString, encoding: VendorEncoding = "as_recorded") -> str:
    w = BitWriter()
    w.uint(tc.version, 6)
    w.uint(_deciseconds(tc.created), 36)
    w.uint(_deciseconds(tc.last_updated), 36)
    w.uint(tc.cmp_id, 12)
    w.uint(tc.cmp_version, 12)
    w.uint(tc.consent_screen, 6)
    w.letters(tc.consent_language)
    w.uint(tc.vendor_list_version, 12)
    w.uint(tc.tcf_policy_version, 6)
    w.flag(tc.is_service_specific)
    w.flag(tc.use_non_standard_texts)
    w.bitset(tc.special_feature_opt_ins, 12)
    w.bitset(tc.purposes_consent, 24)
    w.bitset(tc.purposes_li_transparency, 24)
    w.flag(tc.purpose_one_treatment)
    w.letters(tc.publisher_cc)
    write_vendor_set(w, tc.vendor_consents, encoding)
    write_vendor_set(w, tc.vendor_legitimate_interests, encoding)
    w.uint(len(tc.publisher_restrictions), 12)
    for pr in tc.publisher_restrictions:
        w.uint(pr.purpose_id, 6)
        w.uint(pr.restriction_type, 2)
        write_ranges(w, pr.vendor_ids)
    return w.bits()


def encode_tc_string(tc: TCString, encoding: VendorEncoding = "as_recorded") -> str:
    core = BitWriter()
    core.parts.append(encode_core_bits(tc, encoding))
    segments = [core.b64()]
    if tc.disclosed_vendors is not None:
        w = BitWriter()
        w.uint(SEGMENT_DISCLOSED_VENDORS, 3)
        write_vendor_set(w, tc.disclosed_vendors, encoding)
        segments.append(w.b64())
    if tc.publisher_tc is not None:
        w = BitWriter()
        _publisher_tc(w, tc.publisher_tc)
        segments.append(w.b64())
    return ".".join(segments)
