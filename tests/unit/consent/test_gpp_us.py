"""GPP US state sections and uspv1: decoded strictly, refused with their reason, and enforced."""

from __future__ import annotations

import pytest

from frontoffice.consent import ConsentStringError, Proof, check, from_gpp, pack_for, state_of
from frontoffice.consent.bits import b64url_to_bits, bits_to_b64url
from frontoffice.consent.gpp import decode_gpp_string
from frontoffice.consent.gpp_encode import encode_gpp_string, encode_us_section, encode_usnat
from frontoffice.consent.gpp_us import LAYOUTS, SENSITIVE_SEGMENT, Field, UsSection
from tests.unit.consent.support import NOW, SALT
from tests.unit.consent.vectors import usnat

PROOF = Proof.of("p1", "web-banner", NOW, SALT)
CA = 8


def _values(fields: tuple[Field, ...], pick: int) -> dict[str, int | tuple[int, ...]]:
    out: dict[str, int | tuple[int, ...]] = {}
    for f in fields:
        name, count = (f, 0) if isinstance(f, str) else f
        value = 1 + pick % 2 if name == "mspa_covered_transaction" else pick % 3
        out[name] = (value,) * count if count else value
    return out


def section(sid: int, pick: int = 2, gpc: bool | None = None, **fields: int | tuple[int, ...]) -> UsSection:
    layout = LAYOUTS[sid]
    values = _values(layout.core + (SENSITIVE_SEGMENT if layout.second == "sensitive" else ()), pick)
    return UsSection(layout.name, sid, layout.version, {**values, **fields},
                     gpc if layout.second == "gpc" else None)


@pytest.mark.parametrize("sid", sorted(LAYOUTS))
@pytest.mark.parametrize("pick", [0, 1, 2])
def test_every_us_state_section_round_trips(sid: int, pick: int) -> None:
    value = section(sid, pick, gpc=pick == 1)
    gpp = decode_gpp_string(encode_gpp_string({sid: encode_us_section(value)}))
    assert gpp.us_states == (value,)


def test_a_california_sale_opt_out_in_usca_makes_the_sale_or_sharing_check_refuse() -> None:
    text = encode_gpp_string({CA: encode_us_section(section(CA, sale_opt_out=1))})
    changes = from_gpp(text, pack_for("US-CA"), PROOF)
    assert {(c.purpose, c.status, c.method) for c in changes} >= {("sale_or_sharing", "denied", "gpp")}
    d = check(state_of("p1", changes), pack_for("US-CA"), "sale_or_sharing", "export", NOW)
    assert not d.allowed and "sale_or_sharing" in d.reason


def test_a_california_sharing_opt_out_alone_refuses_sale_or_sharing() -> None:
    text = encode_gpp_string({CA: encode_us_section(section(CA, sharing_opt_out=1))})
    changes = from_gpp(text, pack_for("US-CA"), PROOF)
    assert ("sale_or_sharing", "denied") in {(c.purpose, c.status) for c in changes}


@pytest.mark.parametrize(("usp", "status"), [("1YYN", "denied"), ("1NNN", "granted"), ("1---", None)])
def test_a_uspv1_opt_out_of_sale_is_a_sale_or_sharing_refusal(usp: str, status: str | None) -> None:
    changes = from_gpp(encode_gpp_string({6: usp}), pack_for("US-CA"), PROOF)
    assert {c.purpose: c.status for c in changes}.get("sale_or_sharing") == status


def test_one_section_opting_out_outweighs_another_that_did_not() -> None:
    text = encode_gpp_string({7: encode_usnat(usnat(sale_opt_out=2, sharing_opt_out=2)),
                              CA: encode_us_section(section(CA, sale_opt_out=1)), 6: "1NNN"})
    changes = from_gpp(text, pack_for("US-CA"), PROOF)
    assert {c.purpose: c.status for c in changes}["sale_or_sharing"] == "denied"


def test_a_state_section_gpc_sub_section_counts_as_a_gpc_signal() -> None:
    text = encode_gpp_string({10: encode_us_section(section(10, gpc=True))})
    assert "gpc" in {c.method for c in from_gpp(text, pack_for("US-CA"), PROOF)}


def _bits_with(sid: int, field_index: int, value: int) -> str:
    """A valid section whose `field_index`-th 2-bit field (after the version) holds `value` instead."""
    bits = b64url_to_bits(encode_us_section(section(sid)), "section")
    at = 6 + 2 * field_index
    return bits_to_b64url(bits[:at] + format(value, "02b") + bits[at + 2:])


@pytest.mark.parametrize(("sid", "body", "reason"), [
    (CA, _bits_with(CA, 0, 3), "usca core segment: sale_opt_out_notice value 3 is undefined"),
    (CA, encode_us_section(section(CA, mspa_covered_transaction=0)), "mspa_covered_transaction value 0"),
    (9, encode_us_section(section(9)) + ".QA", "usva carries 1 sub-segments; it may carry 0"),
    (CA, encode_us_section(section(CA)) + ".gA", "sub-section type 2 is not GPC"),
    (CA, encode_us_section(section(CA))[:-2], "usca core segment is truncated"),
    (CA, encode_us_section(section(CA)) + "AAAA", "bits after its last field"),
    (6, "2YNN", "uspv1 section '2YNN' is not a US Privacy string"),
    (6, "1YNX", "is not a US Privacy string"),
    (6, "1YN", "is not a US Privacy string"),
    (5, "BAAAAAAA", "tcfcav1, TCF Canada\\) is not supported"),
    (30, "BAAAAAAA", "GPP section id 30 is not one the GPP specification assigns"),
])
def test_an_undecodable_section_is_refused_with_its_reason(sid: int, body: str, reason: str) -> None:
    with pytest.raises(ConsentStringError, match=reason):
        decode_gpp_string(encode_gpp_string({sid: body}))


def test_a_state_section_of_another_version_is_refused() -> None:
    value = section(CA)
    body = encode_us_section(UsSection(value.name, CA, 2, value.fields))
    with pytest.raises(ConsentStringError, match="unsupported usca version 2; expected 1"):
        decode_gpp_string(encode_gpp_string({CA: body}))
