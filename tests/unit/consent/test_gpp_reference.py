"""Differential test: GPP strings made by IAB's reference library (@iabgpp/cmpapi) carrying uspv1,
usnat and every US state section decode in ours exactly as the reference decodes them, and no cut
of them decodes as anything else. The strings come from `tests/node/gpp_reference.mjs`."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import pytest

from frontoffice.consent.errors import ConsentStringError
from frontoffice.consent.gpp import GPPString, decode_gpp_string
from frontoffice.consent.gpp_us import LAYOUTS
from tests.unit.consent.reference import reference_lines

COUNT, SEED = 1000, 20261206
OPTIONAL = ("GpcSegmentType", "Gpc", "SensitiveDataProcessing")  # fields of optional sub-segments


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


def as_reference(gpp: GPPString) -> dict[str, Any]:
    """Our decode in the shape the reference's `toObject()` has, less the optional sub-segments'
    fields when the string does not carry them (the reference then shows their defaults)."""
    out: dict[str, Any] = {}
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
    """The reference decode, keeping an optional sub-segment's fields only where `text` carries it."""
    bodies = dict(zip(decoded, text.split("~")[1:], strict=True))  # toObject() lists sections in id order
    return {name: {k: v for k, v in fields.items() if k not in OPTIONAL or "." in bodies[name]
                   or (k == "SensitiveDataProcessing" and name not in ("usin", "usky", "usri"))}
            for name, fields in decoded.items()}


def test_reference_strings_carry_every_us_section_the_reference_supports(
        reference: list[dict[str, Any]]) -> None:
    seen = {name for r in reference for name in r["decoded"]}
    assert seen == {"uspv1", "usnat", *(layout.name for layout in LAYOUTS.values())}
    assert sum("." in r["gpp"] for r in reference) > COUNT / 2


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


def test_every_cut_of_a_reference_string_is_refused_unless_it_drops_only_an_optional_sub_segment(
        reference: list[dict[str, Any]]) -> None:
    wrong = []
    for r in reference:
        text = r["gpp"]
        for cut in range(len(text)):
            try:
                ours = as_reference(decode_gpp_string(text[:cut]))
            except ConsentStringError:
                continue
            if not text[cut:].startswith(".") or "~" in text[cut:]:
                wrong.append(f"{text}[:{cut}]")
                continue
            *_, last = r["decoded"]
            expected = _carried(text[:cut], r["decoded"])
            if ours != expected or last not in expected:
                wrong.append(f"{text}[:{cut}]: {ours} != {expected}")
    assert not wrong, f"{len(wrong)} cuts decoded instead of being refused, e.g. {wrong[:3]}"
