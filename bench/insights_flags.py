"""Insights benchmark (issue 20): a seeded shop with four incidents and their ground truth,
written through commerce's intake and the inbox's use cases (the real classifier), then the
detector run once a day as a scheduler would; prints the flags' precision and recall against
the truth and, per incident, the time from its first affected event to its first flag.

    python bench/insights_flags.py                      # five weeks, 40 orders a day (make bench)
    BENCH_SCALE=small python bench/insights_flags.py    # two weeks, as the test runs it
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from frontoffice.commerce.store import CommerceStore  # noqa: E402
from frontoffice.domain.events import now  # noqa: E402
from frontoffice.inbox.wiring import desk_for  # noqa: E402
from frontoffice.insights import seed, service  # noqa: E402
from frontoffice.insights.projector import InsightsHub  # noqa: E402
from frontoffice.insights.rates import Windows  # noqa: E402
from frontoffice.insights.truth import score  # noqa: E402
from frontoffice.settings import Settings  # noqa: E402
from frontoffice.storage import open_store  # noqa: E402
from frontoffice.tenancy import service as tenancy  # noqa: E402

SMALL = os.environ.get("BENCH_SCALE") == "small"
DAYS, INCIDENT, WINDOWS = (14, 8, Windows(7, 7)) if SMALL else (35, 29, Windows(7, 28))


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/frontoffice.db"
        store = open_store(url)
        store.upgrade()
        try:
            ws = tenancy.create_workspace(store, "bench", "EU").id
            started = time.perf_counter()
            truth = seed.seed(
                CommerceStore(store),
                desk_for(Settings(data_dir=Path(folder), database_url=url), store),
                ws,
                days=DAYS,
                incident_day=INCIDENT,
                orders_per_day=40,
                tickets_per_day=6,
            )
            seeded = time.perf_counter() - started
            ins, first, runs = InsightsHub(store), {}, []
            last = date.fromisoformat(truth.last_day)
            for back in range(DAYS - INCIDENT, -1, -1):  # the day before the incidents, then each day
                as_of = (last - timedelta(days=back)).isoformat()
                started = time.perf_counter()
                service.run(ins, ws, now(), as_of, WINDOWS)
                runs.append(time.perf_counter() - started)
                for name, flag_ids in score(ins.flags(ws), truth).found.items():
                    first.setdefault(name, (as_of, flag_ids))
            final = score(ins.flags(ws), truth)
        finally:
            store.close()
    load = Path("/proc/loadavg").read_text().split()[:3] if Path("/proc/loadavg").exists() else ["?"]
    print(
        f"insights bench ({'small' if SMALL else 'full'}): {DAYS} days, incidents from day {INCIDENT}, "
        f"windows {WINDOWS.recent}/{WINDOWS.baseline} days; seeded in {seeded:.1f} s; "
        f"a daily run takes {max(runs):.2f} s at most; load average {' '.join(load)}"
    )
    print(
        f"flags {final.flags}: precision {final.precision:.2f}, recall {final.recall(truth):.2f} "
        f"({len(final.found)}/{len(truth.incidents)} incidents), wrong {final.wrong}"
    )
    for name, incident in truth.incidents.items():
        if name not in first or incident.began is None:
            print(f"  {name:16} not flagged")
            continue
        as_of, _ = first[name]
        flagged = datetime.fromisoformat(as_of).replace(tzinfo=UTC) + timedelta(days=1)  # at the day's end
        hours = (flagged - incident.began).total_seconds() / 3600
        print(
            f"  {name:16} first event {incident.began:%Y-%m-%d %H:%M}, flagged by the run at the end of "
            f"{as_of}: {hours:.0f} h later"
        )


if __name__ == "__main__":
    main()
