"""The diagnosis bench's ceilings on a small demo brand: each bounds what the one before reached."""

from __future__ import annotations

from bench.identity_diagnose import ceiling, identifier_links, name_ceiling
from bench.identity_quality import (
    demo_bridges,
    demo_identifiers,
    demo_records,
    demo_times,
    with_deterministic_tier,
)

from frontoffice.demo import generate
from frontoffice.identity.evaluation import evaluate
from frontoffice.identity.probabilistic import partition, score, train
from frontoffice.identity.probabilistic.columns import to_row


def test_the_ceilings_join_more_true_pairs_and_the_name_oracle_more_still() -> None:
    brand = generate(seed=3, people=300)
    records = demo_records(brand)
    truth = {t.record_id: t.person_id for t in brand.ground_truth if t.record_id in dict(records)}
    merges, _ = partition(score(train(records), records))
    predicted = with_deterministic_tier(records, demo_identifiers(brand), merges, demo_bridges(brand),
                                        demo_times(brand), namesakes=True)
    rows = {r: to_row(r, a) for r, a in records}
    links = identifier_links({**demo_bridges(brand), **demo_identifiers(brand)},
                             {t.record_id: t.person_id for t in brand.ground_truth})
    found, top, named = (evaluate(predicted, truth), ceiling(predicted, truth, rows, links),
                         name_ceiling(predicted, truth, rows, links))
    assert found.recall < top.recall < named.recall < 1.0
    assert top.precision == named.precision == 1.0  # the resolver's false pairs are not carried
