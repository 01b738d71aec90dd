"""Outbound gate benchmark: checks per second through `OutboundGate`, cold (loading people from the
database in batches) and warm (people cached), and a gated event export in events per second.

Builds an embedded SQLite workspace with people in the EU, California and nowhere, each with an
identify, two tracked events and mixed consent (grants, refusals, GPC), projects identity and
consent, then times the gate. Baseline in the same run: the pure policy check on a precomputed
state (`consent.policy.check`), printed as a ratio (what the person lookup and merging cost).

    python bench/outbound.py            # full size (make bench)
    python bench/outbound.py --quick    # small
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from frontoffice.bulk.exporter import export_events  # noqa: E402
from frontoffice.consent import service as consent  # noqa: E402
from frontoffice.consent.ledger import new_change  # noqa: E402
from frontoffice.consent.policy import check  # noqa: E402
from frontoffice.domain.events import EventRecord, Limits, normalise  # noqa: E402
from frontoffice.outbound.exports import catch_up_people  # noqa: E402
from frontoffice.outbound.store import gate_for  # noqa: E402
from frontoffice.storage import open_store  # noqa: E402
from frontoffice.storage.port import AppendBatch  # noqa: E402
from frontoffice.storage.sql import SqlStore  # noqa: E402
from frontoffice.tenancy import service as tenancy  # noqa: E402

NOW = datetime.now(UTC)
AT = datetime(2026, 2, 1, tzinfo=UTC)
PURPOSES = ("analytics", "marketing_email", "sale_or_sharing", "targeted_advertising", "profiling")
CHANNEL = {"analytics": "web", "marketing_email": "email", "sale_or_sharing": "export",
           "targeted_advertising": "ads", "profiling": "decision"}
PLACES: tuple[dict[str, Any], ...] = (
    {"address": {"country": "DE"}}, {"address": {"country": "US", "state": "CA"}}, {})


def populate(store: SqlStore, n: int, rng: random.Random) -> str:
    ws = tenancy.create_workspace(store, "bench-outbound", "EU")
    src, _ = tenancy.create_source(store, ws.id, "web", "web")
    limits = Limits(32 * 1024, 32)
    records: list[EventRecord] = []
    changes = []
    for i in range(n):
        user = f"u{i}"
        traits = {**rng.choice(PLACES), "email": f"{user}@bench-mail.org"}
        raw: list[dict[str, Any]] = [
            {"type": "identify", "userId": user, "traits": traits, "messageId": f"{user}-id",
             "context": {"gpc": True} if rng.random() < 0.1 else {}},
            {"type": "track", "userId": user, "event": "Product Viewed", "messageId": f"{user}-t1"},
            {"type": "track", "userId": user, "event": "Order Completed", "messageId": f"{user}-t2"}]
        for item in raw:
            rec = normalise(item, index=0, batch={}, forced_type=None, source_id=src.id, received_at=AT,
                            limits=limits)
            assert isinstance(rec, EventRecord)
            records.append(rec)
        for purpose in PURPOSES:
            if rng.random() < 0.5:
                status = rng.choice(("granted", "granted", "denied", "withdrawn"))
                changes.append(new_change(f"user_id:{user}", purpose, status, source="bench", at=AT,
                                          method="api", explicit=rng.random() < 0.5))
    for start in range(0, len(records), 5000):
        store.append([AppendBatch(ws.id, src.id, records[start:start + 5000])])
    hub = consent.ConsentHub.of(store)
    consent.append(store, hub, ws.id, [consent.consent_record(c, AT, None) for c in changes])
    catch_up_people(store, ws.id)
    return ws.id


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="small run (tests)")
    ap.add_argument("--people", type=int, default=None, help="people to build (default 5,000; quick 300)")
    args = ap.parse_args()
    n = args.people or (300 if args.quick else 5_000)
    rng = random.Random(11)
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(f"sqlite:///{tmp}/bench.db")
        store.upgrade()
        started = time.perf_counter()
        ws = populate(store, n, rng)
        built = time.perf_counter() - started
        refs = [f"user_id:u{i}" for i in range(n)]
        calls = [(rng.choice(refs), p) for _ in range(max(50_000, 10 * n)) for p in (rng.choice(PURPOSES),)]

        gate = gate_for(store, ws, NOW)
        start = time.perf_counter()
        gate.prefetch(["person:" + str(r[0]) for r in store.query(
            "SELECT person_id FROM identity_persons WHERE workspace_id = ?", (ws,))])
        loaded = time.perf_counter() - start
        start = time.perf_counter()
        for ref in refs:  # cold: each reference placed (identity lookup) once
            gate.check(ref, "analytics", "web")
        cold = n / (time.perf_counter() - start)
        start = time.perf_counter()
        allowed = sum(gate.check(ref, p, CHANNEL[p]).allowed for ref, p in calls)
        warm = len(calls) / (time.perf_counter() - start)
        loaded_gate = gate_for(store, ws, NOW)
        loaded_gate.prefetch(refs)
        combos = [(ref, p) for ref in refs for p in PURPOSES]
        start = time.perf_counter()
        for ref, p in combos:  # people loaded; each (person, purpose, channel) decided once
            loaded_gate.check(ref, p, CHANNEL[p])
        first = len(combos) / (time.perf_counter() - start)

        pcs = gate.cached()  # the merged people the gate built, for the pure-check baseline
        packs = gate.packs()
        start = time.perf_counter()
        for i, (_, p) in enumerate(calls):
            pc = pcs[i % len(pcs)]
            check(pc.state, packs.get(pc.region.region), p, CHANNEL[p], NOW)
        pure = len(calls) / (time.perf_counter() - start)

        out = Path(tmp) / "export.ndjson"
        report = export_events(store, ws, out, purpose="sale_or_sharing")
        events = report.count + report.refused
        store.close()
    print(f"built {n:,} people ({3 * n:,} events) in {built:.1f} s; gate loaded them in {loaded:.2f} s "
          f"({n / loaded:,.0f} people/s)")
    print(f"outbound gate checks/s: {first:,.0f} first decision per (person, purpose, channel) with people "
          f"loaded; {warm:,.0f} repeated ({allowed / len(calls):.0%} allowed, memoised per call); "
          f"{cold:,.0f} cold (identifier placed and person loaded one by one)")
    print(f"baseline pure policy check {pure:,.0f}/s; ratio first-decision/pure {first / pure:.2f}")
    print(f"gated export: {events / report.seconds:,.0f} events/s read, {report.count:,} written, "
          f"{report.refused:,} left out under {len(report.refusals)} rules")


if __name__ == "__main__":
    main()
