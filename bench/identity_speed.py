"""Identity speed benchmark: person records resolved in batch by the probabilistic tier.

Synthetic records are drawn cheaply from the demo brand's names and addresses: true persons get
one or two records (the second written in another script or order where the demo has one, some
fields left out). Prints records/s, wall time per stage, peak memory, and, in the same run, the
time of Splink used directly (generic model, raw values) on the same records, with the ratio.

    python bench/identity_speed.py                    # 1,000,000 records (make bench)
    python bench/identity_speed.py --records 5000     # small (the test suite runs this)
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.identity_quality import Record, demo_records, splink_direct  # noqa: E402
from frontoffice.demo import generate  # noqa: E402
from frontoffice.identity.model import PersonAttributes  # noqa: E402
from frontoffice.identity.probabilistic import (  # noqa: E402
    DEFAULT_AUTO_WEIGHT,
    TrainingOptions,
    cluster,
    score,
    train,
)

SECOND_RECORD_SHARE = 0.5
STREET_POOL = 50_000


def synthetic_records(n: int, seed: int = 7) -> list[Record]:
    """``n`` person records: demo names and addresses recombined, a second record for half the persons."""
    rng = random.Random(seed)
    base = [a for _, a in demo_records(generate(seed=seed, people=2000))]
    by_country: dict[str | None, list[PersonAttributes]] = {}
    for a in base:
        by_country.setdefault(a.country, []).append(a)
    pools = {c: ([a for a in xs if a.given_name and a.family_name] or xs, [a for a in xs if a.postcode] or xs)
             for c, xs in by_country.items()}
    # given and family names drawn independently, postcodes with their last two digits redrawn:
    # more distinct names and postcodes than the 2,000 demo people have, as a million customers would
    countries = sorted(pools, key=str)
    streets = {c: [a.street for a in xs if a.street] or [None] for c, xs in by_country.items()}
    street_pool = {c: [f"{rng.choice(s)} {rng.randrange(1, 200)}" if s[0] else None
                       for _ in range(STREET_POOL // len(countries))] for c, s in streets.items()}
    records: list[Record] = []
    person = 0
    while len(records) < n:
        person += 1
        country = rng.choice(countries)
        names, places = pools[country]
        name, place = rng.choice(names), rng.choice(places)
        postcode = place.postcode
        if postcode and postcode[-2:].isdigit():
            postcode = f"{postcode[:-2]}{rng.randrange(100):02d}"
        first = PersonAttributes(
            given_name=name.given_name, family_name=rng.choice(names).family_name,
            birth_date=f"{rng.randrange(1940, 2008)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}",
            street=rng.choice(street_pool[country]), city=place.city, postcode=postcode,
            country=country,
            email=f"p{person}@example.com" if rng.random() < 0.5 else None,
            phone=f"+1555{person:07d}" if rng.random() < 0.3 else None,
        )
        records.append((f"r{len(records)}", first))
        if rng.random() < SECOND_RECORD_SHARE and len(records) < n:
            second = replace(first, email=None if rng.random() < 0.5 else first.email,
                             street=None if rng.random() < 0.3 else first.street)
            records.append((f"r{len(records)}", second))
    return records


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--threads", type=int, default=None, help="DuckDB threads (default: all cores)")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    records = synthetic_records(args.records)
    print(f"{len(records):,} synthetic person records made in {time.perf_counter() - start:.1f} s")

    start, cpu = time.perf_counter(), _cpu()
    model = train(records, TrainingOptions(threads=args.threads))
    trained, trained_cpu = time.perf_counter(), _cpu()
    pairs = score(model, records, min_weight=DEFAULT_AUTO_WEIGHT, threads=args.threads)
    scored, scored_cpu = time.perf_counter(), _cpu()
    clusters = cluster(pairs, record_ids=[r for r, _ in records])
    ours = time.perf_counter() - start
    print(f"frontoffice probabilistic: {ours:.1f} s wall ({len(records) / ours:,.0f} records/s): train "
          f"{trained - start:.1f} s, score {scored - trained:.1f} s ({len(pairs):,} pairs >= "
          f"{DEFAULT_AUTO_WEIGHT}), cluster {time.perf_counter() - scored:.1f} s; "
          f"{len(set(clusters.values())):,} clusters; peak memory {_peak_mib():,.0f} MiB")
    print(f"CPU (user + system, every thread): train {trained_cpu - cpu:.1f} s, score "
          f"{scored_cpu - trained_cpu:.1f} s, cluster {_cpu() - scored_cpu:.1f} s; load average "
          f"{Path('/proc/loadavg').read_text().split()[0]}")

    start = time.perf_counter()
    plain = splink_direct(records, threads=args.threads)
    base = time.perf_counter() - start
    print(f"Splink direct (baseline): {base:.1f} s wall ({len(records) / base:,.0f} records/s); "
          f"{len(set(plain.values())):,} clusters; peak memory {_peak_mib():,.0f} MiB")
    print(f"ratio ours/baseline time: {ours / base:.2f}x")
    target = 180 * len(records) / 1_000_000
    verdict = "met" if ours <= target else "not met"
    print(f"target (1,000,000 records <= 180 s, i.e. {target:.1f} s here): {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
