"""The mapping file: rows become Segment events; a broken mapping names the key that is wrong."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from frontoffice.bulk.importer import derived_message_id
from frontoffice.bulk.mapping import ConversionError, MappingError, load_mapping, parse_mapping

ORDERS = """
type: identify
message_id: {column: receipt_id}
user_id: {column: customer_no}
anonymous_id: {column: device}
timestamp: {column: purchased_at, format: "%d.%m.%Y %H:%M"}
traits: {email: {column: mail}, first_name: {column: vorname}, country: "DE"}
properties: {amount: {column: total, type: float}, store: {column: store_id}}
context: {library: {name: "erp-export", version: "2"}}
"""

ROW = {"receipt_id": "R-1", "customer_no": "4711", "device": "", "purchased_at": "31.12.2024 23:30",
       "mail": "anna@example.de", "vorname": "Anna", "total": "12.50", "store_id": "17"}


def mapping(text: str) -> object:
    return parse_mapping(yaml.safe_load(text), origin="test.yaml")


def event_of(text: str, row: dict[str, object]) -> dict[str, object]:
    m = parse_mapping(yaml.safe_load(text), origin="test.yaml")
    return m.apply(row)


def test_a_row_becomes_one_segment_event_with_typed_values() -> None:
    assert event_of(ORDERS, ROW) == {
        "type": "identify",
        "messageId": "R-1",
        "userId": "4711",
        "timestamp": "2024-12-31T23:30:00.000Z",
        "traits": {"email": "anna@example.de", "first_name": "Anna", "country": "DE"},
        "properties": {"amount": 12.5, "store": "17"},
        "context": {"library": {"name": "erp-export", "version": "2"}},
    }


def test_empty_cells_are_missing_not_empty_strings() -> None:
    row = {**ROW, "mail": "", "vorname": "   ", "total": "", "store_id": None}
    event = event_of(ORDERS, row)
    assert "anonymousId" not in event
    assert event["traits"] == {"country": "DE"}
    assert "properties" not in event  # every value missing: no empty object either


def test_the_type_can_come_from_a_column() -> None:
    text = "type: {column: kind}\nevent: {column: action}\nuser_id: {column: u}\n"
    assert event_of(text, {"kind": "track", "action": "Signed Up", "u": "1"}) == {
        "type": "track", "event": "Signed Up", "userId": "1"}


def test_a_naive_local_time_is_read_in_the_mapping_time_zone() -> None:
    text = ("type: track\nevent: x\nuser_id: {column: u}\n"
            "timestamp: {column: t, format: '%d.%m.%Y %H:%M', timezone: Europe/Berlin}\n")
    assert event_of(text, {"u": "1", "t": "01.07.2024 12:00"})["timestamp"] == "2024-07-01T10:00:00.000Z"


def test_timestamps_default_to_iso_8601_and_keep_an_explicit_offset() -> None:
    text = "type: track\nevent: x\nuser_id: {column: u}\ntimestamp: {column: t}\n"
    assert event_of(text, {"u": "1", "t": "2024-07-01T12:00:00+02:00"})["timestamp"] == \
        "2024-07-01T10:00:00.000Z"
    assert event_of(text, {"u": "1", "t": "2024-07-01 12:00"})["timestamp"] == "2024-07-01T12:00:00.000Z"


@pytest.mark.parametrize(("spec", "cell", "expected"), [
    ("{column: c, type: int}", " 42 ", 42),
    ("{column: c, type: float}", "-1.5e3", -1500.0),
    ("{column: c, type: float, decimal: ','}", "12,50", 12.5),
    ("{column: c, type: bool}", "Yes", True),
    ("{column: c, type: bool}", "0", False),
    ("{column: c, type: date, format: '%d.%m.%Y'}", "01.02.1990", "1990-02-01"),
    ("{column: c, type: datetime, format: unix_ms}", "1700000000000", "2023-11-14T22:13:20.000Z"),
    ("{column: c, type: json}", '{"sku": "A1", "qty": 2}', {"sku": "A1", "qty": 2}),
    ("{column: c}", "  padded text  ", "  padded text  "),
])
def test_value_types_convert_cells(spec: str, cell: str, expected: object) -> None:
    text = f"type: track\nevent: x\nuser_id: u1\nproperties: {{p: {spec}}}\n"
    assert event_of(text, {"c": cell})["properties"] == {"p": expected}


@pytest.mark.parametrize(("spec", "cell", "reason"), [
    ("{column: c, type: int}", "1.5", "'1.5' is not a whole number"),
    ("{column: c, type: int}", "1_000", "'1_000' is not a whole number"),
    ("{column: c, type: float}", "12,50", "'12,50' is not a number"),
    ("{column: c, type: float}", "nan", "'nan' is not a number"),
    ("{column: c, type: bool}", "maybe", "'maybe' is not a boolean"),
    ("{column: c, format: '%d.%m.%Y'}", "2024-01-31", "does not match the format '%d.%m.%Y'"),
    ("{column: c, type: datetime}", "31.01.2024", "is not an ISO-8601 date-time"),
    ("{column: c, type: json}", "{broken", "is not valid JSON"),
])
def test_a_cell_that_does_not_convert_names_the_column_and_the_reason(
        spec: str, cell: str, reason: str) -> None:
    text = f"type: track\nevent: x\nuser_id: u1\nproperties: {{p: {spec}}}\n"
    with pytest.raises(ConversionError) as caught:
        event_of(text, {"c": cell})
    assert str(caught.value).startswith("column 'c' (properties.p): ")
    assert reason in str(caught.value)


def test_typed_values_from_parquet_or_json_are_converted_too() -> None:
    text = ("type: track\nevent: x\nuser_id: {column: id}\ntimestamp: {column: at}\n"
            "properties: {n: {column: n, type: int}, price: {column: price, type: float}, "
            "day: {column: day, type: date}, raw: {column: raw, type: json}}\n")
    row = {"id": 1234.0, "at": datetime(2024, 5, 1, 8, 0), "n": 7.0, "price": Decimal("9.90"),
           "day": date(2024, 5, 1), "raw": {"when": datetime(2024, 5, 1, tzinfo=UTC), "d": Decimal("2")}}
    assert event_of(text, row) == {
        "type": "track", "event": "x", "userId": "1234", "timestamp": "2024-05-01T08:00:00.000Z",
        "properties": {"n": 7, "price": 9.9, "day": "2024-05-01",
                       "raw": {"when": "2024-05-01T00:00:00.000Z", "d": 2}},
    }


def test_columns_lists_every_column_read_with_its_key() -> None:
    m = parse_mapping(yaml.safe_load(ORDERS))
    assert m.columns() == {
        "receipt_id": "message_id", "customer_no": "user_id", "device": "anonymous_id",
        "purchased_at": "timestamp", "mail": "traits.email", "vorname": "traits.first_name",
        "total": "properties.amount", "store_id": "properties.store"}


@pytest.mark.parametrize(("text", "message"), [
    ("type: track\nevent: x\nuser_idd: {column: u}\n",
     "user_idd: unknown key; did you mean 'user_id'?"),
    ("type: track\nevent: x\nuser_id: {column: u}\ntraits: {email: {colum: mail}}\n",
     "traits.email.colum: unknown key; did you mean 'column'?"),
    ("type: track\nevent: x\nuser_id: {column: u, typ: int}\n",
     "user_id.typ: unknown key; did you mean 'type'?"),
    ("type: track\nevent: x\nuser_id: u\nproperties: {a: {column: t, type: money}}\n",
     "properties.a.type: 'money' is not a type"),
    ("type: track\nevent: x\nuser_id: u\nproperties: {a: {column: t, type: int, format: '%Y'}}\n",
     "properties.a.format: only applies to type datetime or date"),
    ("type: track\nevent: x\nuser_id: u\ntimestamp: {column: t, format: '%d.%m.%Q'}\n",
     "timestamp.format: '%d.%m.%Q' has the unknown directive %Q"),
    ("type: track\nevent: x\nuser_id: u\ntimestamp: {column: t, timezone: Mars/Olympus}\n",
     "timestamp.timezone: 'Mars/Olympus' is not a time zone"),
    ("type: track\nevent: x\nuser_id: u\ntimestamp: {column: t, type: int}\n",
     "timestamp.type: timestamp is always read as datetime"),
    ("type: track\nuser_id: {column: u}\n", "event: is required when type is 'track'"),
    ("type: alias\nuser_id: {column: u}\n", "previous_id: is required when type is 'alias'"),
    ("type: identify\ntraits: {a: 1}\n", "user_id: a identify event needs user_id or anonymous_id"),
    ("type: purchase\nuser_id: u\n", "type: 'purchase' is not a Segment type"),
    ("event: x\nuser_id: u\n", "type: is required"),
    ("type: identify\nuser_id: u\ntraits: DE\n", "traits: must be a mapping of names to values"),
    ("type: identify\nuser_id: u\ntraits: {country: }\n", "traits.country: has no value"),
    ("- type: identify\n", "must be a YAML mapping of Segment fields"),
])
def test_a_broken_mapping_names_the_bad_key(text: str, message: str) -> None:
    with pytest.raises(MappingError) as caught:
        mapping(text)
    assert str(caught.value).startswith("Mapping test.yaml: ")
    assert message in str(caught.value)


def test_a_key_given_twice_in_the_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "twice.yaml"
    path.write_text("type: identify\nuser_id: {column: u}\ntraits: {a: 1}\ntraits: {b: 2}\n")
    with pytest.raises(MappingError, match=r"twice.yaml is not valid YAML: line 4, column 1: key "
                                           r"'traits' is given twice\."):
        load_mapping(path)


def test_a_mapping_that_is_not_yaml_says_where(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("type: identify\nuser_id: {column: u\n")
    with pytest.raises(MappingError, match=r"broken.yaml is not valid YAML: line 3, column 1: "
                                           r".*flow mapping at line 2, column 10\)\."):
        load_mapping(path)


def test_the_same_mapped_row_always_gets_the_same_message_id() -> None:
    event = {"type": "track", "event": "x", "userId": "1", "properties": {"a": 1, "b": 2}}
    reordered = {"properties": {"b": 2, "a": 1}, "userId": "1", "event": "x", "type": "track"}
    first = derived_message_id("source-a", event)
    assert first.startswith("imp-") and len(first) == 36
    assert derived_message_id("source-a", reordered) == first
    assert derived_message_id("source-b", event) != first
    assert derived_message_id("source-a", {**event, "userId": "2"}) != first
