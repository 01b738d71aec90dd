"""Strict IAB GPP string decoder: header, TCF EU v2 (id 2), US Privacy (id 6, uspv1), US National
(id 7, usnat) and every US state section (ids 8-27, `gpp_us`).

A section this decoder does not know (TCF Canada, id 5, or an id the GPP specification has not
assigned) is refused, never kept undecoded. Anything incomplete or impossible raises
`ConsentStringError` with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from frontoffice.consent.bits import BitReader, b64url_to_bits
from frontoffice.consent.errors import ConsentStringError
from frontoffice.consent.gpp_us import (
    LAYOUTS,
    SECTION_USPV1,
    SUBSECTION_GPC,
    UspV1,
    UsSection,
    decode_us_section,
    decode_uspv1,
)
from frontoffice.consent.tcf import TCString, decode_tc_string

GPP_TYPE, GPP_VERSION = 3, 1
SECTION_TCFEU2, SECTION_TCFCA, SECTION_USNAT = 2, 5, 7
MAX_SECTION_ID = 1000  # assigned ids are below 30; larger ones are corrupt (and would expand huge ranges)
# usnat core layout per version: (number of SensitiveDataProcessing, of KnownChildSensitiveDataConsents)
USNAT_LAYOUT = {1: (12, 2), 2: (16, 3)}
USNAT_NOTICES = ("sharing_notice", "sale_opt_out_notice", "sharing_opt_out_notice",
                 "targeted_advertising_opt_out_notice", "sensitive_data_processing_opt_out_notice",
                 "sensitive_data_limit_use_notice")
USNAT_OPT_OUTS = ("sale_opt_out", "sharing_opt_out", "targeted_advertising_opt_out")
USNAT_MSPA = ("mspa_covered_transaction", "mspa_opt_out_option_mode", "mspa_service_provider_mode")
# 2-bit values: notices/modes 0 n/a, 1 yes, 2 no · opt-outs 0 n/a, 1 opted out, 2 did not opt out ·
# consents 0 n/a, 1 no consent, 2 consent. 3 is never defined; MspaCoveredTransaction must be 1 or 2.
OPTED_OUT, NOT_OPTED_OUT = 1, 2
NO_CONSENT, CONSENT = 1, 2


@dataclass(frozen=True, slots=True)
class UsNat:
    version: int
    sharing_notice: int
    sale_opt_out_notice: int
    sharing_opt_out_notice: int
    targeted_advertising_opt_out_notice: int
    sensitive_data_processing_opt_out_notice: int
    sensitive_data_limit_use_notice: int
    sale_opt_out: int
    sharing_opt_out: int
    targeted_advertising_opt_out: int
    sensitive_data_processing: tuple[int, ...]
    known_child_sensitive_data_consents: tuple[int, ...]
    personal_data_consents: int
    mspa_covered_transaction: int
    mspa_opt_out_option_mode: int
    mspa_service_provider_mode: int
    gpc: bool | None = None  # None when the GPC sub-section is absent


@dataclass(frozen=True, slots=True)
class GPPString:
    version: int
    section_ids: tuple[int, ...]
    tcf_eu: TCString | None
    usnat: UsNat | None
    us_states: tuple[UsSection, ...] = ()
    uspv1: UspV1 | None = None


def read_fibonacci_ranges(r: BitReader, field: str) -> tuple[int, ...]:
    """NumEntries(12) × [IsARange(1), Fibonacci offset from the previous id, (Fibonacci length)]."""
    ids: list[int] = []
    last = 0
    for _ in range(r.uint(12, f"{field}.NumEntries")):
        if r.flag(f"{field}.IsARange"):
            start = last + r.fibonacci(f"{field}.Start")
            last = start + r.fibonacci(f"{field}.End")
            if last > MAX_SECTION_ID:
                raise ConsentStringError(f"{r.what}: section id {last} is not plausible", r.pos)
            ids.extend(range(start, last + 1))
        else:
            last += r.fibonacci(f"{field}.Id")
            if last > MAX_SECTION_ID:
                raise ConsentStringError(f"{r.what}: section id {last} is not plausible", r.pos)
            ids.append(last)
    return tuple(ids)


def _two_bits(r: BitReader, field: str, allowed: tuple[int, ...] = (0, 1, 2)) -> int:
    at = r.pos
    v = r.uint(2, field)
    if v not in allowed:
        raise ConsentStringError(f"{r.what}: {field} value {v} is undefined", at)
    return v


def decode_usnat(text: str) -> UsNat:
    core, *subs = text.split(".")
    r = BitReader(b64url_to_bits(core, "usnat core segment"), "usnat core segment")
    at = r.pos
    version = r.uint(6, "Version")
    if version not in USNAT_LAYOUT:
        raise ConsentStringError(
            f"unsupported usnat version {version}; expected one of {sorted(USNAT_LAYOUT)}", at)
    n_sensitive, n_child = USNAT_LAYOUT[version]
    values: dict[str, object] = {f: _two_bits(r, f) for f in USNAT_NOTICES + USNAT_OPT_OUTS}
    values["sensitive_data_processing"] = tuple(_two_bits(r, f"SensitiveDataProcessing[{i}]")
                                                for i in range(n_sensitive))
    values["known_child_sensitive_data_consents"] = tuple(
        _two_bits(r, f"KnownChildSensitiveDataConsents[{i}]") for i in range(n_child))
    values["personal_data_consents"] = _two_bits(r, "PersonalDataConsents")
    values["mspa_covered_transaction"] = _two_bits(r, "MspaCoveredTransaction", (1, 2))
    values["mspa_opt_out_option_mode"] = _two_bits(r, "MspaOptOutOptionMode")
    values["mspa_service_provider_mode"] = _two_bits(r, "MspaServiceProviderMode")
    r.expect_padding()
    gpc: bool | None = None
    for n, sub in enumerate(subs, start=1):
        s = BitReader(b64url_to_bits(sub, f"usnat sub-section {n}"), f"usnat sub-section {n}")
        at = s.pos
        kind = s.uint(2, "SubsectionType")
        if kind != SUBSECTION_GPC or gpc is not None:
            raise ConsentStringError(f"usnat sub-section {n}: type {kind} is undefined or repeated", at)
        gpc = s.flag("Gpc")
        s.expect_padding()
    return UsNat(version=version, gpc=gpc, **values)  # type: ignore[arg-type]


def decode_gpp_string(text: str) -> GPPString:
    """Decode a GPP string strictly; raises ConsentStringError with the reason on any defect."""
    if not isinstance(text, str):
        raise ConsentStringError("a GPP string must be text")
    header, *sections = text.split("~")
    r = BitReader(b64url_to_bits(header, "GPP header"), "GPP header")
    at = r.pos
    kind, version = r.uint(6, "Type"), r.uint(6, "Version")
    if kind != GPP_TYPE:
        raise ConsentStringError(f"GPP header type {kind} is not {GPP_TYPE}", at)
    if version != GPP_VERSION:
        raise ConsentStringError(f"unsupported GPP version {version}; only {GPP_VERSION} is accepted", at + 6)
    ids = read_fibonacci_ranges(r, "SectionIds")
    r.expect_padding()
    if not ids:
        raise ConsentStringError("GPP header lists no sections")
    if len(ids) != len(sections):
        raise ConsentStringError(
            f"GPP header lists {len(ids)} sections but the string carries {len(sections)}")
    tcf: TCString | None = None
    usnat: UsNat | None = None
    uspv1: UspV1 | None = None
    states: list[UsSection] = []
    for sid, body in zip(ids, sections, strict=True):
        if sid == SECTION_TCFEU2:
            tcf = decode_tc_string(body)
        elif sid == SECTION_USNAT:
            usnat = decode_usnat(body)
        elif sid == SECTION_USPV1:
            uspv1 = decode_uspv1(body)
        elif sid in LAYOUTS:
            states.append(decode_us_section(sid, body))
        elif sid == SECTION_TCFCA:
            raise ConsentStringError("GPP section 5 (tcfcav1, TCF Canada) is not supported; "
                                     "send the string without it")
        else:
            raise ConsentStringError(f"GPP section id {sid} is not one the GPP specification assigns "
                                     f"(known: 2, 6, 7, {min(LAYOUTS)}-{max(LAYOUTS)})")
    return GPPString(version, ids, tcf, usnat, tuple(states), uspv1)
