"""Where identity resolution goes wrong on the demo brand: error buckets against the ground truth.

Runs the same resolution as ``bench/identity_quality.py`` (deterministic tier with the
probabilistic auto-merges as edges, then the namesake pass) and sorts the errors:

- false negatives (true pairs in different predicted persons), by the nearest reason: the two
  records were never blocked together (and what they have in common), blocked but scored below the
  auto-merge weight, scored high enough but vetoed by a conflict, or merged by the probabilistic
  tier and refused by the deterministic tier's rules;
- false positives (pairs of two true persons in one predicted person), by the edge that joined them:
  the shared identifier kind of the deterministic tier or the probabilistic match's evidence.

The ground truth is only read here and in the evaluation, never by the resolver.

    python bench/identity_diagnose.py --people 2000 --seed 7 [--show 10]
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from collections.abc import Callable, Mapping
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.identity_quality import (  # noqa: E402
    Record,
    demo_bridges,
    demo_identifiers,
    demo_records,
    demo_times,
    with_deterministic_tier,
)
from frontoffice.demo import generate  # noqa: E402
from frontoffice.identity.evaluation import Scores, evaluate  # noqa: E402
from frontoffice.identity.model import Identifier  # noqa: E402
from frontoffice.identity.probabilistic import DEFAULT_AUTO_WEIGHT, ScoredPair, partition, score, train  # noqa: E402
from frontoffice.identity.probabilistic.columns import Row, to_row  # noqa: E402

SHARED_FIELDS = ("birth_date", "postcode", "city_key", "street_key", "email_local", "phone")


def _common(a: Row, b: Row) -> str:
    """What two records have in common, as a short tag (for the never-blocked bucket)."""
    tags = [f for f in SHARED_FIELDS if a[f] is not None and a[f] == b[f]]
    ga, gb = set(a["given_alts"] or ()), set(b["given_alts"] or ())
    fa, fb = set(a["family_alts"] or ()), set(b["family_alts"] or ())
    if fa & fb or (ga & fb and fa & gb):
        tags.append("family")
    if ga & gb:
        tags.append("given")
    if not (a["given_key"] or a["family_key"]) or not (b["given_key"] or b["family_key"]):
        tags.append("a side has no name")
    return "+".join(tags) or "nothing equal"


def _kinds(ids_a: tuple[Identifier, ...], ids_b: tuple[Identifier, ...]) -> str:
    shared = sorted({i.kind.value for i in set(ids_a) & set(ids_b)})
    return "+".join(shared) or "transitive"


def _alike_names(a: Row, b: Row) -> bool:
    ga, gb = set(a["given_alts"] or ()), set(b["given_alts"] or ())
    fa, fb = set(a["family_alts"] or ()), set(b["family_alts"] or ())
    return bool((ga & gb and fa & fb) or (ga & fb and fa & gb))


def _joined(predicted: dict[str, str], truth: dict[str, str], joins: Callable[[str, str], bool]) -> Scores:
    """The predicted persons split by the ground truth (their false pairs taken out: a bound must not
    carry the resolver's mistakes, which a join would spread), with every true pair that ``joins``
    accepts joined as well."""
    parent = {r: r for r in predicted}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    first: dict[tuple[str, str], str] = {}
    for r, c in predicted.items():
        parent[find(r)] = find(first.setdefault((c, truth[r]), r))
    by_person: dict[str, list[str]] = defaultdict(list)
    for r, p in truth.items():
        by_person[p].append(r)
    for members in by_person.values():
        for a, b in combinations(members, 2):
            if find(a) != find(b) and joins(a, b):
                parent[find(a)] = find(b)
    return evaluate({r: find(r) for r in predicted}, truth)


def _evidence(a: Row, b: Row) -> bool:
    """Evidence beyond a name: alike names and one equal field, two equal fields, or a phone or
    email local part."""
    shared = {f for f in SHARED_FIELDS if a[f] is not None and a[f] == b[f]}
    return bool({"phone", "email_local"} & shared or len(shared) >= 2 or (shared and _alike_names(a, b)))


def identifier_links(identifiers: Mapping[str, tuple[Identifier, ...]],
                     people: Mapping[str, str]) -> dict[str, str]:
    """Record or event -> a component of the records and events of one true person (``people``)
    joined by shared identifiers, directly or through other events (a device, an anonymous id, an
    order ref quoted in a call): what the deterministic tier could join with no rule against it."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    holders: dict[tuple[str, Identifier], str] = {}
    for r, found in identifiers.items():
        if r not in people:
            continue
        for ident in found:
            parent[find(r)] = find(holders.setdefault((people[r], ident), r))
    return {r: find(r) for r in identifiers if r in people}


def ceiling(predicted: dict[str, str], truth: dict[str, str], rows: dict[str, Row],
            links: Mapping[str, str] | None = None) -> Scores:
    """What the records allow at best: the predicted persons without their false pairs, joined by
    every true pair that shows evidence beyond a name or (``links``, :func:`identifier_links`)
    shares an identifier, directly or through the log's other events. A pair with a name alone is
    left apart: the namesake pass joins those that a rare name and agreeing facts allow; the rest
    share their name with other people or disagree on a fact (another phone, another mailbox), as a
    stranger of the same name would. Precision 1 by construction; a bound on recall, not on F1 at
    a precision below 1 (a pair whose evidence a household namesake shares, a parent's and a
    child's records at one address, is joinable only at the risk of a false pair)."""
    links = links or {}

    def joins(a: str, b: str) -> bool:
        return _evidence(rows[a], rows[b]) or (a in links and links.get(a) == links.get(b))

    return _joined(predicted, truth, joins)


def _names(row: Row) -> set[tuple[str, str]]:
    if not (row["given_key"] and row["family_key"]):
        return set()
    return {(row["given_key"], row["family_key"]), (row["family_key"], row["given_key"])}


def name_ceiling(predicted: dict[str, str], truth: dict[str, str], rows: dict[str, Row],
                 links: Mapping[str, str] | None = None) -> Scores:
    """What an oracle on names would reach beyond :func:`ceiling`: a true pair is also joined when
    it shares a name (either order) that no other true person carries. A name another person
    carries is a guess for any method; a pair with no name in common (a record without a name, a
    misspelt one) is beyond the names' reach."""
    holders: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r, row in rows.items():
        for name in _names(row):
            holders[name].add(truth[r])

    links = links or {}

    def joins(a: str, b: str) -> bool:
        if _evidence(rows[a], rows[b]) or (a in links and links.get(a) == links.get(b)):
            return True
        return any(len(holders[n]) == 1 for n in _names(rows[a]) & _names(rows[b]))

    return _joined(predicted, truth, joins)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--show", type=int, default=5, help="examples printed per bucket")
    parser.add_argument("--auto", type=float, default=DEFAULT_AUTO_WEIGHT, help="auto-merge match weight")
    args = parser.parse_args(argv)

    brand = generate(seed=args.seed, people=args.people)
    records: list[Record] = demo_records(brand)
    attrs = dict(records)
    truth = {t.record_id: t.person_id for t in brand.ground_truth if t.record_id in attrs}
    rows = {r: to_row(r, a) for r, a in records}
    identifiers = demo_identifiers(brand)

    model = train(records)
    pairs = score(model, records, min_weight=-1e9)
    scored = {p.key: p for p in pairs}
    merges, _ = partition(pairs, auto=args.auto, review=min(args.auto, 6.0))
    predicted = with_deterministic_tier(records, identifiers, merges, demo_bridges(brand), demo_times(brand),
                                        namesakes=True)
    s = evaluate(predicted, truth, {r: row["name_script"] for r, row in rows.items()})
    print(f"seed {args.seed}, {len(records)} records: precision {s.precision:.4f} recall {s.recall:.4f} "
          f"F1 {s.f1:.4f} (true pairs {s.pairs.true_pairs}, found {s.pairs.true_positives}, "
          f"wrong {s.pairs.false_positives})")

    def shown(r: str) -> str:
        a = attrs[r]
        return (f"{r}[{a.given_name or ''}|{a.family_name or ''}|{a.birth_date or ''}|{a.postcode or ''}|"
                f"{a.city or ''}|{a.email or ''}|{a.phone or ''}]")

    people = {t.record_id: t.person_id for t in brand.ground_truth}
    links = identifier_links({**demo_bridges(brand), **identifiers}, people)
    top = ceiling(predicted, truth, rows, links)
    print(f"ceiling (these persons without their false pairs + every true pair with evidence beyond a "
          f"name or a shared identifier): precision {top.precision:.4f} recall {top.recall:.4f} "
          f"F1 {top.f1:.4f}"
          f"; F1 at precision 0.995 and this recall {2 * 0.995 * top.recall / (0.995 + top.recall):.4f}")
    named = name_ceiling(predicted, truth, rows, links)
    print(f"name oracle (+ every true pair sharing a name no other person carries): precision "
          f"{named.precision:.4f} recall {named.recall:.4f} F1 {named.f1:.4f}")

    by_person: dict[str, list[str]] = defaultdict(list)
    for r, p in truth.items():
        by_person[p].append(r)
    fn: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for members in by_person.values():
        for a, b in combinations(sorted(members), 2):
            if predicted[a] == predicted[b]:
                continue
            pair: ScoredPair | None = scored.get((a, b))
            if pair is None:
                bucket = f"never blocked: {_common(rows[a], rows[b])}"
            elif pair.match_weight < args.auto:
                bucket = "blocked, weight below auto" + (" + conflict" if pair.conflicts else "")
            elif pair.conflicts:
                bucket = f"vetoed by conflict: {'/'.join(pair.conflicts)}"
            else:
                bucket = "merged by the probabilistic tier, refused by the graph"
            note = pair.explanation if pair else ""
            fn[bucket].append((a, b, note))
    fp: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    edges = {m.key: m for m in merges}
    clusters: dict[str, list[str]] = defaultdict(list)
    for r, c in predicted.items():
        clusters[c].append(r)
    for members in clusters.values():
        for a, b in combinations(sorted(members), 2):
            if truth[a] == truth[b]:
                continue
            kinds = _kinds(identifiers.get(a, ()), identifiers.get(b, ()))
            edge = edges.get((a, b))
            if edge is not None:
                fp[f"probabilistic: {edge.evidence_text.split(';')[0][:60]}"].append((a, b, edge.explanation))
            elif kinds != "transitive":
                fp[f"shared {kinds}"].append((a, b, ""))
            else:
                fp["transitive"].append((a, b, ""))
    for title, buckets in (("false negatives", fn), ("false positives", fp)):
        total = sum(len(v) for v in buckets.values())
        print(f"\n{title}: {total} pairs")
        for bucket, items in sorted(buckets.items(), key=lambda kv: -len(kv[1])):
            print(f"  {len(items):6d}  {bucket}")
            for a, b, note in items[: args.show]:
                print(f"            {shown(a)}\n            {shown(b)} {note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
