"""JSON text in and out keeps every integer exact (orjson alone keeps 64 bits)."""

from __future__ import annotations

import orjson
import pytest

from frontoffice.domain import jsontext

EDGES = [2**53 + 1, 2**63 - 1, 2**64 - 1, 2**64, 2**70, -(2**63), -(2**63) - 1, -(2**70), 10**300]


@pytest.mark.parametrize("number", EDGES)
def test_an_integer_of_any_size_round_trips_exactly(number: int) -> None:
    text = f'{{"n": {number}, "list": [{number}, 1.5, "x"]}}'.encode()
    value = jsontext.loads(text)
    assert value == {"n": number, "list": [number, 1.5, "x"]} and type(value["n"]) is int
    assert jsontext.loads(jsontext.dumps(value)) == value
    assert jsontext.dumps(value, option=orjson.OPT_SORT_KEYS).startswith(b'{"list":')


def test_long_digit_runs_in_strings_and_floats_read_as_orjson_reads_them() -> None:
    text = b'{"phone": "00491234567890123456789", "f": 12345678901234567890.5, "e": 1e400}'
    with pytest.raises(orjson.JSONDecodeError):
        jsontext.loads(text)  # 1e400 is infinite: refused, as orjson refuses it
    text = text.replace(b', "e": 1e400', b"")
    assert jsontext.loads(text) == orjson.loads(text)


def test_a_deep_document_with_a_long_number_is_refused_as_json_not_a_crash() -> None:
    deep = b"[" * 1000 + b"12345678901234567890123" + b"]" * 1000
    with pytest.raises(orjson.JSONDecodeError, match="recursion"):
        jsontext.loads(deep)
