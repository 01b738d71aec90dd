"""Resolve any person-record CSV with a column mapping: for external benchmarks (FEBRL and alike).

Needs nothing of a frontoffice installation but this package: no workspace, no event log. The
model is trained on the file itself (without labels), the pairs are scored and clustered.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from frontoffice.errors import InvalidInput
from frontoffice.identity.model import PersonAttributes
from frontoffice.identity.normalise import Normalised, normalise_postcode, parse_birth_date
from frontoffice.identity.normalise import normalise_national_id as _national_id
from frontoffice.identity.probabilistic.clustering import DEFAULT_AUTO_WEIGHT, cluster
from frontoffice.identity.probabilistic.matcher import score, train

FIELDS = ("id", "given_name", "surname", "street", "city", "postcode", "state", "birth_date",
          "national_id", "country")
REQUIRED = ("id",)


@dataclass(frozen=True, slots=True)
class ColumnMapping:
    """Which CSV column holds each field; ``None`` for a field the file does not have."""

    id: str
    given_name: str | None = None
    surname: str | None = None
    street: str | None = None
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
        street=_value(row, m.street) or None,
        city=_value(row, m.city) or _value(row, m.state) or None,
        postcode=postcode.value if isinstance(postcode, Normalised) else None,
        country=country,
        national_id=_value(row, m.national_id) or None,
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


def resolve_csv(
    path: Path | str,
    mapping: ColumnMapping | Mapping[str, str],
    *,
    default_country: str | None = None,
    threshold: float = DEFAULT_AUTO_WEIGHT,
) -> dict[str, str]:
    """Record id (the ``id`` column) → cluster id, for every row of the file.

    Two records with different national ids are never merged (a single-valued identifier); the
    national id is otherwise not compared (that is the deterministic tier's job)."""
    records = read_csv(path, mapping, default_country)
    model = train(records)
    pairs = score(model, records, min_weight=threshold)
    national = {r: _national(a) for r, a in records}
    conflicting = {
        p.key for p in pairs
        if national[p.left_id] and national[p.right_id] and national[p.left_id] != national[p.right_id]
    }
    return cluster(pairs, threshold, conflicting, record_ids=[r for r, _ in records])


def _national(a: PersonAttributes) -> str | None:
    if not a.national_id:
        return None
    result = _national_id(a.national_id, a.country)
    return result.value if isinstance(result, Normalised) else a.national_id.replace(" ", "")


__all__ = ["ColumnMapping", "read_csv", "resolve_csv"]
