"""GPP: header with Fibonacci-coded section ids, TCF EU section via the TCF decoder, usnat with
its GPC sub-section; cut-off, corrupted and wrong-version strings are rejected."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frontoffice.consent import ConsentStringError, decode_gpp_string
from frontoffice.consent.bits import BitReader, BitWriter, b64url_to_bits, bits_to_b64url
from frontoffice.consent.gpp import read_fibonacci_ranges
from frontoffice.consent.gpp_encode import encode_gpp_header, encode_gpp_string, encode_usnat
from frontoffice.consent.tcf_encode import encode_tc_string
from tests.unit.consent.vectors import tc, usnat, usnats


@pytest.mark.parametrize(("header", "ids"), [("DBABMA", (2,)), ("DBABLA", (7,)), ("DBACNY", (2, 6))])
def test_published_header_examples_decode_to_their_section_ids(header: str, ids: tuple[int, ...]) -> None:
    r = BitReader(b64url_to_bits(header, "h"), "h")
    assert (r.uint(6, "Type"), r.uint(6, "Version")) == (3, 1)
    assert read_fibonacci_ranges(r, "SectionIds") == ids


def test_the_published_usnat_example_decodes() -> None:
    gpp = decode_gpp_string("DBABLA~BVQqAAAAAgA.QA")
    assert gpp.section_ids == (7,)
    assert gpp.usnat is not None
    assert (gpp.usnat.sale_opt_out, gpp.usnat.mspa_covered_transaction, gpp.usnat.gpc) == (2, 2, False)


@settings(max_examples=100, deadline=None)
@given(st.frozensets(st.integers(1, 40), min_size=1, max_size=12))
def test_section_ids_round_trip_through_fibonacci_ranges(ids: frozenset[int]) -> None:
    header = encode_gpp_header(ids)
    r = BitReader(b64url_to_bits(header, "h"), "h")
    r.uint(12, "TypeVersion")
    assert read_fibonacci_ranges(r, "SectionIds") == tuple(sorted(ids))


@settings(max_examples=100, deadline=None)
@given(usnats())
def test_usnat_sections_round_trip(value: object) -> None:
    text = encode_gpp_string({7: encode_usnat(value)})  # type: ignore[arg-type]
    assert decode_gpp_string(text).usnat == value


def test_a_tcf_eu_section_goes_through_the_strict_tcf_decoder() -> None:
    tc_text = encode_tc_string(tc())
    gpp = decode_gpp_string(encode_gpp_string({2: tc_text, 6: "1YNN", 7: encode_usnat(usnat(gpc=True))}))
    assert gpp.tcf_eu == tc()
    assert gpp.usnat is not None and gpp.usnat.gpc is True
    assert gpp.uspv1 is not None and gpp.uspv1.text() == "1YNN"
    with pytest.raises(ConsentStringError, match="TC string core segment is truncated"):
        decode_gpp_string(encode_gpp_string({2: tc_text[:30]}))


@settings(max_examples=30, deadline=None)
@given(usnats())
def test_every_cut_off_usnat_core_is_rejected(value: object) -> None:
    core = encode_usnat(value).split(".")[0]  # type: ignore[arg-type]
    header = encode_gpp_header([7])
    for cut in range(len(core)):
        if cut * 6 >= (60 if value.version == 1 else 70):  # type: ignore[attr-defined]
            break
        with pytest.raises(ConsentStringError):
            decode_gpp_string(f"{header}~{core[:cut]}")


def test_every_cut_off_header_is_rejected() -> None:
    text = encode_gpp_string({2: encode_tc_string(tc()), 7: encode_usnat(usnat())})
    header = text.split("~")[0]
    for cut in range(len(header) - 1):
        with pytest.raises(ConsentStringError):
            decode_gpp_string(header[:cut] + text[len(header):])


@pytest.mark.parametrize(("text", "reason"), [
    (bits_to_b64url("000100" + "000001" + "000000000001" + "0011"), "type 4 is not 3"),
    (bits_to_b64url("000011" + "000010" + "000000000001" + "0011"), "unsupported GPP version 2"),
    ("DBABMA", "lists 1 sections but the string carries 0"),
    ("DBABMA~a~b", "lists 1 sections but the string carries 2"),
    (bits_to_b64url("000011" + "000001" + "000000000000"), "lists no sections"),
    ("DBA+MA~x", "not base64url"),
])
def test_malformed_gpp_strings_are_rejected(text: str, reason: str) -> None:
    with pytest.raises(ConsentStringError, match=reason):
        decode_gpp_string(text)


def test_implausible_section_ids_are_rejected_before_expanding_a_range() -> None:
    w = BitWriter()
    w.uint(3, 6)
    w.uint(1, 6)
    w.uint(1, 12)
    w.flag(True)
    w.fibonacci(2)
    w.fibonacci(10**9)
    with pytest.raises(ConsentStringError, match="section id 1000000002 is not plausible"):
        decode_gpp_string(w.b64() + "~a")


def test_undefined_usnat_values_and_versions_are_rejected() -> None:
    header = encode_gpp_header([7])
    bits = b64url_to_bits(encode_usnat(usnat()).split(".")[0], "u")
    three = bits[:6] + "11" + bits[8:]  # SharingNotice = 3
    with pytest.raises(ConsentStringError, match="sharing_notice value 3 is undefined"):
        decode_gpp_string(f"{header}~{bits_to_b64url(three)}")
    mspa_at = 6 + 2 * 9 + 2 * 12 + 2 * 2 + 2
    zero = bits[:mspa_at] + "00" + bits[mspa_at + 2:]
    with pytest.raises(ConsentStringError, match="MspaCoveredTransaction value 0 is undefined"):
        decode_gpp_string(f"{header}~{bits_to_b64url(zero)}")
    v3 = "000011" + bits[6:]
    with pytest.raises(ConsentStringError, match="unsupported usnat version 3"):
        decode_gpp_string(f"{header}~{bits_to_b64url(v3)}")
    with pytest.raises(ConsentStringError, match="type 2 is undefined"):
        decode_gpp_string(f"{header}~{encode_usnat(usnat())}.{bits_to_b64url('10' + '1')}")
