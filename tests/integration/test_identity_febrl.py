"""The FEBRL bench runs small, and the documented ``resolve_csv`` is the product's own path: it
gives the same people as ``frontoffice import`` -> ``resolve`` -> ``people export`` run as
commands."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench import identity_febrl as febrl  # noqa: E402

from frontoffice.bulk.identity_csv import resolve_csv  # noqa: E402


def _people(mapping: dict[str, str]) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for record, person in mapping.items():
        groups.setdefault(person, set()).add(record)
    return {frozenset(g) for g in groups.values()}


def test_resolve_csv_gives_the_same_people_as_the_commands_a_user_runs(tmp_path: Path) -> None:
    rows = febrl.load("FEBRL3", 60)
    data, mapping = febrl.write(rows, tmp_path, national_id=True)
    by_commands = febrl.product(data, mapping, tmp_path)
    in_process = resolve_csv(data, febrl.CSV_MAPPING, default_country="AU")
    assert len(by_commands) == len(rows)
    assert _people(by_commands) == _people(in_process)
    assert any(len(group) > 1 for group in _people(in_process))


def test_the_small_febrl_bench_scores_the_product_beside_splink_and_measures_blocking() -> None:
    row = febrl.run("FEBRL4", False, 40)
    assert row.blocking.true_pairs == 40 and row.blocking.pairs >= row.blocking.found
    assert row.product.precision == 1.0 and row.product.recall > 0.8
    assert row.splink.f1 > 0.8
    assert "| FEBRL4 | without |" in febrl.table([row])
