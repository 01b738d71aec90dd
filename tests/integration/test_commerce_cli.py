"""The commerce CLI on the demo brand: load, conflicts, reconcile, rebuild, highlights."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

from frontoffice.cli.main import cli
from frontoffice.commerce import demo_loader
from frontoffice.commerce.store import CommerceStore
from frontoffice.storage import open_store


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    result = CliRunner().invoke(cli, ["demo", "generate", "--people", "60", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def run(db: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--database-url", f"sqlite:///{db}", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_the_demo_brand_flows_through_the_intake_and_shows_its_conflicts(demo_dir: Path,
                                                                         tmp_path: Path) -> None:
    db = tmp_path / "fo.db"
    loaded = orjson.loads(run(db, "commerce", "load-demo", str(demo_dir), "-w", "demo"))
    assert loaded["orders"] > 0 and loaded["inventory"] > 0 and loaded["alerts"] > 0
    again = orjson.loads(run(db, "commerce", "load-demo", str(demo_dir), "-w", "demo"))
    assert sum(again.values()) == 0  # idempotent on source event ids
    out = run(db, "commerce", "conflicts", "-w", "demo")
    assert "instagram" in out and "facebook" in out
    store = open_store(f"sqlite:///{db}")
    try:
        cs = CommerceStore(store)
        ws = store.workspace("demo")
        assert ws is not None
        shown = demo_loader.highlights(cs, ws.id)
        assert shown["conflict_count"] > 0 and shown["traits"]["order_count"] >= 1
    finally:
        store.close()
    assert "Replayed" in run(db, "commerce", "rebuild", "-w", "demo")


def test_reconcile_reports_drift_from_a_snapshot_file(demo_dir: Path, tmp_path: Path) -> None:
    db = tmp_path / "fo.db"
    run(db, "commerce", "load-demo", str(demo_dir), "-w", "demo")
    stock = orjson.loads((demo_dir / "stock.json").read_bytes())[:3]
    snapshot = {"taken_at": "2026-06-01T00:00:00Z", "inventory": [
        {**{k: s[k] for k in ("location_id", "sku", "committed", "incoming")},
         "on_hand": s["on_hand"] + 5} for s in stock]}
    path = tmp_path / "snapshot.json"
    path.write_bytes(orjson.dumps(snapshot))
    report = orjson.loads(run(db, "commerce", "reconcile", str(path), "-w", "demo"))
    assert report["kinds"]["inventory"] == {"checked": 3, "missing": 0, "different": 3,
                                            "repaired": 3}
    again = orjson.loads(run(db, "commerce", "reconcile", str(path), "-w", "demo", "--dry-run"))
    assert again["drift"] == []
