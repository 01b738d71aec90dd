"""GPP US state sections (ids 8-27: usca … usri) and the US Privacy section `uspv1` (id 6), strictly.

Each state section is a core segment of 2-bit fields in the order its layout lists them, and,
depending on the state, a GPC sub-segment (2-bit type 1, then the GPC bit) or a sensitive-data
segment (its consents, no type bits). 2-bit values: notices and modes 0 n/a, 1 yes, 2 no;
opt-outs 0 n/a, 1 opted out, 2 did not opt out; consents 0 n/a, 1 no consent, 2 consent; 3 is
never defined and MspaCoveredTransaction is 1 or 2. `uspv1` is the four characters of the IAB
US Privacy string: version 1, then notice, opt-out of sale and LSPA coverage, each Y, N or -.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from frontoffice.consent.bits import BitReader, b64url_to_bits
from frontoffice.consent.errors import ConsentStringError

SECTION_USPV1 = 6
SUBSECTION_GPC = 1
Field = str | tuple[str, int]  # a 2-bit field, or a list of that many 2-bit fields
_MSPA = ("mspa_covered_transaction", "mspa_opt_out_option_mode", "mspa_service_provider_mode")
_ADS = ("sale_opt_out_notice", "targeted_advertising_opt_out_notice", "sale_opt_out",
        "targeted_advertising_opt_out")
_ONE_OF_TWO = {"mspa_covered_transaction": (1, 2)}


@dataclass(frozen=True, slots=True)
class UsLayout:
    name: str
    section_id: int
    version: int
    second: Literal["gpc", "sensitive"] | None  # what a '.'-separated second segment carries
    core: tuple[Field, ...]  # after the 6-bit version


def _state(name: str, sid: int, second: Literal["gpc"] | None, notice: str, sensitive: int,
           children: int, additional: bool) -> UsLayout:
    """The layout most states share: a notice, sale and targeted-advertising notices and opt-outs,
    sensitive data, known-child consents, perhaps an additional-processing consent, MSPA modes."""
    child: Field = ("known_child_sensitive_data_consents", children) if children > 1 \
        else "known_child_sensitive_data_consents"
    extra = ("additional_data_processing_consent",) if additional else ()
    return UsLayout(name, sid, 1, second, (notice, *_ADS, ("sensitive_data_processing", sensitive), child,
                                           *extra, *_MSPA))


def _late(name: str, sid: int, second: Literal["gpc", "sensitive"]) -> UsLayout:
    """Maryland, Indiana, Kentucky, Rhode Island: MSPA fields first; IN/KY/RI carry sensitive data in
    a second segment, and MD has no sensitive-data field."""
    child = () if second == "gpc" else ("known_child_sensitive_data_consents",)
    return UsLayout(name, sid, 1, second, ("mspa_covered_transaction", "mspa_mode", "processing_notice",
                                           *_ADS, *child, "additional_data_processing_consent"))


LAYOUTS: dict[int, UsLayout] = {layout.section_id: layout for layout in (
    UsLayout("usca", 8, 1, "gpc", (
        "sale_opt_out_notice", "sharing_opt_out_notice", "sensitive_data_limit_use_notice", "sale_opt_out",
        "sharing_opt_out", ("sensitive_data_processing", 9), ("known_child_sensitive_data_consents", 2),
        "personal_data_consents", *_MSPA)),
    _state("usva", 9, None, "sharing_notice", 8, 1, False),
    _state("usco", 10, "gpc", "sharing_notice", 7, 1, False),
    UsLayout("usut", 11, 1, None, (
        "sharing_notice", "sale_opt_out_notice", "targeted_advertising_opt_out_notice",
        "sensitive_data_processing_opt_out_notice", "sale_opt_out", "targeted_advertising_opt_out",
        ("sensitive_data_processing", 8), "known_child_sensitive_data_consents", *_MSPA)),
    _state("usct", 12, "gpc", "sharing_notice", 8, 3, False),
    _state("usfl", 13, None, "processing_notice", 8, 3, True),
    _state("usmt", 14, "gpc", "sharing_notice", 8, 3, True),
    _state("usor", 15, "gpc", "processing_notice", 11, 3, True),
    _state("ustx", 16, "gpc", "processing_notice", 8, 1, True),
    _state("usde", 17, "gpc", "processing_notice", 9, 5, True),
    UsLayout("usia", 18, 1, "gpc", (
        "processing_notice", "sale_opt_out_notice", "targeted_advertising_opt_out_notice",
        "sensitive_data_opt_out_notice", "sale_opt_out", "targeted_advertising_opt_out",
        ("sensitive_data_processing", 8), "known_child_sensitive_data_consents", *_MSPA)),
    _state("usne", 19, "gpc", "processing_notice", 8, 1, True),
    _state("usnh", 20, "gpc", "processing_notice", 8, 3, True),
    _state("usnj", 21, "gpc", "processing_notice", 10, 5, True),
    _state("ustn", 22, "gpc", "processing_notice", 8, 1, True),
    _state("usmn", 23, "gpc", "processing_notice", 8, 1, True),
    _late("usmd", 24, "gpc"),
    _late("usin", 25, "sensitive"),
    _late("usky", 26, "sensitive"),
    _late("usri", 27, "sensitive"),
)}
SENSITIVE_SEGMENT: tuple[Field, ...] = (("sensitive_data_processing", 8),)


@dataclass(frozen=True, slots=True)
class UsSection:
    """A decoded US state section: its fields by snake_case name (an int, or a tuple for lists)."""

    name: str
    section_id: int
    version: int
    fields: dict[str, int | tuple[int, ...]]
    gpc: bool | None = None  # None when the GPC sub-segment is absent

    def values(self, name: str) -> tuple[int, ...]:
        """The field's value(s); () when this state's section has no such field."""
        v = self.fields.get(name, ())
        return v if isinstance(v, tuple) else (v,)


@dataclass(frozen=True, slots=True)
class UspV1:
    version: int
    notice: str  # Y, N or - (not applicable)
    opt_out_sale: str
    lspa_covered: str

    def text(self) -> str:
        return f"{self.version}{self.notice}{self.opt_out_sale}{self.lspa_covered}"


def _read(r: BitReader, fields: tuple[Field, ...], out: dict[str, int | tuple[int, ...]]) -> None:
    for f in fields:
        name, count = (f, 0) if isinstance(f, str) else f
        values = tuple(_two_bits(r, name if not count else f"{name}[{i}]", _ONE_OF_TWO.get(name, (0, 1, 2)))
                       for i in range(max(count, 1)))
        out[name] = values if count else values[0]


def _two_bits(r: BitReader, field: str, allowed: tuple[int, ...]) -> int:
    at = r.pos
    v = r.uint(2, field)
    if v not in allowed:
        raise ConsentStringError(f"{r.what}: {field} value {v} is undefined", at)
    return v


def decode_us_section(section_id: int, text: str) -> UsSection:
    layout = LAYOUTS[section_id]
    core, *more = text.split(".")
    what = f"{layout.name} core segment"
    r = BitReader(b64url_to_bits(core, what), what)
    version = r.uint(6, "Version")
    if version != layout.version:
        raise ConsentStringError(f"unsupported {layout.name} version {version}; expected {layout.version}", 0)
    fields: dict[str, int | tuple[int, ...]] = {}
    _read(r, layout.core, fields)
    r.expect_padding()
    if len(more) > (layout.second is not None):
        raise ConsentStringError(f"{layout.name} carries {len(more)} sub-segments; "
                                 f"it may carry {int(layout.second is not None)}")
    gpc: bool | None = None
    for segment in more:
        what = f"{layout.name} {layout.second} segment"
        s = BitReader(b64url_to_bits(segment, what), what)
        if layout.second == "gpc":
            kind = s.uint(2, "SubsectionType")
            if kind != SUBSECTION_GPC:
                raise ConsentStringError(f"{what}: sub-section type {kind} is not GPC ({SUBSECTION_GPC})", 0)
            gpc = s.flag("Gpc")
        else:
            _read(s, SENSITIVE_SEGMENT, fields)
        s.expect_padding()
    return UsSection(layout.name, section_id, version, fields, gpc)


def decode_uspv1(text: str) -> UspV1:
    """The four-character US Privacy string, e.g. `1YNN`."""
    if len(text) != 4 or text[0] != "1" or any(c not in "YN-" for c in text[1:]):
        raise ConsentStringError(f"uspv1 section {text!r} is not a US Privacy string: version 1 then "
                                 "three of Y, N or - (notice, opt-out of sale, LSPA coverage)")
    return UspV1(1, text[1], text[2], text[3])
