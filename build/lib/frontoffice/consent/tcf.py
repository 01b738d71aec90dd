"""Strict IAB TCF v2.2 TC string decoder (core segment + disclosed-vendors and publisher-TC segments).

Anything that is not a complete, well-formed v2.2 string raises `ConsentStringError` with the
reason: truncation (a field would need bits past the end), characters outside base64url, a
version other than 2, and impossible values (letters beyond Z, vendor ranges outside 1..MaxVendorId,
lastUpdated before created, legitimate interest for purposes 1 and 3-6, undefined restriction
types, the Allowed Vendors segment that v2.2 removed, repeated segments).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from frontoffice.consent.bits import BitReader, b64url_to_bits
from frontoffice.consent.errors import ConsentStringError

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MIN_POLICY_VERSION = 4  # TCF v2.2
MAX_VENDOR_ID = (1 << 16) - 1
NO_LI_PURPOSES = frozenset({1, 3, 4, 5, 6})  # v2.2: legitimate interest not allowed for these
SEGMENT_DISCLOSED_VENDORS, SEGMENT_ALLOWED_VENDORS, SEGMENT_PUBLISHER_TC = 1, 2, 3
RESTRICTION_TYPES = {0: "not_allowed", 1: "require_consent", 2: "require_legitimate_interest"}


@dataclass(frozen=True, slots=True)
class VendorSet:
    max_vendor_id: int
    ids: frozenset[int]
    range_encoded: bool


@dataclass(frozen=True, slots=True)
class PublisherRestriction:
    purpose_id: int
    restriction_type: int  # key of RESTRICTION_TYPES
    vendor_ids: frozenset[int]


@dataclass(frozen=True, slots=True)
class PublisherTC:
    purposes_consent: frozenset[int]
    purposes_li_transparency: frozenset[int]
    num_custom_purposes: int
    custom_purposes_consent: frozenset[int]
    custom_purposes_li_transparency: frozenset[int]


@dataclass(frozen=True, slots=True)
class TCString:
    version: int
    created: datetime
    last_updated: datetime
    cmp_id: int
    cmp_version: int
    consent_screen: int
    consent_language: str
    vendor_list_version: int
    tcf_policy_version: int
    is_service_specific: bool
    use_non_standard_texts: bool
    special_feature_opt_ins: frozenset[int]
    purposes_consent: frozenset[int]
    purposes_li_transparency: frozenset[int]
    purpose_one_treatment: bool
    publisher_cc: str
    vendor_consents: VendorSet
    vendor_legitimate_interests: VendorSet
    publisher_restrictions: tuple[PublisherRestriction, ...] = ()
    disclosed_vendors: VendorSet | None = None
    publisher_tc: PublisherTC | None = None


def _time(r: BitReader, field: str) -> datetime:
    return EPOCH + timedelta(milliseconds=100 * r.uint(36, field))


def read_ranges(r: BitReader, max_id: int, field: str) -> frozenset[int]:
    """NumEntries(12) × [IsARange(1) StartOrOnly(16) [End(16)]], each id within 1..max_id."""
    ids: set[int] = set()
    covered = 0
    bits, total = r.bits, len(r.bits)
    entry_field = f"{field}.RangeEntry"
    for _ in range(r.uint(12, f"{field}.NumEntries")):
        at = r.pos
        width = 33 if at < total and bits[at] == "1" else 17
        if at + width > total:
            r.uint(width, entry_field)  # raises: truncated inside this entry
        start = int(bits[at + 1:at + 17], 2)
        end = int(bits[at + 17:at + 33], 2) if width == 33 else start
        r.pos = at + width
        if start < 1 or end < start or (max_id and end > max_id):
            raise ConsentStringError(f"{r.what}: {field} entry {start}-{end} is outside 1..{max_id} "
                                     "or runs backwards", at)
        covered += end - start + 1
        if covered > MAX_VENDOR_ID:  # only overlapping ranges can cover more ids than exist
            raise ConsentStringError(f"{r.what}: {field} ranges overlap (they cover more than "
                                     f"{MAX_VENDOR_ID} ids)", at)
        ids.update(range(start, end + 1))
    return frozenset(ids)


def read_vendor_set(r: BitReader, field: str) -> VendorSet:
    max_id = r.uint(16, f"{field}.MaxVendorId")
    if r.flag(f"{field}.IsRangeEncoding"):
        return VendorSet(max_id, read_ranges(r, max_id, field), True)
    return VendorSet(max_id, r.bitset(max_id, f"{field}.BitField"), False)


def _core(r: BitReader) -> TCString:
    at = r.pos
    version = r.uint(6, "Version")
    if version != 2:
        raise ConsentStringError(
            f"unsupported TCF version {version}; only version 2 (TCF v2.2) is accepted", at)
    created, updated = _time(r, "Created"), _time(r, "LastUpdated")
    if created == EPOCH or updated < created:
        raise ConsentStringError("Created must be set and LastUpdated must not precede it", at + 6)
    at = r.pos
    cmp_id, cmp_version = r.uint(12, "CmpId"), r.uint(12, "CmpVersion")
    if cmp_id == 0:
        raise ConsentStringError("CmpId 0 is not a registered CMP", at)
    screen, language = r.uint(6, "ConsentScreen"), r.letters(2, "ConsentLanguage")
    at = r.pos
    vlv, policy = r.uint(12, "VendorListVersion"), r.uint(6, "TcfPolicyVersion")
    if vlv == 0:
        raise ConsentStringError("VendorListVersion 0 is impossible", at)
    if policy < MIN_POLICY_VERSION:
        raise ConsentStringError(
            f"TcfPolicyVersion {policy} predates TCF v2.2 (needs ≥ {MIN_POLICY_VERSION})", at + 12)
    service_specific, non_standard = r.flag("IsServiceSpecific"), r.flag("UseNonStandardTexts")
    special = r.bitset(12, "SpecialFeatureOptIns")
    consent = r.bitset(24, "PurposesConsent")
    at = r.pos
    li = r.bitset(24, "PurposesLITransparency")
    if li & NO_LI_PURPOSES:
        raise ConsentStringError(f"legitimate interest signalled for purposes {sorted(li & NO_LI_PURPOSES)}, "
                                 "which TCF v2.2 does not allow", at)
    p1t, cc = r.flag("PurposeOneTreatment"), r.letters(2, "PublisherCC")
    vendors = read_vendor_set(r, "VendorConsents")
    vendors_li = read_vendor_set(r, "VendorLegitimateInterests")
    restrictions = []
    for i in range(r.uint(12, "NumPubRestrictions")):
        at = r.pos
        purpose = r.uint(6, f"PubRestriction[{i}].PurposeId")
        kind = r.uint(2, f"PubRestriction[{i}].RestrictionType")
        if not 1 <= purpose <= 24 or kind not in RESTRICTION_TYPES:
            raise ConsentStringError(
                f"publisher restriction {i}: purpose {purpose} / type {kind} is undefined", at)
        restrictions.append(PublisherRestriction(purpose, kind, read_ranges(r, 0, f"PubRestriction[{i}]")))
    return TCString(version, created, updated, cmp_id, cmp_version, screen, language, vlv, policy,
                    service_specific, non_standard, special, consent, li, p1t, cc, vendors, vendors_li,
                    tuple(restrictions))


def _publisher_tc(r: BitReader) -> PublisherTC:
    consent, li = r.bitset(24, "PubPurposesConsent"), r.bitset(24, "PubPurposesLITransparency")
    n = r.uint(6, "NumCustomPurposes")
    return PublisherTC(consent, li, n, r.bitset(n, "CustomPurposesConsent"),
                       r.bitset(n, "CustomPurposesLITransparency"))


def decode_tc_string(text: str) -> TCString:
    """Decode a TC string strictly; raises ConsentStringError with the reason on any defect."""
    if not isinstance(text, str):
        raise ConsentStringError("a TC string must be text")
    core_text, *extra = text.split(".")
    r = BitReader(b64url_to_bits(core_text, "TC string core segment"), "TC string core segment")
    tc = _core(r)
    r.expect_padding()
    disclosed: VendorSet | None = None
    publisher: PublisherTC | None = None
    seen: set[int] = set()
    for n, segment in enumerate(extra, start=1):
        what = f"TC string segment {n}"
        s = BitReader(b64url_to_bits(segment, what), what)
        kind = s.uint(3, "SegmentType")
        if kind in seen:
            raise ConsentStringError(f"{what}: segment type {kind} appears twice")
        seen.add(kind)
        if kind == SEGMENT_DISCLOSED_VENDORS:
            disclosed = read_vendor_set(s, "DisclosedVendors")
        elif kind == SEGMENT_PUBLISHER_TC:
            publisher = _publisher_tc(s)
        elif kind == SEGMENT_ALLOWED_VENDORS:
            raise ConsentStringError(f"{what}: the Allowed Vendors segment was removed in TCF v2.2")
        else:
            raise ConsentStringError(f"{what}: segment type {kind} is not defined by TCF v2.2")
        s.expect_padding()
    if disclosed is None and publisher is None:
        return tc
    return replace(tc, disclosed_vendors=disclosed, publisher_tc=publisher)
