"""The one module that touches Splink and DuckDB, both imported on first use (they are heavy and
the rest of frontoffice never needs them).

Everything crosses this boundary as plain data: a settings dict in, column dicts out. Each call
opens its own in-memory DuckDB connection and closes it, so nothing is shared between calls.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from frontoffice.identity.probabilistic.block_keys import keyed_all, of_source
from frontoffice.identity.probabilistic.blocking import (
    PRIOR_MATCH_PROBABILITY,
    PRIOR_RECALL,
    PRIOR_RULES,
    BlockingRule,
)
from frontoffice.identity.probabilistic.columns import BOOL_COLUMNS, COLUMNS, LIST_COLUMNS

Columns = dict[str, list[Any]]
"""A table as column name → values."""

_SPLINK_LOGGERS = ("splink",)
M_FLOOR = 1e-4
"""The least m an EM session may give a level: one match in 10,000. A level that no match of the
training block shows (a different postcode, when every match the block finds lives at one address)
is rare among matches, not impossible; with this floor it weighs strongly against a match (about
-13 for a level most random pairs reach) instead of vetoing it."""
_EM_LOCK = threading.Lock()
_PAIR_COLUMNS = ("unique_id_l", "unique_id_r", "match_weight", "match_probability")


def _arrow(table: Columns) -> Any:
    import pyarrow as pa

    fields = [pa.field(n, pa.list_(pa.string()) if n in LIST_COLUMNS else pa.bool_() if n in BOOL_COLUMNS
                       else pa.string()) for n in COLUMNS]
    return pa.Table.from_pydict({n: table[n] for n in COLUMNS}, schema=pa.schema(fields))


def _with_block_keys(con: Any, tables: Sequence[Columns], names: Sequence[str]) -> None:
    """``tables`` as DuckDB tables ``names`` with their ``block_keys`` (:func:`.block_keys.keyed_all`,
    counted across all of them)."""
    for name, table in zip(names, tables, strict=True):
        con.register(f"{name}_input", _arrow(table))
    con.execute(f"CREATE TEMP TABLE keyed_all_ AS {keyed_all([f'{n}_input' for n in names])}")
    for i, name in enumerate(names):  # the keys made once for every table
        con.execute(f"CREATE TABLE {name} AS {of_source('keyed_all_', i)}")
    con.execute("DROP TABLE keyed_all_")


@contextmanager
def _quiet() -> Iterator[None]:
    """Splink logs its progress at INFO; keep it to warnings while we run it."""
    saved = [(name, logging.getLogger(name).level) for name in _SPLINK_LOGGERS]
    for name, _ in saved:
        logging.getLogger(name).setLevel(logging.ERROR)
    try:
        yield
    finally:
        for name, level in saved:
            logging.getLogger(name).setLevel(level)


@contextmanager
def _m_floor() -> Iterator[None]:
    """EM drives the m of a level the matches never show toward 0, and Splink 5 refuses the 0 it
    reaches (every m must be at least 1e-300; Splink 4 clamped instead): the level's m shrinks each
    iteration until it underflows, and training fails with a ValueError. While our sessions run,
    Splink's maximisation step sees each m floored at :data:`M_FLOOR`. Splink is pinned; this
    fails at once, rather than silently, if the step it wraps is renamed."""
    from splink.internals import expectation_maximisation as em

    original = em.populate_m_u_from_lookup

    def floored(training_fixed_probabilities: set[str], comparison_level: Any, output_column_name: str,
                m_u_records_lookup: dict[str, dict[int, Any]]) -> None:
        for found in m_u_records_lookup.get(output_column_name, {}).values():
            m = found.get("m_probability")
            if isinstance(m, float | int) and m < M_FLOOR:
                found["m_probability"] = M_FLOOR
        original(training_fixed_probabilities, comparison_level, output_column_name, m_u_records_lookup)

    with _EM_LOCK:  # one module attribute: sessions of two threads take turns
        em.populate_m_u_from_lookup = floored
        try:
            yield
        finally:
            em.populate_m_u_from_lookup = original


@contextmanager
def _database(threads: int | None) -> Iterator[Any]:
    import duckdb
    from splink import DuckDBAPI

    con = duckdb.connect(":memory:")
    if threads:
        con.execute(f"SET threads TO {int(threads)}")
    try:
        yield DuckDBAPI(connection=con)
    finally:
        con.close()


_EQUAL = re.compile(r"l\.(\w+) = r\.\1")


def pairless_rule(table: Columns, rules: Sequence[str]) -> str | None:
    """The first training rule (of the ``l.x = r.x AND …`` form) no two records agree on, which
    EM cannot train on: found by one pass over the records instead of Splink's u sampling and
    EM set-up (about 2 s of CPU even for a dozen records). Nulls agree with nothing, as in SQL."""
    for rule in rules:
        found = [_EQUAL.fullmatch(part.strip()) for part in rule.split(" AND ")]
        if not all(found) or any(m.group(1) in LIST_COLUMNS for m in found if m):
            continue  # another form: Splink says
        seen: set[tuple[Any, ...]] = set()
        for values in zip(*(table[m.group(1)] for m in found if m), strict=True):
            if None in values:
                continue
            if values in seen:
                break
            seen.add(values)
        else:
            return rule
    return None


def train(
    table: Columns,
    settings: dict[str, Any],
    training_rules: Sequence[str],
    *,
    u_max_pairs: float,
    em_max_pairs: float,
    seed: int,
    threads: int | None = None,
) -> dict[str, Any]:
    """Unsupervised training: u by random sampling, m by one EM session per training rule.
    Returns the settings with the trained m and u."""
    from splink import Linker
    from splink.internals.exceptions import SplinkException

    if (rule := pairless_rule(table, training_rules)) is not None:
        raise ValueError(f"Training rule `{rule}` resulted in no record pairs.")
    with _quiet(), _database(threads) as db_api:
        records = db_api.register(_arrow(table), table_name="records")
        prior = _prior(records, len(table["unique_id"]))
        # the prediction's blocking rules join the key columns of block_keys, which training's
        # records have not: training blocks by its own rules, and the model gets them back after
        linker = Linker(records, {**settings, "probability_two_random_records_match": prior,
                                  "blocking_rules_to_generate_predictions": []}, log_level=None)
        rows = len(table["unique_id"])
        if rows * (rows - 1) / 2 <= u_max_pairs:
            # every pair is sampled: count them in one pass per comparison, not in ten chunks
            # each run until a level has 100 (a small workspace never gets there: 110 queries)
            linker.training.estimate_u_using_random_sampling(max_pairs=u_max_pairs, seed=seed,
                                                             min_count_per_level=None, num_chunks=1)
        else:
            linker.training.estimate_u_using_random_sampling(max_pairs=u_max_pairs, seed=seed)
        for rule in training_rules:
            try:
                with _m_floor():
                    linker.training.estimate_parameters_using_expectation_maximisation(
                        rule, estimate_without_term_frequencies=True, max_pairs=em_max_pairs
                    )
            except SplinkException as exc:  # e.g. no pair agrees on the rule yet: a ValueError to callers
                raise ValueError(str(exc).splitlines()[0]) from exc
        trained: dict[str, Any] = linker.misc.save_model_to_json()
        trained["blocking_rules_to_generate_predictions"] = settings["blocking_rules_to_generate_predictions"]
        return _unmix_u(trained)


def _unmix_u(trained: dict[str, Any]) -> dict[str, Any]:
    """u without the matches: random pairs of a small file include its true pairs, so the u Splink
    samples is ``prior * m + (1 - prior) * u``. Solved for u (at least a tenth of the sampled one)."""
    prior = float(trained["probability_two_random_records_match"])
    for comparison in trained["comparisons"]:
        for level in comparison["comparison_levels"]:
            m, u = level.get("m_probability"), level.get("u_probability")
            if isinstance(m, float | int) and isinstance(u, float | int):
                level["u_probability"] = max((u - prior * m) / (1 - prior), u / 10)
    return trained


def _prior(records: Any, count: int) -> float:
    """The prior estimated from the records (see :data:`~.settings.PRIOR_RULES`), or the default
    when no pair agrees on those rules."""
    from splink.blocking_analysis import count_comparisons_from_blocking_rules

    observed = sum(int(r["marginal_comparison_count"]) for r in count_comparisons_from_blocking_rules(
        records, blocking_rules=list(PRIOR_RULES), link_type="dedupe_only", record_sample_proportion=1.0))
    pairs = count * (count - 1) / 2
    if observed == 0 or pairs == 0:
        return PRIOR_MATCH_PROBABILITY
    return min(observed / PRIOR_RECALL / pairs, 0.5)


def predict(
    settings: dict[str, Any],
    table: Columns,
    against: Columns | None = None,
    *,
    threshold_weight: float,
    threads: int | None = None,
) -> Columns:
    """Scored pairs above ``threshold_weight``: ``unique_id_l``, ``unique_id_r``, ``match_weight``,
    ``match_probability`` and one ``gamma_<comparison>`` column per comparison.

    Without ``against`` every blocked pair within ``table`` is scored; with it, the pairs of
    ``table`` with ``against`` and within ``table`` (a micro-batch of new records against existing
    ones)."""
    from splink import Linker

    with _quiet(), _database(threads) as db_api:
        both = [table] if against is None else [table, against]
        _with_block_keys(db_api.duckdb_con, both, ["keyed_records", "keyed_existing"][: len(both)])
        new = db_api.register("keyed_records", table_name="records")
        linker = Linker(new, settings, log_level=None)
        if against is None:
            frames = [linker.inference.predict(threshold_match_weight=threshold_weight, warning_mode="never")]
        else:
            old = db_api.register("keyed_existing", table_name="existing")
            frames = [
                linker.inference.predict_between(
                    new, old, threshold_match_weight=threshold_weight, warning_mode="never"
                ),
                linker.inference.predict_within(new, threshold_match_weight=threshold_weight,
                                                warning_mode="never"),
            ]
        out: Columns = {}
        wanted = [*_PAIR_COLUMNS, *(f"gamma_{c['output_column_name']}" for c in settings["comparisons"])]
        for frame in frames:
            sql = f"SELECT {', '.join(wanted)} FROM {frame.physical_name}"
            for name, values in db_api.duckdb_con.sql(sql).to_arrow_table().to_pydict().items():
                out.setdefault(name, []).extend(values)
        return out


def count_pairs(table: Columns, rules: Sequence[BlockingRule]) -> dict[str, int]:
    """Pairs each blocking rule adds to those of the rules before it (exact counts)."""
    from splink.blocking_analysis import count_comparisons_from_blocking_rules

    with _quiet(), _database(None) as db_api:
        _with_block_keys(db_api.duckdb_con, [table], ["keyed_records"])
        records = count_comparisons_from_blocking_rules(
            db_api.register("keyed_records", table_name="records"),
            blocking_rules=[rule.splink() for rule in rules],
            link_type="dedupe_only",
            record_sample_proportion=1.0,
        )
        return {rule.sql: int(r["marginal_comparison_count"]) for rule, r in zip(rules, records, strict=True)}
