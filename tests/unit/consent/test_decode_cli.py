"""`frontoffice consent decode STRING`: a TC or GPP string decoded field by field, or why it is refused."""

from __future__ import annotations

import orjson
from click.testing import CliRunner, Result

from frontoffice.cli.main import cli
from frontoffice.consent.gpp_encode import encode_gpp_string, encode_us_section, encode_usnat
from frontoffice.consent.tcf import PublisherRestriction
from frontoffice.consent.tcf_encode import encode_tc_string
from tests.unit.consent.test_gpp_us import CA, section
from tests.unit.consent.vectors import tc, usnat

TC = encode_tc_string(tc(purposes_consent=frozenset({1, 2, 3, 7}),
                         publisher_restrictions=(PublisherRestriction(2, 1, frozenset({5, 6, 7})),)))
GPP = encode_gpp_string({2: TC, 6: "1YYN", 7: encode_usnat(usnat(gpc=True)),
                         CA: encode_us_section(section(CA, sale_opt_out=1))})


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, ["consent", "decode", *args])


def test_decode_prints_every_section_of_a_gpp_string_as_json() -> None:
    result = run(GPP, "--json")
    assert result.exit_code == 0, result.output
    data = orjson.loads(result.stdout)
    assert data["kind"] == "gpp" and data["section_ids"] == [2, 6, 7, CA]
    sections = data["sections"]
    assert list(sections) == ["tcfeuv2", "uspv1", "usnat", "usca"]
    assert sections["usca"]["sale_opt_out"] == 1 and sections["usca"]["sensitive_data_processing"] == [2] * 9
    assert sections["uspv1"]["text"] == "1YYN" and sections["usnat"]["gpc"] is True
    assert sections["tcfeuv2"]["purposes_consent"] == [1, 2, 3, 7]
    assert sections["tcfeuv2"]["publisher_restrictions"] == [
        {"purpose_id": 2, "restriction_type": 1, "vendor_ids": [5, 6, 7], "restriction": "require_consent"}]


def test_decode_prints_a_tc_string_as_a_table_with_id_ranges_by_default() -> None:
    result = run(TC)
    assert result.exit_code == 0, result.output
    assert "purposes_consent" in result.stdout and "1-3, 7" in result.stdout
    assert "require_consent" in result.stdout and "5-7" in result.stdout


def test_a_refused_string_prints_the_precise_reason_and_exits_non_zero() -> None:
    result = run(TC[:40])
    assert result.exit_code == 1
    assert "refused: TC string core segment is truncated: field" in result.stderr
    assert result.stdout == ""


def test_a_refused_string_with_json_prints_the_reason_and_the_bit_as_json() -> None:
    result = run(TC + "AAAA", "--json")
    assert result.exit_code == 1
    data = orjson.loads(result.stdout)
    assert data["refused"] is True and data["code"] == "consent_string_rejected"
    assert "bits after its last field" in data["reason"] and isinstance(data["bit"], int)


def test_a_gpp_section_frontoffice_cannot_decode_is_refused_not_skipped() -> None:
    result = run(encode_gpp_string({CA: encode_us_section(section(CA)) + ".gA"}))
    assert result.exit_code == 1 and "sub-section type 2 is not GPC" in result.stderr


def test_kind_forces_the_reading() -> None:
    result = run(TC, "--kind", "gpp")
    assert result.exit_code == 1 and "GPP header type" in result.stderr


def test_decode_has_help() -> None:
    result = run("--help")
    assert result.exit_code == 0
    assert "Decode a TCF v2.2 TC string or a GPP string" in result.stdout and "--json" in result.stdout
