"""Consent benchmark: policy checks per second and TC strings decoded per second, in-process.

Builds people in every region with mixed consent (grants, refusals, withdrawals, GPC opt-outs,
no record), then times `check` over a fixed pseudo-random mix of (person, purpose, channel), and
`decode_tc_string` over bitfield- and range-encoded TC strings. Baseline in the same run: a bare
dict lookup of a precomputed answer, printed as a ratio (how far the real check is from free).

    python bench/consent.py              # full size (make bench)
    python bench/consent.py --quick      # small
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from frontoffice.consent import (  # noqa: E402
    REGIONS,
    STRICTEST,
    ConsentChange,
    ConsentState,
    RegionPack,
    check,
    decode_tc_string,
    load_catalogue,
    load_packs,
    new_change,
    state_of,
)
from frontoffice.consent.tcf import PublisherRestriction, TCString, VendorSet  # noqa: E402
from frontoffice.consent.tcf_encode import encode_tc_string  # noqa: E402

NOW = datetime(2026, 11, 22, 12, tzinfo=UTC)
CHANNELS = ("web", "email", "sms", "push", "export", "webhook", "decision")


def make_people(n: int, rng: random.Random) -> list[tuple[ConsentState, RegionPack]]:
    packs = load_packs()
    purposes = sorted(load_catalogue().purposes)
    people = []
    for i in range(n):
        key = f"p{i}"
        changes: list[ConsentChange] = []
        for p in purposes:
            roll = rng.random()
            if roll < 0.3:
                continue
            status = "granted" if roll < 0.7 else ("denied" if roll < 0.9 else "withdrawn")
            method = "gpc" if status == "denied" and rng.random() < 0.2 else "api"
            at = NOW - timedelta(days=rng.randrange(400))
            changes.append(new_change(key, p, status, source="bench", at=at, method=method,
                                      explicit=rng.random() < 0.5))
        region = rng.choice((*REGIONS, STRICTEST))
        people.append((state_of(key, changes), packs[region]))
    return people


def bench_checks(n_people: int, n_checks: int) -> tuple[float, float]:
    rng = random.Random(7)
    people = make_people(n_people, rng)
    purposes = sorted(load_catalogue().purposes)
    calls = [(*rng.choice(people), rng.choice(purposes), rng.choice(CHANNELS)) for _ in range(n_checks)]
    start = time.perf_counter()
    allowed = 0
    for state, pack, purpose, channel in calls:
        if check(state, pack, purpose, channel, NOW).allowed:
            allowed += 1
    elapsed = time.perf_counter() - start
    table = {(id(s), p, c): True for s, _, p, c in calls}
    start = time.perf_counter()
    for state, _pack, purpose, channel in calls:
        table.get((id(state), purpose, channel))
    base = time.perf_counter() - start
    return n_checks / elapsed, n_checks / base


def tc_strings(rng: random.Random, worst: bool) -> list[str]:
    """Typical: ~1,000-vendor GVL, 70% consented, bitfield. Worst: 300 scattered vendors, range-encoded
    (one range entry per vendor)."""
    t = datetime(2026, 11, 1, tzinfo=UTC)
    out = []
    for _ in range(50):
        if worst:
            vs = VendorSet(1200, frozenset(rng.sample(range(1, 1200), 300)), True)
        else:
            vs = VendorSet(1000, frozenset(i for i in range(1, 1001) if rng.random() < 0.7), False)
        tc = TCString(2, t, t, 31, 5, 1, "EN", 150, 5, False, False, frozenset({1}),
                      frozenset(rng.sample(range(1, 12), 6)), frozenset({2, 7}), False, "DE", vs,
                      VendorSet(40, frozenset({3, 8, 21}), True),
                      (PublisherRestriction(2, 1, frozenset({3, 4, 5})),))
        out.append(encode_tc_string(tc))
    return out


def bench_decode(n: int, worst: bool) -> float:
    strings = tc_strings(random.Random(3), worst)
    start = time.perf_counter()
    for i in range(n):
        decode_tc_string(strings[i % len(strings)])
    return n / (time.perf_counter() - start)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="small run (tests)")
    args = ap.parse_args()
    n_checks, n_decode = (50_000, 1_000) if args.quick else (1_000_000, 20_000)
    checks, baseline = bench_checks(2_000, n_checks)
    typical, worst = bench_decode(n_decode, False), bench_decode(n_decode // 4, True)
    print(f"consent checks/s: {checks:,.0f} (target ≥ 200,000); bare dict lookup baseline {baseline:,.0f}/s; "
          f"ratio check/baseline {checks / baseline:.2f}")
    print(f"TC strings decoded/s: {typical:,.0f} typical (1,000-vendor bitfield); "
          f"{worst:,.0f} worst case (300 scattered vendors, range-encoded)")


if __name__ == "__main__":
    main()
