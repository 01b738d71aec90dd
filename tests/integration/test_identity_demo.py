"""The deterministic tier on the demo brand: figures are printed (run with -s), not asserted;
only the invariants are."""

from __future__ import annotations

import csv
import shutil
from collections import Counter
from pathlib import Path

import pytest

from frontoffice.domain.events import TRACKING
from frontoffice.identity.evaluation import evaluate
from frontoffice.identity.projector import Projector
from frontoffice.identity.store import IdentitySql
from frontoffice.storage import open_store

pytestmark = pytest.mark.xdist_group("demo")  # shares the worker's one demo run (demo_once)


class _Stopped(Exception):
    pass


def _stop(_: int) -> None:
    raise _Stopped


def test_the_demo_brand_resolved_live_by_the_server_equals_a_rebuild(
        demo_once: tuple[Path, str], tmp_path: Path) -> None:
    tmp_path = tmp_path / "data"
    shutil.copytree(demo_once[0], tmp_path)  # the rebuilds below rewrite identity's tables
    store = open_store(f"sqlite:///{tmp_path / 'frontoffice.db'}")
    try:
        workspace = store.workspace("demo")
        assert workspace is not None
        sql = IdentitySql(store)
        Projector(store, sql, workspace.id).catch_up()  # the server's background projector did most
        live = (list(sql.iter_persons(workspace.id)), sql.mapping(workspace.id))
        progress = Projector(store, IdentitySql(store), workspace.id).rebuild()
        mapping = sql.mapping(workspace.id)
        assert (list(sql.iter_persons(workspace.id)), mapping) == live
        # a projection stopped after every batch and warm-started again (as a restarted worker
        # does) meets records and match decisions in log order too: the same people
        with pytest.raises(_Stopped):
            Projector(store, IdentitySql(store), workspace.id).rebuild(on_progress=_stop)
        while True:
            try:
                Projector(store, IdentitySql(store), workspace.id).catch_up(on_progress=_stop, batch_size=97)
                break
            except _Stopped:
                continue
        assert (list(sql.iter_persons(workspace.id)), sql.mapping(workspace.id)) == live
        # every tracking event is one record; commerce events join people by key instead,
        # consent and identity decisions are not records, and the events of the person the
        # demo erased read back as tombstones (family "erased") and are nobody's record
        families = Counter(e.record.family for e in store.events(workspace.id, limit=1_000_000))
        assert families["erased"] > 0
        assert len(mapping) == families[TRACKING]
        predicted = {rid.split(":", 1)[1]: pid for rid, _, pid in mapping}
        with (tmp_path / "demo-brand" / "ground_truth.csv").open() as handle:
            truth = {r["record_id"]: r["person_id"] for r in csv.DictReader(handle)
                     if r["record_id"] in predicted}
        scores = evaluate(predicted, truth)
        ms = sorted(progress.stitch_ms) or [0.0]
        print(f"\ndemo (60 people, {len(truth)} records): pairwise precision {scores.pairs.precision:.4f} "
              f"recall {scores.pairs.recall:.4f} F1 {scores.pairs.f1:.4f}; over-merged people "
              f"{scores.over_merged_share:.3f}; stitch p50 {ms[len(ms) // 2]:.3f} ms "
              f"p99 {ms[int(len(ms) * 0.99)]:.3f} ms over {progress.events} events")
    finally:
        store.close()
