"""Read any person-record CSV with a column mapping into person records (external benchmarks).

:func:`frontoffice.bulk.identity_csv.resolve_csv` resolves such a file through the product's
own path; :func:`read_csv` gives the records as the model sees them (e.g. to measure blocking).
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from frontoffice.errors import InvalidInput
from frontoffice.identity.model import PersonAttributes, street_line
from frontoffice.normalise import Normalised, normalise_postcode, parse_birth_date
from frontoffice.normalise import normalise_national_id as _national_id

FIELDS = ("id", "given_name", "surname", "street_number", "street", "street_line2", "city", "postcode",
          "state", "birth_date", "national_id", "country")
REQUIRED = ("id",)


@dataclass(frozen=True, slots=True)
class ColumnMapping:
    """Which CSV column holds each field; ``None`` for a field the file does not have."""

    id: str
    given_name: str | None = None
    surname: str | None = None
    street_number: str | None = None
    street: str | None = None
    street_line2: str | None = None
    city: str | None = None
    postcode: str | None = None
    state: str | None = None
    birth_date: str | None = None
    national_id: str | None = None
    country: str | None = None

    @classmethod
    def of(cls, mapping: Mapping[str, str]) -> ColumnMapping:
        unknown = sorted(set(mapping) - set(FIELDS))
        if unknown:
            raise InvalidInput(
                f"unknown field(s) {', '.join(unknown)} in the column mapping; use {', '.join(FIELDS)}"
            )
        if "id" not in mapping:
            raise InvalidInput("the column mapping needs 'id': the column that identifies each row")
        return cls(**dict(mapping))


def _value(row: Mapping[str, str | None], column: str | None) -> str:
    return (row.get(column) or "").strip() if column else ""


def _attributes(
    row: Mapping[str, str | None], m: ColumnMapping, default_country: str | None
) -> PersonAttributes:
    country = _value(row, m.country).upper() or default_country
    birth = parse_birth_date(_value(row, m.birth_date), country) if m.birth_date else None
    postcode = normalise_postcode(_value(row, m.postcode), country) if _value(row, m.postcode) else None
    return PersonAttributes(
        given_name=_value(row, m.given_name) or None,
        family_name=_value(row, m.surname) or None,
        birth_date=birth.value if isinstance(birth, Normalised) else None,
        street=street_line(_value(row, m.street_number), _value(row, m.street),
                           _value(row, m.street_line2)),
        city=_value(row, m.city) or _value(row, m.state) or None,
        postcode=postcode.value if isinstance(postcode, Normalised) else None,
        country=country,
        national_id=_national(_value(row, m.national_id), country),
    )


def read_csv(path: Path | str, mapping: ColumnMapping | Mapping[str, str],
             default_country: str | None = None) -> list[tuple[str, PersonAttributes]]:
    """The person records of a CSV file (UTF-8, header row), by the column mapping."""
    m = mapping if isinstance(mapping, ColumnMapping) else ColumnMapping.of(mapping)
    with Path(path).open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh, skipinitialspace=True)
        header = set(reader.fieldnames or ())
        missing = [c for c in (getattr(m, f) for f in FIELDS) if c and c not in header]
        if missing:
            raise InvalidInput(
                f"{path} has no column(s) {', '.join(missing)}; it has {', '.join(sorted(header))}"
            )
        return [(_value(row, m.id), _attributes(row, m, default_country)) for row in reader]


def _national(raw: str, country: str | None) -> str | None:
    """The national id as the product stores it (``AU:id:5304218``); None when invalid."""
    result = _national_id(raw, country) if raw else None
    return result.value if isinstance(result, Normalised) else None


__all__ = ["ColumnMapping", "read_csv"]
