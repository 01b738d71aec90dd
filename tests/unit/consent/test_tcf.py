"""TCF v2.2: valid strings decode to what was encoded; cut-off, corrupted, wrong-version and
impossible strings are rejected with a reason, never read as consent."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frontoffice.consent import ConsentStringError, decode_tc_string
from frontoffice.consent.bits import ALPHABET, bits_to_b64url
from frontoffice.consent.tcf import PublisherTC, VendorSet
from frontoffice.consent.tcf_encode import encode_core_bits, encode_tc_string
from tests.unit.consent.vectors import tc, tc_strings


def test_a_valid_string_decodes_to_the_purposes_and_vendors_encoded() -> None:
    decoded = decode_tc_string(encode_tc_string(tc()))
    assert decoded.purposes_consent == {1, 2, 3, 4, 7, 8, 9, 10}
    assert decoded.vendor_consents.ids == {1, 2, 3, 50, 120}
    assert decoded.vendor_legitimate_interests.ids == {10, 11, 12, 60}
    assert decoded.publisher_restrictions[0].vendor_ids == {3, 4, 5, 90}
    assert (decoded.consent_language, decoded.publisher_cc, decoded.cmp_id) == ("EN", "DE", 300)


@pytest.mark.parametrize("encoding", ["bitfield", "range"])
def test_bitfield_and_range_vendor_encodings_decode_to_the_same_vendors(encoding: str) -> None:
    decoded = decode_tc_string(encode_tc_string(tc(), encoding))  # type: ignore[arg-type]
    assert decoded.vendor_consents.ids == {1, 2, 3, 50, 120}
    assert decoded.vendor_consents.range_encoded is (encoding == "range")


def test_optional_segments_are_recognised_by_segment_type() -> None:
    value = tc(disclosed_vendors=VendorSet(30, frozenset({1, 30}), False),
               publisher_tc=PublisherTC(frozenset({1, 7}), frozenset({2}), 2, frozenset({1}), frozenset({2})))
    decoded = decode_tc_string(encode_tc_string(value))
    assert decoded == value
    core, disclosed, publisher = encode_tc_string(value).split(".")
    assert decode_tc_string(f"{core}.{publisher}.{disclosed}") == value  # order of optional segments is free


@settings(max_examples=150, deadline=None)
@given(tc_strings(), st.sampled_from(["as_recorded", "bitfield", "range"]))
def test_every_encoded_string_round_trips(value: object, encoding: str) -> None:
    text = encode_tc_string(value, encoding)  # type: ignore[arg-type]
    decoded = decode_tc_string(text)
    assert decoded.vendor_consents.ids == value.vendor_consents.ids  # type: ignore[attr-defined]
    if encoding == "as_recorded":
        assert decoded == value


@settings(max_examples=40, deadline=None)
@given(tc_strings())
def test_every_prefix_shorter_than_the_core_is_rejected(value: object) -> None:
    core_bits = len(encode_core_bits(value))  # type: ignore[arg-type]
    text = encode_tc_string(value).split(".")[0]  # type: ignore[arg-type]
    for cut in range(len(text)):
        if cut * 6 >= core_bits:
            break
        with pytest.raises(ConsentStringError) as err:
            decode_tc_string(text[:cut])
        assert "truncated" in err.value.reason or "empty" in err.value.reason


def test_a_cut_off_optional_segment_is_rejected() -> None:
    text = encode_tc_string(tc(disclosed_vendors=VendorSet(300, frozenset(range(1, 300, 2)), False)))
    core, seg = text.split(".")
    for cut in range(1, len(seg) - 2):
        with pytest.raises(ConsentStringError, match="truncated"):
            decode_tc_string(f"{core}.{seg[:cut]}")


def test_the_cut_off_string_that_pypi_decoders_read_as_all_consented_is_rejected() -> None:
    nothing = tc(purposes_consent=frozenset(), vendor_consents=VendorSet(2000, frozenset(), False))
    text = encode_tc_string(nothing)
    with pytest.raises(ConsentStringError, match=r"field PurposesConsent needs"):
        decode_tc_string(text[:26])  # ends inside PurposesConsent
    with pytest.raises(ConsentStringError, match=r"field VendorConsents\.BitField needs"):
        decode_tc_string(text[:60])  # ends inside the vendor bitfield


@pytest.mark.parametrize("bad", ["+", "/", "=", " ", "é", "\n", "%"])
def test_characters_outside_base64url_are_rejected_with_their_position(bad: str) -> None:
    text = encode_tc_string(tc())
    corrupted = text[:10] + bad + text[11:]
    with pytest.raises(ConsentStringError, match=r"position 10 is not base64url"):
        decode_tc_string(corrupted)


def test_padding_and_trailing_garbage_are_rejected() -> None:
    text = encode_tc_string(tc())
    with pytest.raises(ConsentStringError):
        decode_tc_string(text + "==")
    with pytest.raises(ConsentStringError, match="after its last field"):
        decode_tc_string(text + "AAAA")
    with pytest.raises(ConsentStringError, match="non-zero bits"):
        decode_tc_string(text[:-1] + "_")


@pytest.mark.parametrize("version", [0, 1, 3, 63])
def test_versions_other_than_2_are_rejected(version: int) -> None:
    with pytest.raises(ConsentStringError, match=f"unsupported TCF version {version}"):
        decode_tc_string(encode_tc_string(tc(version=version)))


def test_a_tcf_v1_consent_string_is_rejected() -> None:
    with pytest.raises(ConsentStringError, match="unsupported TCF version 1"):
        decode_tc_string("BOEFEAyOEFEAyAHABDENAI4AAAB9vABAASA")


@pytest.mark.parametrize(("overrides", "reason"), [
    ({"tcf_policy_version": 2}, "predates TCF v2.2"),
    ({"cmp_id": 0}, "CmpId 0"),
    ({"vendor_list_version": 0}, "VendorListVersion 0"),
    ({"purposes_li_transparency": frozenset({3})}, "legitimate interest signalled for purposes"),
    ({"vendor_consents": VendorSet(10, frozenset({3, 11}), True)}, "outside 1..10"),
])
def test_impossible_field_values_are_rejected(overrides: dict[str, object], reason: str) -> None:
    with pytest.raises(ConsentStringError, match=reason):
        decode_tc_string(encode_tc_string(tc(**overrides)))


def test_overlapping_ranges_that_would_expand_without_bound_are_rejected() -> None:
    bits = encode_core_bits(tc(publisher_restrictions=()))[:-12]  # drop NumPubRestrictions = 0
    entry = "1" + format(1, "016b") + format(65535, "016b")
    restriction = format(2, "06b") + "01" + format(3, "012b") + entry * 3
    with pytest.raises(ConsentStringError, match="ranges overlap"):
        decode_tc_string(bits_to_b64url(bits + format(1, "012b") + restriction))


def test_last_updated_before_created_is_rejected() -> None:
    value = tc()
    bad = replace(value, last_updated=value.created.replace(year=2025))
    with pytest.raises(ConsentStringError, match="LastUpdated must not precede"):
        decode_tc_string(encode_tc_string(bad))


def _patched(bits: str, start: int, field: str) -> str:
    return bits_to_b64url(bits[:start] + field + bits[start + len(field):])


def test_letters_beyond_z_are_rejected() -> None:
    bits = encode_core_bits(tc())
    with pytest.raises(ConsentStringError, match="ConsentLanguage letter value 63"):
        decode_tc_string(_patched(bits, 108, "111111"))


def test_an_undefined_restriction_type_is_rejected() -> None:
    bits = encode_core_bits(tc())
    restriction_type_at = len(bits) - (2 + 12 + 33 + 17)  # vendors 3-5 (a range) and 90
    with pytest.raises(ConsentStringError, match="type 3 is undefined"):
        decode_tc_string(_patched(bits, restriction_type_at, "11"))


def test_removed_unknown_and_repeated_segments_are_rejected() -> None:
    core = encode_tc_string(tc())
    allowed_vendors = bits_to_b64url("010" + "0" * 17)
    with pytest.raises(ConsentStringError, match="Allowed Vendors segment was removed"):
        decode_tc_string(f"{core}.{allowed_vendors}")
    with pytest.raises(ConsentStringError, match="segment type 5 is not defined"):
        decode_tc_string(f"{core}.{bits_to_b64url('101' + '0' * 17)}")
    disclosed = encode_tc_string(tc(disclosed_vendors=VendorSet(1, frozenset({1}), False))).split(".")[1]
    with pytest.raises(ConsentStringError, match="appears twice"):
        decode_tc_string(f"{core}.{disclosed}.{disclosed}")
    with pytest.raises(ConsentStringError, match="empty"):
        decode_tc_string(f"{core}.")


def test_non_text_input_is_rejected() -> None:
    with pytest.raises(ConsentStringError):
        decode_tc_string(None)  # type: ignore[arg-type]


@pytest.mark.parametrize("max_vendor_id", range(120, 144))  # 24 lengths: every remainder modulo 24
def test_zero_padding_is_accepted_only_up_to_a_byte_and_sextet_or_a_24_bit_group(max_vendor_id: int) -> None:
    value = tc(vendor_consents=VendorSet(max_vendor_id, frozenset({1, 2, max_vendor_id}), False))
    bits = encode_core_bits(value)
    to_byte = len(bits) + -len(bits) % 8
    conforming = {to_byte + -to_byte % 6, len(bits) + -len(bits) % 24}  # base64url of bytes; IAB's JS
    for length in range(len(bits) + -len(bits) % 6, max(conforming) + 13, 6):
        text = "".join(ALPHABET[int((bits + "0" * (length - len(bits)))[i:i + 6], 2)]
                       for i in range(0, length, 6))
        if length in conforming:
            assert decode_tc_string(text) == value
        else:
            with pytest.raises(ConsentStringError, match="padding ends at bit"):
                decode_tc_string(text)
